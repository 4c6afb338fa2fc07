"""Keys that arrive in one burst (fast typing, a slow link) edit the search bar in the order they
were typed: an editing key bound on the bar (Backspace, Ctrl+U, the arrows) is not overtaken by
the characters typed after it."""

from __future__ import annotations

import pytest
from textual import events
from textual.widgets import Input

from tests.app.conftest import reader_app, ready

_CHARACTERS = {"backspace": "\x7f", "ctrl+u": "\x15", "ctrl+w": "\x17", "left": None, "home": None}


@pytest.mark.parametrize(
    ("burst", "expected"),
    [
        (["backspace", "s"], "models"),
        (["ctrl+u", "g", "r"], "gr"),
        (["left", "left", "backspace", "q"], "modqlx"),
        (["ctrl+w", "x", "y"], "xy"),
        (["home", "a", "backspace", "backspace", "z"], "zmodelx"),
    ],
)
async def test_a_burst_of_keys_edits_the_bar_in_order(burst: list[str], expected: str) -> None:
    app = reader_app()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await ready(pilot)
        await pilot.press("slash", *"modelx")
        bar = screen.query_one("#search", Input)
        assert bar.value == "modelx"
        for key in burst:  # posted as the terminal driver posts them: none waits for the one before
            character = _CHARACTERS.get(key, key)
            app.post_message(events.Key(key, character))
        for _ in range(200):
            await pilot.pause(0.01)
            if screen.search_text == expected:
                break
        await pilot.pause(0.2)  # a key run late would change it again by now
        assert bar.value == screen.search_text == expected
