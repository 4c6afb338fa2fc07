"""Exported BibTeX is read in full by pybtex too, the parser BibTeX-based tools build on: every key
of the library comes back, and a damaged value cannot swallow the entries after it."""

from __future__ import annotations

import re
from pathlib import Path

from pybtex.database import parse_string

from tests.conftest import acl_slice
from tuireader.cite import format_many
from tuireader.corpus.library import load_library

_KEY = re.compile(r"^@\w+\s*\{\s*([^,\s]+)\s*,", re.MULTILINE)


def test_an_export_of_real_entries_keeps_every_key_for_pybtex(tmp_path: Path) -> None:
    source = acl_slice(tmp_path, 2_000)
    keys = set(_KEY.findall(source.read_text(encoding="utf-8")))
    library = load_library([source], cache=False)
    exported = parse_string(format_many(list(library.papers), "bibtex"), "bibtex")
    assert set(exported.entries.keys()) >= keys  # pybtex keeps keys as written
    assert len(keys) > 1_900


def test_a_lone_brace_in_one_value_does_not_cost_the_entries_after_it(tmp_path: Path) -> None:
    text = (
        "@article{first, title = {A \\{ lone brace}, author = {Doe, Jane}, journal = {J}, year = 2020}\n"
        "@article{second, title = {After it}, author = {Roe, Rick}, journal = {J}, year = 2021}\n"
        "@article{third, title = {And after that}, author = {Poe, Pat}, journal = {J}, year = 2022}\n"
    )
    path = tmp_path / "damaged.bib"
    path.write_text(text, encoding="utf-8")
    library = load_library([path], cache=False)
    exported = parse_string(format_many(list(library.papers), "bibtex"), "bibtex")
    assert set(exported.entries.keys()) == {"first", "second", "third"}
