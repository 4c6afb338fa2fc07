"""Typing lays nothing out: the hint beside the search bar keeps its width while keys come (a new
width lays out the whole screen), the list and the reading pane keep their scroll bars, the footer
waits; once typing pauses, the hint fits its text."""

from __future__ import annotations

import asyncio

from textual import events
from textual.screen import Screen
from textual.widgets import Static

from tests.app.conftest import reader_app, ready, screen_text
from tuireader.app.app import ReaderApp
from tuireader.app.screens.main import MainScreen

# Keys whose hints differ in width: none, "Did you mean: neural?", none, "Did you mean: new?"; and
# the first key finds nothing, so the list empties and the footer loses the paper's actions.
TYPED = "neural netw"


async def _type(app: ReaderApp, screen: MainScreen, text: str) -> tuple[list[str], list[int]]:
    """Each key of `text` beyond what the bar holds, as the terminal sends it. The hint's text when
    its results are shown, and the hint's width on the first frame drawn after that."""
    hint = screen.query_one("#search-hint", Static)
    frames, shown_at = 0, 0
    texts: list[str] = []
    display, show_results = app._display, screen._show_results

    def counting(screen_shown: object, update: object) -> None:
        nonlocal frames
        display(screen_shown, update)  # type: ignore[arg-type]
        frames += update is not None

    def noting(*args: object) -> None:
        nonlocal shown_at
        show_results(*args)  # type: ignore[arg-type]
        shown_at = frames
        texts.append(str(hint.render()))

    app._display = counting  # type: ignore[method-assign]
    screen._show_results = noting  # type: ignore[method-assign]
    widths = []
    typed_before = len(screen.search_text)
    assert text.startswith(screen.search_text)
    for typed, character in enumerate(text[typed_before:], start=typed_before + 1):
        app.post_message(events.Key("space" if character == " " else character, character))
        while not (screen.search_text == text[:typed] and screen.shown_request == screen.current_request()):
            await asyncio.sleep(0.001)
        while frames <= shown_at:
            await asyncio.sleep(0.001)
        widths.append(hint.region.width)
    app._display, screen._show_results = display, show_results  # type: ignore[method-assign]
    return texts, widths


async def test_typing_lays_nothing_out_and_the_hint_keeps_its_width() -> None:
    app = reader_app()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await ready(pilot)
        await pilot.press("slash")
        await pilot.pause()
        layouts: list[Screen[object]] = []
        screen.screen_layout_refresh_signal.subscribe(screen, layouts.append, immediate=True)
        hints, widths = await _type(app, screen, TYPED)
        assert len({len(hint) for hint in hints}) >= 3, f"the hint never changed width: {hints}"
        assert len(set(widths)) == 1, f"the hint changed width while typing: {widths}"
        assert not layouts, f"{len(layouts)} layouts of the screen while typing"


async def test_once_typing_pauses_the_hint_fits_its_text() -> None:
    app = reader_app()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await ready(pilot)
        await pilot.press("slash")
        await pilot.pause()
        await _type(app, screen, TYPED)
        screen = await ready(pilot)
        await pilot.pause()
        hint = screen.query_one("#search-hint", Static)
        assert hint.content_region.width >= len("Did you mean: new?")
        assert "Did you mean: new?" in screen_text(app)
        await _type(app, screen, TYPED + "o")  # no hint
        screen = await ready(pilot)
        await pilot.pause()
        assert hint.content_region.width == 0
