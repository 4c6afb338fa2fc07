"""A large BibTeX file scanned in parts by child processes reads exactly as one scanned whole."""

from __future__ import annotations

import pytest

from tests.conftest import ACL_ANTHOLOGY, acl_slice, shared_corpus
from tests.formats.corpora import write
from tuireader.corpus import bibtex_parts, snapshot
from tuireader.corpus.cache import default_folder
from tuireader.corpus.files import library_files, read_text
from tuireader.corpus.library import Library, load_library
from tuireader.corpus.problem_log import PROBLEMS_KEPT
from tuireader.corpus.readers.bibtex_scan import cut

FILLER = """@inproceedings{{filler-{number},
    title = "Filler paper number {number} about {{L}}anguage",
    author = "Doe, Jane and Roe, Richard",
    booktitle = "Proceedings of the Workshop",
    year = "2020",
    month = jan,
    abstract = "An abstract long enough to make the parts of this file {number} of a size.",
}}
"""


def _fillers(first: int, count: int) -> str:
    return "".join(FILLER.format(number=number) for number in range(first, first + count))


def _read(path, monkeypatch, *, children: int) -> Library:
    """The library of one file, its scan cut in `children` parts whatever its size (1: whole)."""
    with monkeypatch.context() as patched:
        patched.setattr(bibtex_parts, "PARALLEL_CHARS", 0)
        patched.setattr(bibtex_parts, "usable_cores", lambda: children)
        return load_library([path], cache=False)


def _assert_same(parted: Library, whole: Library) -> None:
    assert list(parted.paper_ids) == list(whole.paper_ids)
    assert list(parted.papers) == list(whole.papers)
    assert parted.problems == whole.problems
    assert (parted.records_read, parted.unlisted_problems) == (whole.records_read, whole.unlisted_problems)
    assert parted.aliases == whole.aliases
    assert parted.merges == whole.merges


def test_a_slice_of_the_acl_anthology_reads_the_same_in_parts(tmp_path, monkeypatch):
    path = acl_slice(tmp_path, 3_000)
    whole = _read(path, monkeypatch, children=1)
    parted = _read(path, monkeypatch, children=3)
    assert len(whole.papers) > 2_900
    _assert_same(parted, whole)


def test_macros_parents_and_problems_cross_the_cuts(tmp_path, monkeypatch):
    text = (
        '@string{wsname = "Workshop on Cut Files"}\n'
        + "@inproceedings{child-early,\n  title = {Early Child},\n  crossref = {parent-late},\n}\n"
        + "@article{twice, title = {First of Two}, journal = wsname, year = 2001}\n"
        + _fillers(0, 40)
        + "@article{damaged, title = {Never Closed\n"
        + "@article{twice, title = {Second of Two}, journal = wsname # { 2nd}, year = 2002}\n"
        + "@article{repeats, title = {A}, title = {B}, year = 2003}\n"
        + _fillers(40, 40)
        + "@proceedings{parent-late, title = {Book of the Late Parent}, journal = wsname, year = 2004}\n"
        + "@article{unknown-macro, title = {Uses Nothing Defined}, journal = nowhere, year = 2005}\n"
    )
    path = write(tmp_path, "cut.bib", text)
    parts = cut(text, 3)
    assert len(parts) == 3
    assert "@string{wsname" in parts[0][1] and "child-early" in parts[0][1]
    assert "Second of Two" in parts[1][1] and "parent-late" in parts[2][1]

    whole = _read(path, monkeypatch, children=1)
    parted = _read(path, monkeypatch, children=3)
    _assert_same(parted, whole)
    child = parted.get("child-early")
    assert child is not None and child.booktitle == "Book of the Late Parent"
    venues = {paper.title: paper.journal for paper in parted.papers}
    assert venues["Second of Two"] == "Workshop on Cut Files 2nd"
    lines = text.splitlines()
    problems = {problem.message.split(" ")[0]: problem.line for problem in parted.problems}
    second = next(p for p in parted.problems if p.message.startswith("key “twice”"))
    assert lines[second.line - 1].startswith("@article{twice") and "Second" in lines[second.line - 1]
    assert "is also used at line 6" in second.message
    damaged = next(p for p in parted.problems if "damaged" in p.message)
    assert lines[damaged.line - 1].startswith("@article{damaged")
    assert problems["@string"] is None  # `nowhere`, reported once for the file


def test_a_damaged_file_lists_the_same_first_problems_in_parts(tmp_path, monkeypatch):
    blocks = []
    for number in range(3 * PROBLEMS_KEPT):
        blocks.append(f"@article{{same, title = {{Entry {number}}}, year = 2000}}\n")
        if number % 3 == 0:
            blocks.append(f"@article{{broken-{number}, title = {{Open\n")
    path = write(tmp_path, "damaged.bib", "".join(blocks))
    whole = _read(path, monkeypatch, children=1)
    parted = _read(path, monkeypatch, children=4)
    assert whole.unlisted_problems > 0
    _assert_same(parted, whole)


def test_a_failing_child_costs_time_not_papers(tmp_path, monkeypatch):
    path = acl_slice(tmp_path, 300)
    whole = _read(path, monkeypatch, children=1)
    monkeypatch.setattr(bibtex_parts, "_CHILD", "raise SystemExit(3)")
    parted = _read(path, monkeypatch, children=2)
    _assert_same(parted, whole)


def test_the_whole_acl_anthology_scans_the_same_in_parts():
    [file], _ = library_files([shared_corpus(ACL_ANTHOLOGY)])
    assert len(read_text(file)[0]) > bibtex_parts.PARALLEL_CHARS
    parted = bibtex_parts.scan_file(file, children=2)
    whole = bibtex_parts.scan_file(file, children=1)
    assert len(parted.entries) == 63_737
    assert parted.entries == whole.entries
    assert parted.strings == whole.strings
    assert parted.problems == whole.problems


@pytest.mark.parametrize("count", [1, 2, 5])
def test_cutting_keeps_every_character_and_counts_lines(count):
    text = "% head\n" + _fillers(0, 7) + "@comment{tail}\n"
    parts = cut(text, count)
    assert "".join(part for _, part in parts) == text
    for first_line, part in parts:
        assert text.splitlines()[first_line] == part.splitlines()[0]


def test_a_cache_of_many_batches_gives_back_every_paper(tmp_path):
    path = acl_slice(tmp_path, 5_000)
    first = load_library([path])
    from_snapshot = load_library([path])
    snapshots = list(default_folder().glob(f"*{snapshot.SUFFIX}"))
    assert snapshots
    for snapshot_file in snapshots:
        snapshot_file.unlink()
    from_parse_cache = load_library([path])
    assert len(first.papers) > 2 * 2048
    _assert_same(from_snapshot, first)
    _assert_same(from_parse_cache, first)
