"""Shown while the library is read; says what failed when nothing can be shown."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Middle
from textual.screen import Screen
from textual.widgets import Label, ProgressBar

from tuireader.safe_text import literal


class LoadingScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("q", "app.quit", "Quit")]

    def compose(self) -> ComposeResult:
        with Middle(), Center():
            yield Label("Reading the library…", id="loading-label")
            yield ProgressBar(id="loading-progress", show_eta=False)

    def progress(self, label: str, done: int, total: int) -> None:
        self.query_one("#loading-label", Label).update(literal(label))
        self.query_one(ProgressBar).update(total=total or None, progress=done)

    def failed(self, title: str, message: str) -> None:
        label = self.query_one("#loading-label", Label)
        label.update(literal(f"{title}\n{message}\n\nPress q to quit."))
        label.add_class("error")
        self.query_one(ProgressBar).display = False
