"""The facet pane: every count on its author's row, and the list keys working in it."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import OptionList

from tests.app.conftest import reader_app, ready
from tuireader.app.widgets.facets import AuthorFacets, YearFacets

LONG = "Abdul-Mageed, Muhammad Ibrahim Alexander Konstantinos"


def _library(tmp_path: Path) -> Path:
    entries = [
        f"@article{{p{number}, title = {{Paper {number}}}, author = {{{LONG} and Bo, Li}},"
        f" year = {2000 + number}, journal = {{J}}}}\n"
        for number in range(3)
    ]
    path = tmp_path / "long.bib"
    path.write_text("".join(entries), encoding="utf-8")
    return path


async def test_a_long_name_is_cut_short_and_keeps_its_count_on_its_row(tmp_path: Path) -> None:
    app = reader_app([str(_library(tmp_path))])
    async with app.run_test(size=(160, 48)) as pilot:
        main = await ready(pilot)
        facets = main.query_one(AuthorFacets)
        width = facets.scrollable_content_region.width
        first = facets.get_option_at_index(0)
        prompt = first.prompt
        assert str(prompt).endswith(" 3")  # the count, on the same line as the name
        assert "\n" not in str(prompt) and len(str(prompt)) <= width
        assert "…" in str(prompt)  # the name was cut to make room
        assert facets.option_count == 2
        # One row per author: no option spills onto a second line.
        assert facets.virtual_size.height == facets.option_count


async def test_j_k_g_and_G_move_in_the_facet_lists(tmp_path: Path) -> None:
    app = reader_app([str(_library(tmp_path))])
    async with app.run_test(size=(160, 48)) as pilot:
        main = await ready(pilot)
        await pilot.press("a")  # to the author facets
        authors = main.query_one(AuthorFacets)
        assert app.focused is authors and authors.highlighted == 0
        await pilot.press("j")
        assert authors.highlighted == 1
        await pilot.press("k")
        assert authors.highlighted == 0
        await pilot.press("G")
        assert authors.highlighted == authors.option_count - 1
        await pilot.press("g")
        assert authors.highlighted == 0
        years = main.query_one(YearFacets)
        years.focus()
        await pilot.pause()
        years.highlighted = 0
        await pilot.press("j")
        assert isinstance(years, OptionList) and years.highlighted == 1
