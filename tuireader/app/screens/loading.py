"""Shown while the library is read and its index opened."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Center, Middle
from textual.screen import Screen
from textual.widgets import Label, ProgressBar


class LoadingScreen(Screen[None]):
    def compose(self) -> ComposeResult:
        with Middle(), Center():
            yield Label("Reading the library…", id="loading-label")
            yield ProgressBar(id="loading-progress", show_eta=False)

    def progress(self, label: str, done: int, total: int) -> None:
        self.query_one("#loading-label", Label).update(Text(label))
        self.query_one(ProgressBar).update(total=total or None, progress=done)
