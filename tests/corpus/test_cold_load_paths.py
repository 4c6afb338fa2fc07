"""The shortcuts of a cold load give what the long way gives."""

from __future__ import annotations

import gc
from pathlib import Path

from tests.conftest import acl_slice
from tuireader.corpus.library import load_library
from tuireader.corpus.readers.bibtex_names import _parsed_names, parse_bibtex_names
from tuireader.corpus.readers.bibtex_scan import scan
from tuireader.corpus.readers.quick_latex import bib_plain, plain

TRICKY = [
    "Plain  title\n with   spacing",
    "Don't stop",
    "Pages 12--34",
    "An em---dash",
    "``Quoted''",
    "Tie~here",
    "{BERT}: pre-training",
    'M{\\"u}ller',
    "Cost $x^2$ and a_b",
    "What? Yes!",
    "Sure?` and !`",
    "It''s",
    "\ue003 private use",
]


def test_plain_values_read_as_the_converter_reads_them() -> None:
    for value in TRICKY:
        assert bib_plain(value) == plain(value, tilde_is_space=True), value


def test_every_field_of_real_entries_reads_as_the_converter_reads_it(tmp_path: Path) -> None:
    scanned = scan(acl_slice(tmp_path, 400).read_text(encoding="utf-8"), "acl.bib")
    values = {value.strip('{}"') for entry in scanned.entries for _, value in entry.fields}
    assert len(values) > 1000
    for value in values:
        assert bib_plain(value) == plain(value, tilde_is_space=True), value


def test_a_remembered_name_list_is_the_list_parsed_again() -> None:
    names = "Smith, John and van der Berg, Anna and {Acme Corp.} and others"
    first = parse_bibtex_names(names)
    assert parse_bibtex_names(names) is first
    assert first == _parsed_names(names)
    assert [a.family for a in first] == ["Smith", "van der Berg", ""]


def test_loading_leaves_the_cycle_collector_as_it_found_it(tmp_path: Path) -> None:
    path = acl_slice(tmp_path, 50)
    assert gc.isenabled()
    assert len(load_library([path], cache=False).papers) == 50
    assert gc.isenabled()
    gc.disable()
    try:
        load_library([path], cache=False)
        assert not gc.isenabled()
    finally:
        gc.enable()
