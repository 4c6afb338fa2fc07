"""Small dialogs for the reader's own words about a paper: a tag to add or remove, and a note.

Both return what was typed (None when cancelled) and leave the change to the main screen, which
owns the state.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static, TextArea

from tuireader.corpus.model import Paper
from tuireader.safe_text import literal


class TagEditor(ModalScreen[str | None]):
    """Enter returns the tag typed; a leading `-` asks for the tag to be removed."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, paper: Paper, tags: frozenset[str]) -> None:
        super().__init__()
        self.paper = paper
        self.tags = tags

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="tag-dialog"):
            yield Static(literal(f"Tag: {self.paper.display_title}"), classes="dialog-title")
            current = ", ".join(sorted(self.tags, key=str.casefold)) or "none yet"
            yield Static(literal(f"Tags: {current}"), id="tag-current")
            yield Input(placeholder="a tag to add, or -tag to remove it", id="tag-input")
            yield Static("Enter adds the tag · a leading - removes it · Esc cancels", classes="dialog-hint")

    @on(Input.Submitted, "#tag-input")
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)


class NoteEditor(ModalScreen[str | None]):
    """Ctrl+S or Save returns the note as written; Esc returns None and keeps the old one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "dismiss(None)", "Cancel"),
    ]

    def __init__(self, paper: Paper, note: str) -> None:
        super().__init__()
        self.paper = paper
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="note-dialog"):
            yield Static(literal(f"Note: {self.paper.display_title}"), classes="dialog-title")
            yield TextArea(self.note, id="note-text", soft_wrap=True, show_line_numbers=False)
            with Horizontal(id="note-buttons"):
                yield Static("Ctrl+S saves · Esc cancels", classes="dialog-hint")
                yield Button("Save", id="note-save", variant="primary")

    def on_mount(self) -> None:
        area = self.query_one("#note-text", TextArea)
        area.cursor_blink = getattr(self.app, "cursor_blink", True)
        area.move_cursor(area.document.end)
        area.focus()

    def action_save(self) -> None:
        self.dismiss(self.query_one("#note-text", TextArea).text)

    @on(Button.Pressed, "#note-save")
    def _save_pressed(self) -> None:
        self.action_save()
