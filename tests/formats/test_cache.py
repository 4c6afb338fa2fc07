"""The parse cache: unchanged files are not read again, changed ones are, damage is shrugged off."""

from __future__ import annotations

import os

import pytest

from tests.formats.corpora import write
from tuireader.corpus import library as library_module
from tuireader.corpus.cache import ParseCache, default_folder
from tuireader.corpus.library import load_library

BIB = "@article{a, title = {First}, author = {Doe, Jane}, year = 2020, journal = jmlr}\n"
STRINGS = '@string{jmlr = "Journal of Machine Learning Research"}\n'
RIS = "TY  - JOUR\nTI  - From RIS\nAU  - Roe, Richard\nPY  - 2019\nER  -\n"


@pytest.fixture
def reads(monkeypatch):
    """Every file whose content is read, in order: the marker that parsing happened."""
    seen: list[str] = []
    real_head, real_text = library_module.read_head, library_module.read_text

    def head(file):
        seen.append(file.shown)
        return real_head(file)

    def text(file):
        seen.append(file.shown)
        return real_text(file)

    monkeypatch.setattr(library_module, "read_head", head)
    monkeypatch.setattr(library_module, "read_text", text)
    return seen


def library_folder(tmp_path):
    folder = tmp_path / "library"
    folder.mkdir()
    write(folder, "a.bib", BIB)
    write(folder, "strings.bib", STRINGS)
    write(folder, "export.ris", RIS)
    return folder


def test_a_second_start_reads_no_file_again(tmp_path, reads):
    folder = library_folder(tmp_path)
    first = load_library([folder])
    assert reads
    reads.clear()
    second = load_library([folder])
    assert reads == []
    assert second.papers == first.papers
    assert second.problems == first.problems
    assert [p.id for p in second.papers] == [p.id for p in first.papers]
    assert second.papers[0].venue == "Journal of Machine Learning Research"


def test_the_cache_lives_in_the_user_cache_folder(tmp_path):
    load_library([library_folder(tmp_path)])
    assert str(default_folder()).startswith(os.environ["XDG_CACHE_HOME"])
    assert len(list(default_folder().glob("*.cache"))) == 3


def test_a_changed_file_is_read_again(tmp_path, reads):
    folder = library_folder(tmp_path)
    load_library([folder])
    reads.clear()
    write(folder, "export.ris", RIS.replace("From RIS", "Changed title"))
    library = load_library([folder])
    assert [r for r in reads if r.endswith("export.ris")]
    assert not [r for r in reads if r.endswith("a.bib")]
    assert "Changed title" in [p.title for p in library.papers]


def test_a_changed_macro_reaches_the_cached_file_that_uses_it(tmp_path):
    folder = library_folder(tmp_path)
    load_library([folder])
    write(folder, "strings.bib", STRINGS.replace("Journal of Machine Learning Research", "JMLR"))
    [paper] = [p for p in load_library([folder]).papers if p.title == "First"]
    assert paper.venue == "JMLR"


def test_a_damaged_cache_is_ignored_and_rebuilt(tmp_path, reads):
    folder = library_folder(tmp_path)
    expected = load_library([folder])
    for snapshot_file in default_folder().glob("*.library"):
        snapshot_file.unlink()  # the whole library kept: without it, each file's cache is consulted
    for number, cache_file in enumerate(sorted(default_folder().glob("*.cache"))):
        data = cache_file.read_bytes()
        damaged = [data[: len(data) // 2], b"not a cache at all", data[:-10] + b"0123456789"][number % 3]
        cache_file.write_bytes(damaged)
    reads.clear()
    again = load_library([folder])
    assert again.papers == expected.papers
    assert len(reads) >= 3  # every file parsed again …
    reads.clear()
    assert load_library([folder]).papers == expected.papers
    assert reads == []  # … and the rebuilt cache is used


def test_an_unwritable_cache_folder_costs_nothing_but_speed(tmp_path):
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder should be", encoding="utf-8")
    library = load_library([library_folder(tmp_path)], cache=ParseCache(blocked / "library"))
    assert len(library.papers) == 2


def test_the_same_file_named_differently_keeps_its_own_label(tmp_path, monkeypatch):
    folder = library_folder(tmp_path)
    load_library([folder / "a.bib"])
    monkeypatch.chdir(folder)
    [paper] = load_library(["a.bib"]).papers
    assert [str(s) for s in paper.sources] == ["a.bib:1"]
