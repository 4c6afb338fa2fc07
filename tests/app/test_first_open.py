"""A real library opened for the first time (empty cache): papers show while the index is built,
search works once it is ready, and every failure along the way reaches the user and the log."""

from __future__ import annotations

import asyncio
from pathlib import Path

from textual.pilot import Pilot

from tests.app.conftest import reader_app, ready, screen_text
from tests.conftest import acl_slice
from tuireader.app.screens.main import MainScreen
from tuireader.app.widgets.paper_list import PaperList
from tuireader.corpus.library import load_library
from tuireader.index import SearchEngine
from tuireader.logs import log_path


async def _until(pilot: Pilot, condition, what: str, timeout: float = 120.0) -> None:
    """Wait for a whole condition (never the first matching line): this machine is shared."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"{what} never happened; the screen was:\n{screen_text(pilot.app)}")
        await asyncio.sleep(0.05)
    await pilot.pause()


def _expected_ids(library_file: Path, query: str) -> list[str]:
    """The same search through the engine the CLI uses, on the index the reader built."""
    library = load_library([str(library_file)])
    with SearchEngine.open(library) as engine:
        return list(engine.search(query, limit=0).ids)


async def test_a_real_library_opens_with_an_empty_cache_and_search_works(tmp_path: Path) -> None:
    library_file = acl_slice(tmp_path, 2_000)
    app = reader_app([str(library_file)])
    async with app.run_test(size=(160, 48)) as pilot:
        await _until(pilot, lambda: isinstance(app.screen, MainScreen), "the main screen")
        main = app.screen
        assert isinstance(main, MainScreen)
        paper_list = main.query_one(PaperList)
        await _until(pilot, lambda: len(paper_list.ids) > 0, "a list of papers")
        # The list is the library's from its first paint, whether or not the index is ready yet.
        assert len(paper_list.ids) == len(main.library.papers) > 1_900
        assert "of" in screen_text(app) and "papers from 1 file" in screen_text(app)

        main = await ready(pilot, timeout=300)
        assert main.engine is not None
        assert "Indexing" not in screen_text(app)
        await pilot.press("slash", *"machine translation")
        await _until(
            pilot,
            lambda: main.shown_from_index and main.shown_request == main.current_request(),
            "the results of the typed query",
        )
        shown = list(paper_list.ids)
    expected = _expected_ids(library_file, "machine translation")
    assert 0 < len(shown) < 2_000
    assert shown == expected


async def test_words_typed_before_the_index_is_ready_are_searched_once_it_is(tmp_path: Path) -> None:
    library_file = acl_slice(tmp_path, 2_000)
    app = reader_app([str(library_file)])
    async with app.run_test(size=(160, 48)) as pilot:
        await _until(pilot, lambda: isinstance(app.screen, MainScreen), "the main screen")
        await pilot.press("slash", *"wordnet")
        main = await ready(pilot, timeout=300)
        assert main.search_text == "wordnet"
        shown = list(main.query_one(PaperList).ids)
    assert shown == _expected_ids(library_file, "wordnet")
    assert 0 < len(shown) < 2_000


async def test_a_failed_search_is_told_logged_and_never_looks_current(tmp_path: Path, monkeypatch) -> None:
    app = reader_app()
    async with app.run_test(size=(160, 48)) as pilot:
        main = await ready(pilot)
        paper_list = main.query_one(PaperList)
        before = list(paper_list.ids)

        def broken(*args, **kwargs):
            raise OSError("the index file went away")

        working = main.engine.search
        monkeypatch.setattr(main.engine, "search", broken)
        await pilot.press("slash", *"jailbreak")
        await _until(pilot, lambda: paper_list.has_class("stale"), "the list marked as stale")
        status = screen_text(app)
        assert "Search failed (OSError: the index file went away)" in status
        assert "the list below is from an earlier search" in status
        messages = [(n.title, n.message) for n in app._notifications]
        failures = [m for t, m in messages if t == "Search failed"]
        assert len(failures) == 1  # told once, not once per keystroke
        assert "OSError: the index file went away" in failures[0]
        assert any(str(log_path()) in m for _, m in messages)
        assert list(paper_list.ids) == before  # untouched, but marked as not this query's answer

        monkeypatch.setattr(main.engine, "search", working)
        await pilot.press("backspace")
        await _until(pilot, lambda: not paper_list.has_class("stale"), "a working search again")
        assert "Search failed" not in screen_text(app)
    log = log_path().read_text(encoding="utf-8")
    assert "Search failed" in log
    assert "Traceback" in log and "OSError: the index file went away" in log


async def test_an_index_that_cannot_be_built_leaves_the_list_and_says_why(
    tmp_path: Path, monkeypatch
) -> None:
    def cannot_build(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(SearchEngine, "open", cannot_build)
    app = reader_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await _until(
            pilot,
            lambda: "Search is unavailable: OSError" in screen_text(app),
            "the status line saying search is unavailable",
        )
        main = app.screen
        assert isinstance(main, MainScreen)
        assert len(main.query_one(PaperList).ids) == 18  # the library is still there to read
        messages = [(n.title, n.message) for n in app._notifications]
        assert any(t == "The search index could not be opened" and "No space left" in m for t, m in messages)
    assert "No space left on device" in log_path().read_text(encoding="utf-8")
