"""The command palette, keeping the keys typed while it opens.

`Ctrl+P` then a name, typed in one burst, reached the main screen before the palette existed: the
name's letters moved the cursor and opened panes instead of searching. The main screen now holds
the printable keys that follow `Ctrl+P` (see `MainScreen.on_key`), and the palette starts with them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events
from textual.command import CommandInput, CommandPalette

if TYPE_CHECKING:
    from tuireader.app.app import ReaderApp


class ReaderPalette(CommandPalette):
    def _on_mount(self, event: events.Mount) -> None:
        super()._on_mount(event)
        reader: ReaderApp = self.app  # type: ignore[assignment]
        typed = reader.take_typeahead()
        if typed:
            self.query_one(CommandInput).insert_text_at_cursor(typed)

    def on_key(self, event: events.Key) -> None:
        """Keys that arrive between mounting and the input taking the focus go to the input too."""
        command_input = self.query_one(CommandInput)
        if self.focused is not command_input and event.is_printable and event.character:
            event.stop()
            event.prevent_default()
            command_input.insert_text_at_cursor(event.character)
