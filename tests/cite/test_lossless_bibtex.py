"""BibTeX in, BibTeX out: a paper read from BibTeX is exported as the file wrote it.

Both sides are read by bibtexparser on its own (strings resolved, delimiters removed), and every
entry must come back with the same key, type and field values."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import bibtexparser
from bibtexparser.model import DuplicateBlockKeyBlock, DuplicateFieldKeyBlock, Entry

from tests.conftest import acl_slice, shared_corpus
from tuireader.cite import format_citation, format_many
from tuireader.cite.bibfile import parseable
from tuireader.corpus.cache import ParseCache
from tuireader.corpus.library import load_library

TUIREADER = Path(sys.executable).parent / "tuireader"
EntryFacts = tuple[str, str, tuple[tuple[str, str], ...]]


def _entries(text: str) -> Counter[EntryFacts]:
    parsed = bibtexparser.parse_string(text)
    found = list(parsed.entries)
    for block in parsed.failed_blocks:  # an entry repeating a key or a field is still read
        duplicate = isinstance(block, (DuplicateBlockKeyBlock, DuplicateFieldKeyBlock))
        if duplicate and isinstance(block.ignore_error_block, Entry):
            found.append(block.ignore_error_block)
    return Counter(
        (e.key, e.entry_type, tuple((f.key, _as_written(f.value)) for f in e.fields)) for e in found
    )


def _as_written(value: object) -> object:
    """A value as the export must write it: the same, unless its braces do not balance, when they
    are mended so that BibTeX-based tools still read the file (see bibfile.parseable)."""
    return parseable("{" + value + "}")[1:-1] if isinstance(value, str) else value


def _round_trip_differences(path: Path) -> tuple[int, Counter[EntryFacts], Counter[EntryFacts]]:
    original = _entries(path.read_text(encoding="utf-8"))
    library = load_library([path], cache=False)
    exported = _entries(format_many(list(library.papers), "bibtex")) if library.papers else Counter()
    return sum(original.values()), original - exported, exported - original


def _utf8_bib_files(folder: Path) -> list[Path]:
    files = []
    for path in sorted(folder.rglob("*.bib")):
        if not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # bibtexparser itself is handed text; other encodings are the reader's own tests
        if "\x00" not in text:
            files.append(path)
    return files


def _assert_lossless(files: list[Path], at_least_entries: int) -> None:
    compared = 0
    for path in files:
        count, missing, extra = _round_trip_differences(path)
        assert not missing and not extra, f"{path}: lost {list(missing)[:2]}, gained {list(extra)[:2]}"
        compared += count
    assert compared >= at_least_entries


def test_plume_bib_comes_back_field_for_field():
    _assert_lossless(_utf8_bib_files(shared_corpus("plume-bib")), 5_000)


def test_jabrefs_files_come_back_field_for_field():
    _assert_lossless(_utf8_bib_files(shared_corpus("jabref")), 900)


def test_the_acl_anthology_comes_back_field_for_field(tmp_path):
    _assert_lossless([acl_slice(tmp_path, 3_000)], 3_000)


def test_what_normalising_would_lose_is_written_as_read(tmp_path):
    bib = tmp_path / "refs.bib"
    bib.write_text(
        "@string{acl = {Proceedings of {ACL}}}\n"
        "@InProceedings{Doe:2020,\n"
        '  Title = {The {GPU} and {LLMs}}, author = "Doe, Jane and others",\n'
        "  booktitle = acl # { Workshops}, month = jan, year = 2020,\n"
        "  editor = {Roe, R.}, school = {MIT}, keywords = {a; b}, file = {:a\\_b.pdf:PDF},\n"
        "  custom-field = {kept {as} is}}\n",
        encoding="utf-8",
    )
    [paper] = load_library([bib], cache=False).papers
    written = format_citation(paper, "bibtex")
    assert written.startswith("@string{acl = {Proceedings of {ACL}}}\n\n@inproceedings{Doe:2020,\n")
    for line in (
        "  Title = {The {GPU} and {LLMs}}",
        '  author = "Doe, Jane and others"',
        "  booktitle = acl # { Workshops}",
        "  month = jan",
        "  custom-field = {kept {as} is}",
    ):
        assert line in written.splitlines() or line + "," in written.splitlines()
    assert _entries(written) == _entries(bib.read_text(encoding="utf-8"))


def test_a_value_with_a_lone_escaped_brace_is_mended_so_every_parser_reads_on(tmp_path):
    bib = tmp_path / "odd.bib"
    bib.write_text(
        "@article{a, title = {A \\{ b}, year = 2020}\n\n"
        '@article{b, title = "Quoted \\{ open", year = 2021}\n',
        encoding="utf-8",
    )
    library = load_library([bib], cache=False)
    written = format_many(list(library.papers), "bibtex")
    assert "title = {A \\textbraceleft{} b}" in written  # the same character for LaTeX
    assert _entries(written) == _entries(bib.read_text(encoding="utf-8"))
    assert not bibtexparser.parse_string(written).failed_blocks


def test_a_merged_paper_writes_every_entry_it_was_read_from(tmp_path):
    entry = (
        "@article{{{key}, title = {{Deep {{P}}arsing}}, author = {{Doe, J.}}, journal = {{J}}, year = 2020}}"
    )
    (tmp_path / "a.bib").write_text(entry.format(key="one") + "\n", encoding="utf-8")
    (tmp_path / "b.bib").write_text(entry.format(key="two"), encoding="utf-8")
    library = load_library([tmp_path], cache=False)
    [paper] = library.papers
    keys = [e.key for e in bibtexparser.parse_string(format_many([paper], "bibtex")).entries]
    assert keys == ["one", "two"]


def test_export_on_the_command_line_writes_the_original_entries(tmp_path):
    bib = acl_slice(tmp_path, 200)
    output = tmp_path / "out.bib"
    done = subprocess.run(
        [str(TUIREADER), "export", "--corpus", str(bib), "--style", "bibtex", "-o", str(output)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert _entries(output.read_text(encoding="utf-8")) == _entries(bib.read_text(encoding="utf-8"))


def test_records_and_new_facts_survive_the_parse_cache_and_the_snapshot(tmp_path):
    bib = tmp_path / "refs.bib"
    bib.write_text(
        "@book{k, title = {T}, editor = {Roe, Richard and Poe, Edgar}, edition = {2nd}, month = mar,\n"
        "  address = {Berlin}, series = {LNCS}, isbn = {978-3}, note = {A {note}}, year = 2020}\n",
        encoding="utf-8",
    )
    cache = ParseCache(tmp_path / "cache", reader_version="test")
    fresh = load_library([bib], cache=cache)
    [paper] = fresh.papers
    assert [a.family for a in paper.editors] == ["Roe", "Poe"]
    assert (paper.edition, paper.month, paper.address, paper.series, paper.isbn) == (
        "2nd",
        "March",
        "Berlin",
        "LNCS",
        "978-3",
    )
    [record] = paper.records
    assert (record.format, record.entry_type, record.key) == ("bibtex", "book", "k")
    assert ("note", "{A {note}}") in record.fields
    assert record.source == paper.sources[0]
    again = load_library([bib], cache=cache)  # from the snapshot
    assert list(again.papers) == list(fresh.papers)
    (cache.folder).mkdir(exist_ok=True)
    for snapshot in cache.folder.glob("*.library"):
        snapshot.unlink()
    from_parse_cache = load_library([bib], cache=cache)
    assert list(from_parse_cache.papers) == list(fresh.papers)
