"""Keys typed while the library is read are kept, shown, and become the reader's search."""

from __future__ import annotations

from pathlib import Path

from textual.app import App
from textual.screen import Screen
from textual.widgets import Input, Label

from tests.app.conftest import reader_app, ready
from tuireader.app.screens.loading import LoadingScreen, TypedWhileLoading


class _After(Screen[None]):
    def __init__(self) -> None:
        super().__init__()
        self.received: list[str] = []

    def on_typed_while_loading(self, event: TypedWhileLoading) -> None:
        self.received.append(event.text)


class _Loading(App[None]):
    def on_mount(self) -> None:
        self.push_screen(LoadingScreen())


async def test_keys_typed_while_loading_reach_the_next_screen() -> None:
    app = _Loading()
    async with app.run_test() as pilot:
        await pilot.pause()
        loading = app.screen
        assert isinstance(loading, LoadingScreen)
        await pilot.press(*"quantx", "backspace", "u", "m")  # `q` is a letter while loading
        assert app.is_running
        assert "Search: quantum" in str(loading.query_one("#loading-typed", Label).render())
        after = _After()
        await app.switch_screen(after)
        await pilot.pause()
        assert after.received == ["quantum"]


async def test_the_search_key_pressed_first_is_not_typed() -> None:
    app = _Loading()
    async with app.run_test() as pilot:
        await pilot.pause()
        loading = app.screen
        assert isinstance(loading, LoadingScreen)
        await pilot.press("slash", *"and/or")  # a slash within the words is kept
        after = _After()
        await app.switch_screen(after)
        await pilot.pause()
        assert after.received == ["and/or"]


async def test_q_quits_once_loading_has_failed() -> None:
    app = _Loading()
    async with app.run_test() as pilot:
        await pilot.pause()
        loading = app.screen
        assert isinstance(loading, LoadingScreen)
        loading.failed("Reading the library failed", "OSError: gone")
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_the_reader_searches_for_what_was_typed(tmp_path: Path) -> None:
    path = tmp_path / "two.bib"
    path.write_text(
        "@article{a, title = {Quantum parsing}, author = {Bo, Li}, year = 2020}\n"
        "@article{b, title = {Classical parsing}, author = {Mu, Jo}, year = 2021}\n",
        encoding="utf-8",
    )
    app = reader_app([str(path)])
    async with app.run_test(size=(160, 48)) as pilot:
        main = await ready(pilot)
        main.post_message(TypedWhileLoading("quantum"))
        await pilot.pause()
        main = await ready(pilot)
        assert main.query_one("#search", Input).value == "quantum"
        assert main.focused is main.query_one("#search", Input)
        assert main.results is not None and list(main.results.ids) == ["a"]
