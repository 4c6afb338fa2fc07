"""The merged library kept between starts: an unchanged library opens without reading, merging or
rebuilding papers; any change to its files, or damage to the snapshot, means reading again."""

from __future__ import annotations

import os

import pytest

from tests.conftest import acl_slice
from tests.formats.corpora import write
from tuireader.corpus import library as library_module
from tuireader.corpus.cache import default_folder
from tuireader.corpus.library import load_library
from tuireader.corpus.snapshot import PaperTable

BIB = "@article{a, title = {First}, author = {Doe, Jane}, year = 2020, journal = {JMLR}}\n"
RIS = "TY  - JOUR\nTI  - From RIS\nAU  - Roe, Richard\nPY  - 2019\nER  -\n"


@pytest.fixture
def work(monkeypatch):
    """Counts of reading and merging: what a start from the snapshot must not do."""
    done = {"read": 0, "merged": 0}
    real_head, real_merge = library_module.read_head, library_module.merge_groups

    def head(file):
        done["read"] += 1
        return real_head(file)

    def merge(records):
        done["merged"] += 1
        return real_merge(records)

    monkeypatch.setattr(library_module, "read_head", head)
    monkeypatch.setattr(library_module, "merge_groups", merge)
    return done


def _library(tmp_path):
    folder = tmp_path / "library"
    folder.mkdir()
    write(folder, "a.bib", BIB)
    write(folder, "b.ris", RIS)
    return folder


def test_an_unchanged_library_opens_from_its_snapshot(tmp_path, work):
    folder = _library(tmp_path)
    first = load_library([folder])
    assert work == {"read": 2, "merged": 1}
    again = load_library([folder])
    assert work == {"read": 2, "merged": 1}  # nothing read, nothing merged
    assert isinstance(again.papers, PaperTable)
    assert again.papers == first.papers
    assert (again.problems, again.files_read, again.records_read) == (
        first.problems,
        first.files_read,
        first.records_read,
    )


def test_a_changed_or_added_file_is_read_again(tmp_path, work):
    folder = _library(tmp_path)
    load_library([folder])
    path = folder / "a.bib"
    path.write_text(BIB.replace("First", "Changed"), encoding="utf-8")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    assert "Changed" in [paper.title for paper in load_library([folder]).papers]
    write(folder, "c.bib", BIB.replace("{a,", "{c,").replace("First", "Third"))
    titles = [paper.title for paper in load_library([folder]).papers]
    assert sorted(titles) == ["Changed", "From RIS", "Third"]
    assert work["merged"] == 3


def test_a_damaged_snapshot_is_ignored(tmp_path, work):
    folder = _library(tmp_path)
    expected = load_library([folder])
    [snapshot_file] = default_folder().glob("*.library")
    for damaged in (b"", b"not a snapshot", snapshot_file.read_bytes()[:-7] + b"garbage"):
        snapshot_file.write_bytes(damaged)
        assert load_library([folder]).papers == expected.papers
    assert work["merged"] == 4  # each damaged one was merged again, from the parse cache


def test_papers_are_rebuilt_only_when_asked_for(tmp_path):
    library_file = acl_slice(tmp_path, 300)
    fresh = load_library([library_file], cache=False)
    load_library([library_file])
    kept = load_library([library_file])
    table = kept.papers
    assert isinstance(table, PaperTable)
    some = fresh.papers[150]
    assert kept.get(some.id) == some
    assert sum(paper is not None for paper in table._papers) == 1  # only the one asked for
    assert list(kept.paper_ids) == [paper.id for paper in fresh.papers]
    assert kept.papers == fresh.papers and kept.problems == fresh.problems


def test_the_author_tables_need_no_papers_rebuilt(tmp_path):
    library_file = acl_slice(tmp_path, 300)
    fresh = load_library([library_file], cache=False)
    load_library([library_file])
    kept = load_library([library_file])
    table = kept.papers
    assert isinstance(table, PaperTable)
    assert list(kept.bylines()) == [paper.authors for paper in fresh.papers]
    counted = kept.people.counts_of_bylines(kept.bylines())
    assert counted == fresh.people.counts(fresh.papers)
    assert all(paper is None for paper in table._papers)  # names read, no paper rebuilt
