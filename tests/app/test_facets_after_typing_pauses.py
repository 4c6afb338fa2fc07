"""While the user types, searches leave the facets uncounted (they are drawn only once typing
pauses); once it pauses they are counted, drawn, and the same as a whole search's."""

from __future__ import annotations

import asyncio

import pytest
from textual import events
from textual.widgets import Static

from tests.app.conftest import reader_app, ready
from tuireader.app.screens import main
from tuireader.app.screens.main import MainScreen, SearchRequest
from tuireader.app.widgets.facets import AuthorFacets, YearFacets
from tuireader.index import SearchResults


async def _type(app: object, screen: MainScreen, text: str) -> list[SearchResults]:
    """Each key of `text` as the terminal sends it; the results shown for each."""
    shown: list[SearchResults] = []
    show = screen._show_results

    def noting(request: SearchRequest, results: SearchResults, *rest: object) -> None:
        show(request, results, *rest)  # type: ignore[arg-type]
        if screen.results is results:
            shown.append(results)

    screen._show_results = noting  # type: ignore[method-assign]
    try:
        for typed, character in enumerate(text, start=1):
            screen.app.post_message(events.Key(character, character))
            while screen.search_text != text[:typed] or screen.shown_request != screen.current_request():
                await asyncio.sleep(0.001)
    finally:
        screen._show_results = show  # type: ignore[method-assign]
    return shown


async def test_facets_follow_once_typing_pauses_and_match_a_whole_search() -> None:
    app = reader_app()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await ready(pilot)
        await pilot.press("slash")
        shown = await _type(app, screen, "lang")
        assert shown and not any(results.facets_counted for results in shown)
        screen = await ready(pilot)  # typing paused: the facets are drawn
        assert screen.results is not None and screen.results.facets_counted
        assert screen.engine is not None
        whole = screen.engine.search("lang", limit=0)
        assert whole.total == screen.results.total
        authors = screen.query_one(AuthorFacets)
        assert [authors.get_option_at_index(i).id for i in range(len(whole.author_facets))] == [
            person.key for person, _ in whole.author_facets
        ]
        years = screen.query_one(YearFacets)
        assert [years.get_option_at_index(i).id for i in range(len(whole.year_facets))] == [
            str(year) for year, _ in whole.year_facets
        ]


async def test_a_filtered_author_keeps_their_name_in_the_status_line_while_typing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = reader_app()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await ready(pilot)
        assert screen.results is not None
        person = screen.results.author_facets[0][0]
        assert person.key.split("|")[0] != person.name  # the name, not the key, is looked for
        screen.authors = (person.key,)
        screen = await ready(pilot)
        status = screen.query_one("#status-line", Static)
        assert f"author: {person.name}" in str(status.render())
        monkeypatch.setattr(main, "DETAILS_DELAY", 60.0)  # typing does not pause in this test
        await pilot.press("slash")
        shown = await _type(app, screen, "la")
        await pilot.pause()
        assert screen.details_pending and screen.results is shown[-1]
        assert not shown[-1].facets_counted
        assert f"author: {person.name}" in str(status.render())
