"""Going back after a jump, opening a paper from the reader, and exporting to a file."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from textual.widgets import Input, OptionList

from tests.app.conftest import reader_app, ready
from tests.app.test_following import ENTRIES, notes, until
from tuireader.app.exporting import ConfirmReplace, ExportDialog
from tuireader.app.screens.pickers import RelatedPapers
from tuireader.app.widgets.facets import AuthorFacets
from tuireader.app.widgets.paper_list import PaperList


async def test_backspace_and_alt_left_return_from_author_and_related_jumps() -> None:
    app = reader_app()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await ready(pilot)
        paper_list = screen.query_one(PaperList)
        start = paper_list.ids[3]
        paper_list.select(start)
        await pilot.press("a")
        screen.query_one(AuthorFacets).highlighted = 0
        await pilot.press("enter")
        screen = await ready(pilot)
        assert screen.authors
        screen.set_focus(paper_list)
        await pilot.press("backspace")
        screen = await ready(pilot)
        assert screen.authors == ()
        await until(pilot, lambda: paper_list.current_id == start)

        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, RelatedPapers))
        options = app.screen.query_one(OptionList)
        await until(pilot, lambda: options.option_count > 0 and not options.loading)
        reason = str(options.get_option_at_index(0).prompt)
        assert "shared" in reason  # why it is related
        chosen = options.get_option_at_index(0).id
        await pilot.press("enter")
        await until(pilot, lambda: paper_list.current_id == chosen)
        await pilot.press("alt+left")
        await until(pilot, lambda: paper_list.current_id == start)
        assert not screen.history


@pytest.mark.skipif(sys.platform != "linux", reason="a display is an X11/Wayland matter")
async def test_open_without_a_display_copies_the_link(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    copied: list[str] = []
    app = reader_app()
    monkeypatch.setattr(app, "copy_to_clipboard", copied.append)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await ready(pilot)
        paper_list = screen.query_one(PaperList)
        on_arxiv = next(
            i for i in paper_list.ids if (p := screen.library.get(i)) and p.arxiv_id and not p.doi
        )
        paper_list.select(on_arxiv)
        await pilot.press("o")
        await until(pilot, lambda: any(note.startswith("Open:") for note in notes(app)), timeout=5)
        message = next(note for note in notes(app) if note.startswith("Open:"))
        assert "no display" in message
        assert copied == [f"https://arxiv.org/abs/{screen.library.get(on_arxiv).arxiv_id}"]  # type: ignore[union-attr]
        assert copied[0] in message


async def test_export_writes_the_list_and_asks_before_replacing(tmp_path: Path) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text(ENTRIES, encoding="utf-8")
    target = tmp_path / "out" / "export.bib"
    app = reader_app([str(bib)], citation_style="bibtex")
    async with app.run_test(size=(160, 48)) as pilot:
        await ready(pilot)
        await pilot.press("X")
        await until(pilot, lambda: isinstance(app.screen, ExportDialog))
        path = app.screen.query_one("#export-path", Input)
        path.value = str(target)
        path.focus()
        await pilot.press("enter")
        await until(pilot, target.exists)
        written = target.read_text(encoding="utf-8")
        assert written.count("@article") == 3 and "Sorting socks" in written
        assert any(note.startswith("Exported:") for note in notes(app))

        target.write_text("keep me", encoding="utf-8")
        await pilot.press("X")
        await until(pilot, lambda: isinstance(app.screen, ExportDialog))
        app.screen.query_one("#export-path", Input).value = str(target)
        app.screen.query_one("#export-path", Input).focus()
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ConfirmReplace))
        await pilot.press("n")
        await pilot.pause()
        assert target.read_text(encoding="utf-8") == "keep me"

        screen = app.screen
        screen.query_one(PaperList).action_toggle_mark()  # one marked paper: only it is written
        await pilot.press("X")
        await until(pilot, lambda: isinstance(app.screen, ExportDialog))
        dialog = app.screen
        styles = dialog.query_one("#export-styles", OptionList)
        styles.highlighted = styles.get_option_index("plain")
        await pilot.pause()
        dialog.query_one("#export-path", Input).value = str(target)
        dialog.query_one("#export-path", Input).focus()
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ConfirmReplace))
        await pilot.press("y")
        await until(pilot, lambda: target.read_text(encoding="utf-8") != "keep me")
        assert "@article" not in target.read_text(encoding="utf-8")
        assert len(target.read_text(encoding="utf-8").strip().splitlines()) == 1
