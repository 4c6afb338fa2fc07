"""The Venues list: editions of one venue on one row; Enter filters by it, `x` clears the filter."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from tests.app.conftest import reader_app, ready
from tuireader.app.widgets.facets import VenueFacets

ACL = "Annual Meeting of the Association for Computational Linguistics"
VENUES = [
    f"Proceedings of the 58th {ACL}",
    f"Proceedings of the 57th {ACL}",
    f"Proceedings of the 52nd {ACL} (Volume 1: Long Papers)",
    "Proceedings of the 2020 Conference on Empirical Methods in Natural Language Processing (EMNLP)",
    "Proceedings of the 2019 Conference on Empirical Methods in Natural Language Processing",
]


def _library(tmp_path: Path) -> Path:
    entries = [
        f"@inproceedings{{p{number}, title = {{Paper {number}}}, author = {{Bo, Li}},"
        f" year = {2014 + number}, booktitle = {{{venue}}}}}\n"
        for number, venue in enumerate(VENUES)
    ]
    path = tmp_path / "venues.bib"
    path.write_text("".join(entries), encoding="utf-8")
    return path


async def test_enter_on_a_venue_filters_by_it_and_x_clears_it(tmp_path: Path) -> None:
    app = reader_app([str(_library(tmp_path))])
    async with app.run_test(size=(160, 48)) as pilot:
        main = await ready(pilot)
        venues = main.query_one(VenueFacets)
        rows = [str(venues.get_option_at_index(i).prompt) for i in range(venues.option_count)]
        assert len(rows) == 2  # the editions of each venue on one row, cut to the pane's width
        assert rows[0].startswith("  Annual Meeting") and rows[0].endswith(" 3")
        assert rows[1].startswith("  Conference on") and rows[1].endswith(" 2")

        venues.focus()
        await pilot.pause()
        venues.highlighted = 0
        await pilot.press("enter")
        main = await ready(pilot)
        assert main.venues == (ACL,)
        assert main.results is not None and sorted(main.results.ids) == ["p0", "p1", "p2"]
        status = str(main.query_one("#status-line", Static).render())
        assert f"venue: {ACL}" in status and "x clears filters" in status
        assert str(venues.get_option_at_index(0).prompt).startswith("✔ ")

        await pilot.press("x")
        main = await ready(pilot)
        assert main.venues == ()
        assert main.results is not None and main.results.total == len(VENUES)
        assert "venue:" not in str(main.query_one("#status-line", Static).render())
