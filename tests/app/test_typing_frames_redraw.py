"""What the frames drawn while typing in the search bar redraw: the bar, the list and the reading
pane, never the facets beside them; and a query longer than the bar still scrolls within it."""

from __future__ import annotations

import asyncio

from textual import events
from textual.geometry import Region
from textual.widgets import Input

from tests.app.conftest import reader_app, ready, screen_text
from tuireader.app.app import ReaderApp
from tuireader.app.screens.main import MainScreen


def _record_redrawn(app: ReaderApp, screen: MainScreen) -> tuple[list[Region], list[str | None]]:
    """The screen lines each frame redraws (as one-line regions), and for each frame the query
    whose results it showed (None before any), noted as it is drawn."""
    redrawn: list[Region] = []
    shown: list[str | None] = []
    display = app._display

    def recording(drawn: object, update: object) -> None:
        display(drawn, update)  # type: ignore[arg-type]
        for y, start, end in getattr(update, "spans", ()):
            redrawn.append(Region(start, y, end - start + 1, 1))
        if update is not None:
            request = screen.shown_request
            shown.append(
                request.query if request is not None and request == screen.current_request() else None
            )

    app._display = recording  # type: ignore[method-assign]
    return redrawn, shown


async def _type(app: ReaderApp, shown: list[str | None], text: str) -> None:
    """Each key as the terminal sends it, waiting for a frame that shows its results (whenever it
    comes: a frame may be drawn before a check made after the results arrived would see it)."""
    for typed, character in enumerate(text, start=1):
        app.post_message(events.Key("space" if character == " " else character, character))
        deadline = asyncio.get_running_loop().time() + 20
        while text[:typed] not in shown:
            assert asyncio.get_running_loop().time() < deadline, f"no frame showed {text[:typed]!r}"
            await asyncio.sleep(0.001)


async def test_typing_redraws_neither_the_facets_nor_their_scroll_bars() -> None:
    app = reader_app()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await ready(pilot)
        await pilot.press("slash")
        await pilot.pause()
        redrawn, shown = _record_redrawn(app, screen)
        await _type(app, shown, "learning to rea")
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
        _, shown = _record_redrawn(app, screen)
        await _type(app, shown, query)
        await pilot.pause()
        assert bar.region == before
        assert bar.scroll_x > 0
        assert "neural attention" in screen_text(app)
