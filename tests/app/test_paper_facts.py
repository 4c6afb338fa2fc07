"""What the reader shows of a paper's record: editors of a volume, the bibliographic facts, and
the papers made from several entries."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import OptionList

from tests.app.conftest import reader_app, ready
from tuireader.app.screens.pickers import LibraryProblems
from tuireader.app.widgets.abstract_view import AbstractView
from tuireader.app.widgets.paper_list import PaperList

LIBRARY = r"""
@proceedings{volume,
  title = {Proceedings of the Workshop on Things},
  editor = {Rustin, Randall and Lee, Ann},
  year = {2019}, publisher = {ACL}, address = {Florence}
}
@incollection{chapter,
  title = {A Chapter},
  author = {Doe, Jane},
  editor = {Rustin, Randall},
  booktitle = {An Edited Book},
  pages = {10--20}, volume = {3}, number = {2},
  keywords = {parsing, syntax}, note = {Reprinted},
  year = {2018}, publisher = {Press}
}
"""


def _library(tmp_path: Path) -> str:
    (tmp_path / "a.bib").write_text(LIBRARY, encoding="utf-8")
    twin = (
        "@article{twin, title = {Same Work}, author = {Roe, Rick}, journal = {J}, year = 2020,"
        " doi = {10.1/x}}"
    )
    (tmp_path / "b.bib").write_text(twin.replace("twin,", "twin-a,") + "\n", encoding="utf-8")
    (tmp_path / "c.bib").write_text(twin.replace("twin,", "twin-b,") + "\n", encoding="utf-8")
    return str(tmp_path)


def _abstract(screen) -> str:
    return screen.query_one(AbstractView).text


async def test_a_volume_shows_its_editors_and_a_chapter_its_facts(tmp_path: Path) -> None:
    app = reader_app([_library(tmp_path)], sort="title")
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await ready(pilot)
        paper_list = screen.query_one(PaperList)
        paper_list.select("volume")
        await pilot.pause()
        shown = _abstract(screen)
        assert "Randall Rustin · Ann Lee (editors)" in shown
        assert "Authors unknown" not in shown
        assert "ACL, Florence" in shown
        paper_list.select("chapter")
        await pilot.pause()
        shown = _abstract(screen)
        for fact in (
            "Eds.   Randall Rustin",
            "Vol.   3 (2)",
            "Pages  10–20",
            "Words  parsing, syntax",
            "Reprinted",
        ):
            assert fact in shown, fact


async def test_library_problems_lists_the_papers_merged_from_several_entries(tmp_path: Path) -> None:
    app = reader_app([_library(tmp_path)])
    async with app.run_test(size=(160, 48)) as pilot:
        await ready(pilot)
        app.action_library_problems()
        await pilot.pause()
        assert isinstance(app.screen, LibraryProblems)
        options = app.screen.query_one(OptionList)
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        merged = [prompt for prompt in prompts if "twin-a" in prompt]
        assert len(merged) == 1 and "twin-b" in merged[0]
