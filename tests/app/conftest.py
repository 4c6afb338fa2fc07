"""An app on the bundled corpus (or given files) with test settings, waited on until it shows papers."""

from __future__ import annotations

import asyncio
import html
import re

from textual.pilot import Pilot
from textual.widgets import Input

from tuireader.app.app import ReaderApp
from tuireader.app.screens.main import MainScreen
from tuireader.config import Settings


def reader_app(paths: list[str] | None = None, **settings: object) -> ReaderApp:
    return ReaderApp(paths, settings=Settings(**settings), cursor_blink=False)  # type: ignore[arg-type]


async def ready(pilot: Pilot, timeout: float = 30.0) -> MainScreen:
    """The main screen once the index is ready and the results of its latest request are on screen."""
    app = pilot.app
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        screen = app.screen
        if (
            isinstance(screen, MainScreen)
            and screen.shown_from_index
            and screen.shown_request == screen.current_request()
            and not screen.details_pending
            # A value just set in the bar reaches the screen's query with the next message.
            and screen.search_text == screen.query_one("#search", Input).value
        ):
            await pilot.pause()
            return screen
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"the reader never showed results (screen: {screen!r})")
        await asyncio.sleep(0.01)


def screen_text(app: ReaderApp) -> str:
    """Everything on screen as plain text, in reading order (from the SVG export)."""
    svg = app.export_screenshot()
    runs = re.findall(r"<text [^>]*>(.*?)</text>", svg, flags=re.DOTALL)
    return html.unescape(" ".join(runs)).replace("\u00a0", " ")
