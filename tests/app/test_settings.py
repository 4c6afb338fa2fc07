"""Theme, sort and pane layout persist in the config file; a damaged file falls back with a notice."""

from __future__ import annotations

from tests.app.conftest import ready
from tuireader.app.app import ReaderApp
from tuireader.config import Settings, config_path, load_settings, save_settings


async def test_theme_sort_and_facet_pane_are_saved() -> None:
    app = ReaderApp(cursor_blink=False)
    async with app.run_test(size=(160, 48)) as pilot:
        await ready(pilot)
        app.theme = "nord"
        await pilot.press("s", "f")
        await ready(pilot)
    saved, problem = load_settings()
    assert problem is None
    assert (saved.theme, saved.sort, saved.show_facets) == ("nord", "year", False)

    again = ReaderApp(cursor_blink=False)
    async with again.run_test(size=(160, 48)) as pilot:
        screen = await ready(pilot)
        assert again.theme == "nord"
        assert screen.sort == "year"
        assert not screen.query_one("#facet-pane").display


async def test_a_damaged_config_falls_back_to_defaults_and_says_so() -> None:
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('theme = "nord"\nsort = [not toml', encoding="utf-8")
    app = ReaderApp(cursor_blink=False)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await ready(pilot)
        assert screen.sort == "relevance"
        messages = [notification.message for notification in app._notifications]
        assert any(str(path) in message and "using defaults" in message for message in messages)


def test_settings_round_trip_through_the_file() -> None:
    settings = Settings(
        theme="gruvbox", sort="title", show_facets=False, libraries=("~/papers", 'odd "name"')
    )
    save_settings(settings)
    assert load_settings() == (settings, None)


def test_a_wrong_value_type_is_reported_with_the_key() -> None:
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('sort = "sideways"\n', encoding="utf-8")
    settings, problem = load_settings()
    assert settings == Settings()
    assert problem is not None and "sort" in problem
