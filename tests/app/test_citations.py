"""The citation picker, `y`, marks, and what reaches the clipboard."""

from __future__ import annotations

from textual.pilot import Pilot

from tests.app.conftest import reader_app, ready
from tuireader.app.screens.citation import CitationPicker
from tuireader.app.widgets.paper_list import PaperList
from tuireader.cite import format_citation, format_many
from tuireader.corpus.library import load_library


async def _clipboard_changes(pilot: Pilot, before: str) -> str:
    for _ in range(200):
        if pilot.app.clipboard != before:
            return pilot.app.clipboard
        await pilot.pause(0.02)
    raise AssertionError("nothing reached the clipboard")


async def test_picker_copies_the_chosen_style_and_y_repeats_it() -> None:
    library = load_library()
    paper = library.get("2501.18837")
    app = reader_app()
    async with app.run_test(size=(150, 42)) as pilot:
        screen = await ready(pilot)
        assert screen.query_one(PaperList).select("2501.18837")
        await pilot.press("c")
        assert isinstance(app.screen, CitationPicker)
        preview = str(app.screen.query_one("#citation-preview").render())
        assert "@misc{sharma2025constitutional," in preview  # BibTeX first
        await pilot.press("down", "down")  # APA
        preview = str(app.screen.query_one("#citation-preview").render())
        assert preview.startswith("Sharma, M., Tong, M., Mu, J.")
        await pilot.press("enter")
        copied = await _clipboard_changes(pilot, "")
        assert copied == format_citation(paper, "apa")
        assert app.settings.citation_style == "apa"
        messages = [notification.message for notification in app._notifications]
        # No display here: the citation goes out through the terminal (OSC 52), and nothing claims
        # the system clipboard has it.
        assert any(m.startswith("Sent APA citation of “Constitutional Classifiers") for m in messages)
        assert any("to the terminal (OSC 52)" in m for m in messages)

        app.copy_to_clipboard("something else")
        await pilot.press("y")
        assert await _clipboard_changes(pilot, "something else") == format_citation(paper, "apa")


async def test_marked_papers_are_copied_together() -> None:
    library = load_library()
    app = reader_app(citation_style="bibtex")
    async with app.run_test(size=(150, 42)) as pilot:
        screen = await ready(pilot)
        paper_list = screen.query_one(PaperList)
        first, second = paper_list.ids[0], paper_list.ids[1]
        await pilot.press("space", "space")
        assert paper_list.marked == {first, second}
        await pilot.press("y")
        copied = await _clipboard_changes(pilot, "")
        expected = format_many([library.get(paper_id) for paper_id in sorted({first, second})], "bibtex")
        assert copied == expected
        assert copied.count("@misc{") == 2
