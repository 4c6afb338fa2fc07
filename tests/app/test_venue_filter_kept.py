"""The venue filter is part of where the reader is: Back returns to it, a saved search keeps it,
and the next start restores it (all through the real SQLite store)."""

from __future__ import annotations

from pathlib import Path

from tests.app.conftest import reader_app, ready
from tuireader.app.widgets.paper_list import PaperList

EMNLP = "Conference on Empirical Methods in Natural Language Processing"


def _library(tmp_path: Path) -> list[str]:
    venues = [f"Proceedings of the 2020 {EMNLP}", "Proceedings of the 58th Annual Meeting of the ACL"]
    entries = [
        f"@inproceedings{{p{n}, title = {{Paper {n}}}, author = {{Bo, Li and Mu, Jesse}},"
        f" year = {2018 + n}, booktitle = {{{venues[n % 2]}}}}}\n"
        for n in range(4)
    ]
    path = tmp_path / "venues.bib"
    path.write_text("".join(entries), encoding="utf-8")
    return [str(path)]


async def test_back_saved_searches_and_the_session_keep_the_venue_filter(tmp_path: Path) -> None:
    paths = _library(tmp_path)
    app = reader_app(paths)
    async with app.run_test(size=(160, 48)) as pilot:
        main = await ready(pilot)
        assert main.results is not None
        venue = next(name for name, _ in main.results.venue_facets if "Empirical" in name)
        main.venues = (venue,)
        main = await ready(pilot)
        assert sorted(main.query_one(PaperList).ids) == ["p0", "p2"]

        main.go_to_paper("p1")  # hidden by the filter: the filters are widened to show it
        main = await ready(pilot)
        assert main.venues == ()
        await pilot.press("alt+left")
        main = await ready(pilot)
        assert main.venues == (venue,)

        await pilot.press("ctrl+s")
        main.venues = ()
        main = await ready(pilot)
        await pilot.press("1")
        main = await ready(pilot)
        assert main.venues == (venue,)
        assert sorted(main.query_one(PaperList).ids) == ["p0", "p2"]

    again = reader_app(paths)
    async with again.run_test(size=(160, 48)) as pilot:
        main = await ready(pilot)
        assert main.venues == (venue,)
        assert sorted(main.query_one(PaperList).ids) == ["p0", "p2"]
