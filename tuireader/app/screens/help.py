"""The help screen, generated from the same action table as the bindings and the footer."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tuireader import __version__
from tuireader.app.actions import APP_ACTIONS, LIST_KEYS, SCREEN_ACTIONS

QUERY_HELP = (
    ("jail", "the last word also matches as a prefix while you type"),
    ('"red teaming"', "a phrase"),
    ("a AND b, a OR b, NOT a, -a, ( )", "boolean logic"),
    ("title: author: abstract: venue: id:", "search one field"),
    ("year:2023  year:2020..2024  year:>=2023", "years and ranges"),
    ("gen*  simulatability~", "wildcards and fuzzy matches"),
    ("is:starred is:unread is:to-read is:read is:marked", "your own state, filtering what the rest finds"),
    ('tag:x  tag:"two words"  note:word', "your tags, and words of your notes"),
)


def _table(title: str, rows: list[tuple[str, str]]) -> Table:
    table = Table(title=title, title_justify="left", show_header=False, box=None, expand=True, padding=(0, 2))
    table.add_column(style="bold", no_wrap=True, min_width=14)
    table.add_column(ratio=1)
    for key, text in rows:
        table.add_row(key, text)
    return table


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close"),
        Binding("j,down", "scroll_down", show=False),
        Binding("k,up", "scroll_up", show=False),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog", id="help"):
            yield Static(f"tuireader {__version__} — keys", classes="dialog-title")
            actions = [(a.key_names, a.help) for a in (*SCREEN_ACTIONS, *APP_ACTIONS)]
            yield Static(_table("Actions", actions))
            yield Static(_table("In the list", list(LIST_KEYS)))
            yield Static(_table("Search syntax", list(QUERY_HELP)))
            yield Static("Every action is also in the command palette (Ctrl+P). Esc closes this screen.")

    def action_scroll_down(self) -> None:
        self.query_one("#help", VerticalScroll).scroll_down()

    def action_scroll_up(self) -> None:
        self.query_one("#help", VerticalScroll).scroll_up()
