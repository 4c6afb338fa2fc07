"""What the reader keeps between frames while typing: rows drawn for earlier results, the rows a
cursor move leaves alone, and the cycle collector's full passes held for a pause."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from rich.segment import Segment
from textual.pilot import Pilot
from textual.widgets import Input

from tests.app.conftest import reader_app, ready
from tuireader.app.screens.main import MainScreen
from tuireader.app.widgets.paper_list import ROW_HEIGHT, PaperList


def _underlined(segments: list[Segment]) -> str:
    return "".join(text for text, style, _ in segments if style is not None and style.underline)


def _title_line(paper_list: PaperList, paper_id: str) -> list[Segment]:
    row = list(paper_list.ids).index(paper_id)
    paper_list.scroll_to(y=row * ROW_HEIGHT, animate=False, immediate=True)
    return list(paper_list.render_line(row * ROW_HEIGHT - int(paper_list.scroll_offset.y)))


async def _search(pilot: Pilot, text: str) -> MainScreen:
    screen = await ready(pilot)
    screen.query_one("#search", Input).value = text
    return await ready(pilot)


async def test_a_kept_row_shows_the_matches_of_the_results_on_show() -> None:
    app = reader_app()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await _search(pilot, "jailbreak")
        paper_list = screen.query_one(PaperList)
        assert _underlined(_title_line(paper_list, "wangjailbreak")).casefold().startswith("jailbreak")
        ids = list(paper_list.ids)
        paper_list.show(ids, lambda paper: [(0, 4)] if paper.id == "wangjailbreak" else [])
        assert len(_underlined(_title_line(paper_list, "wangjailbreak"))) == 4
        paper_list.show(ids, lambda paper: [])
        assert _underlined(_title_line(paper_list, "wangjailbreak")) == ""


def _cursor_rows(pilot: Pilot, paper_list: PaperList) -> list[int]:
    """The list's rows drawn on the screen itself with the cursor's background."""
    cursor = paper_list.get_component_rich_style("paper-list--cursor").bgcolor
    region = paper_list.content_region
    strips = pilot.app.screen._compositor.render_strips()
    rows = []
    for row in range(region.height // ROW_HEIGHT):
        line = strips[region.y + row * ROW_HEIGHT].crop(region.x, region.right)
        if any(style is not None and style.bgcolor == cursor for _, style, _ in line):
            rows.append(row)
    return rows


async def test_moving_the_cursor_redraws_the_row_it_leaves() -> None:
    app = reader_app()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await ready(pilot)
        paper_list = screen.query_one(PaperList)
        assert _cursor_rows(pilot, paper_list) == [0]
        await pilot.press("j", "j")
        await pilot.pause()
        assert _cursor_rows(pilot, paper_list) == [2]
        await pilot.press("k")
        await pilot.pause()
        assert _cursor_rows(pilot, paper_list) == [1]


def _in_fresh_interpreter(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_a_large_library_is_frozen_and_full_passes_wait_for_a_pause() -> None:
    out = _in_fresh_interpreter(
        """
        import gc
        from tuireader.app.memory import FULL_PASS_AFTER, collect_when_idle, settle_long_lived
        assert not settle_long_lived(100) and gc.get_freeze_count() == 0
        assert not collect_when_idle()  # nothing held back: the collector runs as usual
        kept = [[index] for index in range(10_000)]
        gc.collect()
        assert settle_long_lived(60_000)
        assert gc.get_freeze_count() >= len(kept)
        gc.collect(1)
        assert gc.get_count()[2] == 1 and not collect_when_idle()
        while gc.get_count()[2] < FULL_PASS_AFTER:
            gc.collect(1)
        assert collect_when_idle() and gc.get_count()[2] == 0
        print("ok")
        """
    )
    assert out == "ok"


async def test_a_title_edited_in_the_library_shows_once_it_is_read_again(tmp_path: Path) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text("@article{only, title = {Learning to read papers}, year = {2020}}\n", encoding="utf-8")
    app = reader_app([str(bib)])
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await ready(pilot)
        paper_list = screen.query_one(PaperList)
        assert "Learning to read papers" in paper_list.render_line(0).text
        bib.write_text(
            "@article{only, title = {Learning to write papers}, year = {2020}}\n", encoding="utf-8"
        )
        old = screen.library
        while screen.library is old:
            await pilot.press("ctrl+r")
            await pilot.pause(0.2)
        await ready(pilot)
        assert "Learning to write papers" in paper_list.render_line(0).text
