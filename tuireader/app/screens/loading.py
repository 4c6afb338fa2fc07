"""Shown while the library is read; says what failed when nothing can be shown.

What the user types meanwhile is kept and shown, and handed to the screen that replaces this one
(the reader puts it in its search bar): a search typed during a long first read is not lost.
"""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Middle
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Label, ProgressBar

from tuireader.safe_text import literal

_TYPING_HINT = "Type to search as soon as the papers show · Ctrl+Q quits"


class TypedWhileLoading(Message):
    """Text typed on the loading screen, for the screen shown after it."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class LoadingScreen(Screen[None]):
    # `q` quits once loading has failed; until then it is typed like any other letter.
    BINDINGS: ClassVar[list[BindingType]] = [Binding("q", "app.quit", "Quit")]

    def __init__(self) -> None:
        super().__init__()
        self.typed = ""
        self._failed = False

    def compose(self) -> ComposeResult:
        with Middle(), Center():
            yield Label("Reading the library…", id="loading-label")
            yield ProgressBar(id="loading-progress", show_eta=False)
            yield Label(_TYPING_HINT, id="loading-typed")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self._failed if action == "app.quit" else True

    def progress(self, label: str, done: int, total: int) -> None:
        self.query_one("#loading-label", Label).update(literal(label))
        self.query_one(ProgressBar).update(total=total or None, progress=done)

    def failed(self, title: str, message: str) -> None:
        self._failed = True
        label = self.query_one("#loading-label", Label)
        label.update(literal(f"{title}\n{message}\n\nPress q to quit."))
        label.add_class("error")
        self.query_one(ProgressBar).display = False
        self.query_one("#loading-typed", Label).display = False

    def on_key(self, event: events.Key) -> None:
        if self._failed:
            return
        if event.key == "backspace":
            self.typed = self.typed[:-1]
        elif event.character == "/" and not self.typed:
            pass  # the key that starts a search on the reader's screen, pressed out of habit
        elif event.is_printable and event.character:
            self.typed += event.character
        else:
            return
        event.stop()
        event.prevent_default()
        shown = f"Search: {self.typed}" if self.typed else _TYPING_HINT
        self.query_one("#loading-typed", Label).update(literal(shown))

    def on_screen_suspend(self) -> None:
        # Called once the next screen is mounted and current (see App.switch_screen).
        if self.typed and self.app.screen is not self:
            self.app.screen.post_message(TypedWhileLoading(self.typed))
            self.typed = ""
