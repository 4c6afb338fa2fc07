"""What the frames drawn while typing in the search bar redraw: the bar, the list and the reading
pane, never the facets beside them; and a query longer than the bar still scrolls within it."""

from __future__ import annotations

import asyncio
import contextlib

from textual import events
from textual.geometry import Region
from textual.widgets import Input

from tests.app.conftest import reader_app, ready, screen_text
from tuireader.app.app import ReaderApp
from tuireader.app.screens.main import MainScreen

FRAME_WAIT = 2.0  # seconds


def _record_redrawn(app: ReaderApp) -> tuple[list[Region], asyncio.Event]:
    """The screen lines each frame redraws (as one-line regions), and an event set on each frame."""
    redrawn: list[Region] = []
    drawn = asyncio.Event()
    display = app._display

    def recording(screen: object, update: object) -> None:
        display(screen, update)  # type: ignore[arg-type]
        for y, start, end in getattr(update, "spans", ()):
            redrawn.append(Region(start, y, end - start + 1, 1))
        if update is not None:
            drawn.set()

    app._display = recording  # type: ignore[method-assign]
    return redrawn, drawn


async def _type(app: ReaderApp, screen: MainScreen, drawn: asyncio.Event, text: str) -> None:
    """Each key as the terminal sends it, waiting for the frame that shows its results."""
    for typed, character in enumerate(text, start=1):
        app.post_message(events.Key("space" if character == " " else character, character))
        while not (screen.search_text == text[:typed] and screen.shown_request == screen.current_request()):
            await asyncio.sleep(0.001)
        drawn.clear()
        # The results' frame may have come already, on a busy machine, before the line above:
        # then no frame follows (nothing changes), and only waiting longer tells.
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(drawn.wait(), FRAME_WAIT)


async def test_typing_redraws_neither_the_facets_nor_their_scroll_bars() -> None:
    app = reader_app()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await ready(pilot)
        await pilot.press("slash")
        await pilot.pause()
        redrawn, drawn = _record_redrawn(app)
        await _type(app, screen, drawn, "learning to rea")
        facets = screen.query_one("#facet-pane").region
        assert redrawn, "no frame was drawn while typing"
        assert any(region.overlaps(screen.query_one("#paper-list").region) for region in redrawn)
        assert not [region for region in redrawn if region.overlaps(facets)]


async def test_a_query_longer_than_the_bar_scrolls_within_it() -> None:
    app = reader_app()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await ready(pilot)
        bar = screen.query_one("#search", Input)
        before = bar.region
        await pilot.press("slash")
        query = "neural " * 40 + "attention"
        _, drawn = _record_redrawn(app)
        await _type(app, screen, drawn, query)
        await pilot.pause()
        assert bar.region == before
        assert bar.scroll_x > 0
        assert "neural attention" in screen_text(app)
