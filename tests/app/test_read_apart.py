"""A large library is read by a child process and opened from the cache it leaves, so that the
reader never holds the library as read: the same papers, problems and keys as read in the
reader's own process, progress on the way, and a child that fails costs time, not the library."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

from tests.app.conftest import reader_app, ready, screen_text
from tests.conftest import acl_slice
from tuireader.app import reading_apart
from tuireader.app.reading_apart import load_library_apart
from tuireader.app.screens.main import MainScreen
from tuireader.app.widgets.paper_list import PaperList
from tuireader.corpus.library import Library, LoadProgress, load_library
from tuireader.corpus.snapshot import PaperTable
from tuireader.index import SearchEngine

_BROKEN_ENTRY = "\n@article{broken-entry,\n  title = {Never closed,\n  year = 2020\n"


def _library_file(folder: Path) -> Path:
    """A slice of the ACL file with a damaged entry at its end, so that a problem is reported."""
    path = acl_slice(folder, 600)
    with path.open("a", encoding="utf-8") as stream:
        stream.write(_BROKEN_ENTRY)
    return path


def _same_library(found: Library, expected: Library) -> None:
    assert list(found.papers) == list(expected.papers)
    assert found.problems == expected.problems
    assert found.files_read == expected.files_read
    assert found.records_read == expected.records_read
    assert dict(found.aliases) == dict(expected.aliases)
    assert found.merges == expected.merges


def _reading_children() -> list[int]:
    """This process's children that are reading a library apart."""
    found = []
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        for child in (task / "children").read_text().split():
            try:
                command = Path(f"/proc/{child}/cmdline").read_bytes()
            except OSError:
                continue
            if b"reading_apart" in command:
                found.append(int(child))
    return found


def test_a_library_read_apart_is_the_library_read_here(tmp_path: Path) -> None:
    path = _library_file(tmp_path)
    reports: list[LoadProgress] = []
    found = load_library_apart([str(path)], progress=reports.append, apart_from=0)
    assert isinstance(found.papers, PaperTable)  # opened from the cache the child left
    expected = load_library([str(path)], cache=False)
    _same_library(found, expected)
    assert any(f"{path}" in problem.path and problem.line for problem in found.problems)
    assert reports and reports[-1].fraction == 1.0
    assert not _reading_children()


def test_a_small_library_is_read_here(tmp_path: Path) -> None:
    path = _library_file(tmp_path)
    found = load_library_apart([str(path)])  # far below the size read apart
    assert not isinstance(found.papers, PaperTable)
    _same_library(found, load_library([str(path)], cache=False))


def test_stopping_the_load_stops_the_child(tmp_path: Path) -> None:
    path = _library_file(tmp_path)

    def stop(_: LoadProgress) -> None:
        raise KeyboardInterrupt  # what the reader raises is its own; any exception stops it

    with pytest.raises(KeyboardInterrupt):
        load_library_apart([str(path)], progress=stop, apart_from=0)
    assert not _reading_children()


def test_a_child_that_fails_costs_time_not_the_library(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    path = _library_file(tmp_path)
    monkeypatch.setattr(reading_apart, "_CHILD", "import sys; sys.exit(3)")
    found = load_library_apart([str(path)], apart_from=0)
    _same_library(found, load_library([str(path)], cache=False))
    assert "exit code 3" in caplog.text  # the reader's log handler writes these to its file


def test_with_no_cache_to_keep_it_in_the_library_is_read_here_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    path = _library_file(tmp_path)
    blocked = tmp_path / "cache"
    blocked.write_text("a file where the cache folder would be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    monkeypatch.setattr(reading_apart, "_CHILD", "import sys; sys.exit(3)")  # must not be started
    found = load_library_apart([str(path)], apart_from=0)
    _same_library(found, load_library([str(path)], cache=False))
    assert "exit code" not in caplog.text


async def test_the_reader_opens_a_library_read_apart_and_searches_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _library_file(tmp_path)
    monkeypatch.setattr(reading_apart, "READ_APART_FROM", 0)
    app = reader_app([str(path)])
    async with app.run_test(size=(160, 48)) as pilot:
        main = await ready(pilot, timeout=300)
        assert isinstance(main.library.papers, PaperTable)
        paper_list = main.query_one(PaperList)
        assert len(paper_list.ids) == len(main.library.papers) > 590
        await pilot.press("slash", *"machine translation")
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 120
        while not (main.shown_from_index and main.shown_request == main.current_request()):
            assert loop.time() < deadline, screen_text(app)
            await asyncio.sleep(0.05)
        shown = list(paper_list.ids)
        assert isinstance(app.screen, MainScreen)
    with SearchEngine.open(load_library([str(path)], cache=False)) as engine:
        assert shown == list(engine.search("machine translation", limit=0).ids)
    assert 0 < len(shown) < 600
