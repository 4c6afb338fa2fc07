"""Pilot tests of the reader's key flows on the bundled corpus, with a real index on disk."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, OptionList, Static

from tests.app.conftest import reader_app, ready, screen_text
from tuireader.app.screens.help import HelpScreen
from tuireader.app.screens.main import MainScreen
from tuireader.app.screens.pickers import AuthorPicker, RelatedPapers
from tuireader.app.widgets.abstract_view import AbstractView
from tuireader.app.widgets.facets import AuthorFacets, YearFacets
from tuireader.app.widgets.paper_list import PaperList


def status(screen: MainScreen) -> str:
    return str(screen.query_one("#status-line", Static).render())


async def test_start_shows_every_paper_and_the_first_abstract() -> None:
    app = reader_app()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await ready(pilot)
        assert "18 of 18 papers" in status(screen)
        paper_list = screen.query_one(PaperList)
        assert len(paper_list.ids) == 18
        assert paper_list.has_focus
        first = screen.library.get(paper_list.ids[0])
        assert first is not None
        abstract = screen.query_one(AbstractView).text
        assert first.display_title in abstract
        facets = screen.query_one(AuthorFacets)
        assert facets.option_count > 0
        assert "Mu, Jesse" in str(facets.get_option_at_index(0).prompt)


async def test_typing_a_search_narrows_the_list() -> None:
    app = reader_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await ready(pilot)
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press(*"jailbreak")
        screen = await ready(pilot)
        assert set(screen.query_one(PaperList).ids) == {"2501.18837", "wangjailbreak"}
        assert "2 of 18 papers" in status(screen)
        await pilot.press("escape")
        assert screen.query_one(PaperList).has_focus


async def test_a_query_that_does_not_parse_shows_a_hint_not_an_error() -> None:
    app = reader_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await ready(pilot)
        await pilot.press("slash", *'title:("red')
        screen = await ready(pilot)
        hint = str(screen.query_one("#search-hint", Static).render())
        assert hint.strip(), "an unparseable query should explain itself"
        assert screen.results is not None


async def test_author_facets_narrow_and_clear_with_one_key() -> None:
    app = reader_app()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await ready(pilot)
        await pilot.press("a")
        facets = screen.query_one(AuthorFacets)
        assert facets.has_focus
        facets.highlighted = 0  # Mu, Jesse: 9 papers
        await pilot.press("enter")
        screen = await ready(pilot)
        assert "9 of 18 papers" in status(screen)
        assert "author: Mu, Jesse" in status(screen)
        goodman = next(
            i for i in range(facets.option_count) if "Goodman" in str(facets.get_option_at_index(i).prompt)
        )
        facets.highlighted = goodman
        await pilot.press("enter")
        screen = await ready(pilot)
        assert "4 of 18 papers" in status(screen)  # both spellings of Noah Goodman count
        await pilot.press("x")
        screen = await ready(pilot)
        assert "18 of 18 papers" in status(screen)
        assert screen.authors == ()


async def test_year_facet_filters_to_a_year() -> None:
    app = reader_app()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await ready(pilot)
        years = screen.query_one(YearFacets)
        years.focus()
        years.highlighted = next(
            i for i in range(years.option_count) if years.get_option_at_index(i).id == "2024"
        )
        await pilot.press("enter")
        screen = await ready(pilot)
        assert set(screen.query_one(PaperList).ids) == {
            "2409.12822",
            "2409.08466",
            "2406.04604",
            "2404.09932",
        }
        assert "year: 2024" in status(screen)


async def test_sort_cycles_and_is_remembered() -> None:
    app = reader_app()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await ready(pilot)
        await pilot.press("s")
        screen = await ready(pilot)
        assert screen.sort == "year"
        ids = screen.query_one(PaperList).ids
        years = [screen.library.get(paper_id).year or 0 for paper_id in ids]
        assert years[0] == 2025
        assert years[: years.index(0)] == sorted(years[: years.index(0)], reverse=True)
        assert app.settings.sort == "year"
        await pilot.press("s", "s", "s")
        screen = await ready(pilot)
        assert screen.sort == "relevance"


async def test_related_papers_open_and_lead_to_a_paper() -> None:
    app = reader_app()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await ready(pilot)
        assert screen.query_one(PaperList).select("2501.18837")
        await pilot.press("r")
        related = app.screen
        assert isinstance(related, RelatedPapers)
        options = related.query_one(OptionList)
        for _ in range(100):
            if options.option_count and not options.loading:
                break
            await pilot.pause(0.05)
        assert options.option_count > 0
        chosen = options.get_option_at_index(0).id
        assert chosen and chosen != "2501.18837"
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
        assert screen.query_one(PaperList).current_id == chosen


async def test_author_of_this_paper_filters_by_that_author() -> None:
    app = reader_app()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await ready(pilot)
        assert screen.query_one(PaperList).select("muemergent")
        await pilot.press("A")
        assert isinstance(app.screen, AuthorPicker)
        await pilot.press("down", "enter")  # Goodman, the second author
        screen = await ready(pilot)
        assert "4 of 18 papers" in status(screen)


async def test_help_lists_the_keys() -> None:
    app = reader_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await ready(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = " ".join(screen_text(app).split())
        for expected in ("Search", "Related", "Cite", "year:2020..2024"):
            assert expected in text
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_palette_goes_to_an_author() -> None:
    app = reader_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"Goodman")
        for _ in range(100):
            await pilot.pause(0.05)
            options = app.screen.query(OptionList)
            if options and options.first().option_count:
                break
        await pilot.press("enter")
        screen = await ready(pilot)
        assert "4 of 18 papers" in status(screen)


async def test_narrow_terminal_folds_the_facets_away() -> None:
    app = reader_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await ready(pilot)
        assert not screen.query_one("#facet-pane").display
        assert screen.query_one(PaperList).size.width > 20
        await pilot.press("a")
        assert screen.query_one("#facet-pane").display
        assert screen.query_one(AuthorFacets).has_focus


async def test_corpus_text_is_shown_literally(tmp_path: Path) -> None:
    library = tmp_path / "list.txt"
    library.write_text(
        "Doe, Jane\n"
        "[bold red]x[/] \x1b[2J\x1b[31mred\n"
        "Doe, Jane, Roe, Richard\n"
        "An abstract with [link=http://example.com]markup[/link] and an escape \x1b]0;title\x07.\n",
        encoding="utf-8",
    )
    app = reader_app([str(library)])
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await ready(pilot)
        row = screen.query_one(PaperList).render_line(0).text
        assert "[bold red]x[/]" in row
        assert "\x1b" not in row and "␛[2J" in row
        abstract = screen.query_one(AbstractView).text
        assert "[link=http://example.com]markup[/link]" in abstract
        assert "\x1b" not in abstract


async def test_enter_reads_and_escape_returns() -> None:
    app = reader_app()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await ready(pilot)
        await pilot.press("j", "enter")
        assert screen.query_one(AbstractView).has_focus
        assert screen.query_one(PaperList).cursor == 1
        await pilot.press("escape")
        assert screen.query_one(PaperList).has_focus
        await pilot.press("G")
        assert screen.query_one(PaperList).cursor == 17
        await pilot.press("g")
        assert screen.query_one(PaperList).cursor == 0


async def test_palette_goes_to_a_paper_hidden_by_the_filters() -> None:
    app = reader_app()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await ready(pilot)
        await pilot.press("slash", *"gist")
        screen = await ready(pilot)
        assert "wangjailbreak" not in screen.query_one(PaperList).ids
        await pilot.press("escape", "ctrl+p")
        await pilot.press(*"narrow domain")
        for _ in range(100):
            await pilot.pause(0.05)
            options = app.screen.query(OptionList)
            if options and any(
                "Jailbreak Defense" in str(options.first().get_option_at_index(i).prompt)
                for i in range(options.first().option_count)
            ):
                break
        await pilot.press("enter")
        screen = await ready(pilot)
        assert screen.query_one(PaperList).current_id == "wangjailbreak"
        assert screen.search_text == ""


async def test_status_says_how_many_files_were_read() -> None:
    app = reader_app()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await ready(pilot)
        assert "18 of 18 papers from 2 files" in status(screen)


async def test_keys_typed_while_the_palette_opens_reach_the_palette() -> None:
    from textual import events
    from textual.command import CommandInput, CommandPalette

    app = reader_app()
    async with app.run_test(size=(140, 40)) as pilot:
        main = await ready(pilot)
        cursor = main.query_one(PaperList).cursor
        # As a terminal delivers a fast burst: every key is queued before the palette exists.
        app.post_message(events.Key("ctrl+p", None))
        for character in "jail":
            app.post_message(events.Key(character, character))
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        assert app.screen.query_one(CommandInput).value == "jail"
        assert main.query_one(PaperList).cursor == cursor  # "j" did not move the list
        await pilot.press("escape")
        await pilot.press("j")
        assert main.query_one(PaperList).cursor == cursor + 1  # and keys work normally after


async def test_a_misspelt_query_offers_close_words() -> None:
    app = reader_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await ready(pilot)
        await pilot.press("slash", *"jailbrek")
        screen = await ready(pilot)
        hint = str(screen.query_one("#search-hint", Static).render())
        assert "Did you mean: jailbreak" in hint
