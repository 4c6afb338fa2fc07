"""Every background task's failure reaches the user as a notification naming it, and the log file."""

from __future__ import annotations

import asyncio

from textual.pilot import Pilot
from textual.widgets import OptionList

from tests.app.conftest import reader_app, ready, screen_text
from tuireader.app.screens.pickers import RelatedPapers
from tuireader.logs import log_path


def _broken(*args, **kwargs):
    raise RuntimeError("the disk went away")


async def _notified(pilot: Pilot, title: str, timeout: float = 60.0) -> str:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        for notification in pilot.app._notifications:
            if notification.title == title:
                return notification.message
        if loop.time() > deadline:
            raise AssertionError(f"no {title!r} notification; the screen was:\n{screen_text(pilot.app)}")
        await asyncio.sleep(0.05)


def _logged(what: str) -> str:
    log = log_path().read_text(encoding="utf-8")
    assert f"{what} failed" in log and "RuntimeError: the disk went away" in log
    return log


async def test_a_failing_palette_search_is_reported(monkeypatch) -> None:
    app = reader_app()
    async with app.run_test(size=(160, 48)) as pilot:
        main = await ready(pilot)
        monkeypatch.setattr(main.engine, "search", _broken)
        await pilot.press("ctrl+p", *"jailbreak")
        message = await _notified(pilot, "Go to paper failed")
        assert "RuntimeError: the disk went away" in message
        assert str(log_path()) in message
    _logged("Go to paper")


async def test_a_failing_related_search_is_reported_and_the_picker_says_so(monkeypatch) -> None:
    app = reader_app()
    async with app.run_test(size=(160, 48)) as pilot:
        main = await ready(pilot)
        monkeypatch.setattr(main.engine, "related", _broken)
        await pilot.press("r")
        message = await _notified(pilot, "Related papers failed")
        assert "RuntimeError: the disk went away" in message
        picker = app.screen
        assert isinstance(picker, RelatedPapers)
        options = picker.query_one(OptionList)
        assert not options.loading
        assert "could not be found" in str(options.get_option_at_index(0).prompt)
    _logged("Related papers")


async def test_a_failing_copy_is_reported(monkeypatch) -> None:
    import tuireader.app.app as app_module

    monkeypatch.setattr(app_module, "copy_summary", _broken)
    app = reader_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await ready(pilot)
        await pilot.press("y")
        message = await _notified(pilot, "Copying failed")
        assert "RuntimeError: the disk went away" in message
    _logged("Copying")


async def test_an_index_found_damaged_while_searching_is_rebuilt_behind_the_list(monkeypatch) -> None:
    from tuireader.index import IndexDamaged

    app = reader_app()
    async with app.run_test(size=(160, 48)) as pilot:
        main = await ready(pilot)
        damaged = main.engine

        def broken(*args, **kwargs):
            raise IndexDamaged("the search index is damaged (MAIN_1.pst); it is rebuilt on the next open")

        monkeypatch.setattr(damaged, "search", broken)
        await pilot.press("slash", *"jailbreak")
        message = await _notified(pilot, "Search failed")
        assert "the search index is damaged" in message
        main = await ready(pilot)  # searchable again, on a new index
        assert main.engine is not None and main.engine is not damaged
        assert len(main.query_one("#paper-list").ids) == 2  # "jailbreak", searched once rebuilt
        assert "Search failed" not in screen_text(app)
