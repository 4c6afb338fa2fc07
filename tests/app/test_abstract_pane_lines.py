"""The reading pane drawn line by line: wrapped to its width, scrolled, its authors clickable, and the
search matches of the paper the results open on found by the search worker."""

from __future__ import annotations

from textual.geometry import Region
from textual.widgets import Static

from tests.app.conftest import reader_app, ready
from tuireader.app.widgets.abstract_view import AbstractView
from tuireader.app.widgets.paper_list import PaperList


def _drawn(view: AbstractView) -> list[str]:
    width, height = view.region.size
    return [strip.text for strip in view.render_lines(Region(0, 0, width, height))]


async def test_long_text_wraps_to_the_pane_and_scrolls_to_its_end() -> None:
    app = reader_app()
    async with app.run_test(size=(100, 20)) as pilot:
        screen = await ready(pilot)
        view = screen.query_one(AbstractView)
        inner = view.scrollable_content_region.width
        assert view.virtual_size.height > view.scrollable_content_region.height  # it has to scroll
        assert view.virtual_size.width == inner
        first_lines = _drawn(view)
        paper = screen.current_paper
        assert paper is not None and paper.display_title.split()[0] in first_lines[0]
        view.focus()
        await pilot.press("G")
        await pilot.pause()
        assert view.scroll_offset.y == view.max_scroll_y > 0
        last_words = paper.abstract.text.split()[-1]
        assert any(last_words in line for line in _drawn(view))
        # Another paper opens at its top.
        screen.query_one(PaperList).focus()
        await pilot.press("j")
        await pilot.pause()
        assert view.scroll_offset.y == 0


async def test_a_wider_pane_rewraps_the_text() -> None:
    app = reader_app()
    async with app.run_test(size=(110, 30)) as pilot:
        screen = await ready(pilot)
        view = screen.query_one(AbstractView)
        narrow_lines = view.virtual_size.height
        await pilot.resize_terminal(200, 30)
        await pilot.pause()
        assert view.virtual_size.width == view.scrollable_content_region.width
        assert view.virtual_size.height < narrow_lines


async def test_clicking_an_author_in_the_pane_filters_by_that_author() -> None:
    app = reader_app()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await ready(pilot)
        view = screen.query_one(AbstractView)
        paper = screen.current_paper
        assert paper is not None and len(paper.authors) > 1
        name = paper.authors[1].natural_name
        for row, line in enumerate(_drawn(view)):
            if name in line:
                await pilot.click(view, offset=(line.index(name) + 1, row))
                break
        else:
            raise AssertionError(f"{name!r} is not shown")
        screen = await ready(pilot)
        assert len(screen.authors) == 1
        status = str(screen.query_one("#status-line", Static).render())
        assert f"author: {paper.authors[1].family}" in status


async def test_the_opening_paper_shows_the_matches_found_with_the_results() -> None:
    app = reader_app()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await ready(pilot)
        await pilot.press("slash", *"language")
        screen = await ready(pilot)
        paper = screen.current_paper
        assert paper is not None and screen.results is not None
        # The worker's matches are the ones shown, and they are the engine's for this paper.
        opening = screen._opening_matches
        assert opening is not None and opening[0] is screen.results and opening[1] == paper.id
        assert screen.engine is not None
        assert opening[2] == screen.engine.highlights(paper.id, screen.results.terms)
        assert opening[2].title or opening[2].abstract
        view = screen.query_one(AbstractView)
        match_style = view.get_component_rich_style("abstract-view--match")
        highlighted = [
            segment.text
            for strip in view.render_lines(Region(0, 0, *view.region.size))
            for segment in strip
            if segment.style and segment.style.bgcolor == match_style.bgcolor and segment.text.strip()
        ]
        assert any("language" in text.casefold() for text in highlighted), highlighted
