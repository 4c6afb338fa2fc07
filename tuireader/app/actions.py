"""Every user action once: its keys, footer label and help text.

Bindings, the footer, the help screen and the command palette are all generated from this table, so
they cannot disagree. An action written `name({key})` is bound to each of its keys with that key as
its argument (the saved searches' 1–9); the palette lists what such keys recall, not the action.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding


@dataclass(frozen=True, slots=True)
class Action:
    action: str
    keys: str
    label: str
    help: str
    show: bool = True
    priority: bool = False

    @property
    def per_key(self) -> bool:
        return "{key}" in self.action

    @property
    def name(self) -> str:
        """The action without arguments, as `check_action` is asked about it."""
        return self.action.split("(", 1)[0]

    def bindings(self) -> list[Binding]:
        if not self.per_key:
            return [Binding(self.keys, self.action, self.label, show=self.show, priority=self.priority)]
        return [
            Binding(key, self.action.format(key=key), self.label, show=self.show, priority=self.priority)
            for key in self.keys.split(",")
        ]

    @property
    def key_names(self) -> str:
        keys = [_KEY_NAMES.get(key, key) for key in self.keys.split(",")]
        return f"{keys[0]}–{keys[-1]}" if self.per_key else " ".join(keys)


_KEY_NAMES = {
    "slash": "/",
    "question_mark": "?",
    "escape": "Esc",
    "enter": "Enter",
    "space": "Space",
    "tab": "Tab",
    "shift+tab": "Shift+Tab",
    "ctrl+p": "Ctrl+P",
    "ctrl+s": "Ctrl+S",
    "asterisk": "*",
    "up": "↑",
    "down": "↓",
    "home": "Home",
    "end": "End",
    "alt+left": "Alt+←",
    "backspace": "Backspace",
    "ctrl+r": "Ctrl+R",
}

SCREEN_ACTIONS: tuple[Action, ...] = (
    Action("focus_search", "slash", "Search", "Type a query; results update as you type"),
    Action(
        "back_to_list",
        "escape",
        "List",
        "Leave the search bar or the abstract and go back to the list",
        show=False,
    ),
    Action("read", "enter", "Read", "Read the highlighted paper's abstract (scroll it with j/k)", show=False),
    Action("focus_facets", "a", "Authors", "Show and focus the author, year and venue facets"),
    Action("clear_filters", "x", "Clear filters", "Drop every author, year and venue filter"),
    Action("cycle_sort", "s", "Sort", "Cycle the order: relevance, year, title, first author"),
    Action("related", "r", "Related", "Papers most like the highlighted one"),
    Action("cite", "c", "Cite", "Pick a citation style, preview it and copy it"),
    Action("copy_again", "y", "Copy", "Copy the citation again in the last style used", show=False),
    Action(
        "filter_by_author_of_paper",
        "A",
        "Author of…",
        "Filter by one of the highlighted paper's authors",
        show=False,
    ),
    Action(
        "open_paper",
        "o",
        "Open",
        "Open the paper's file (several: pick one), else its DOI, URL or arXiv page; with no window"
        " to open it in, the link is copied",
    ),
    Action(
        "go_back",
        "alt+left",
        "Back",
        "Back to the search, filters and paper before the last jump (author, related paper, go to…)",
        show=False,
    ),
    Action("list_back", "backspace", "Back", "In the list: back, as Alt+Left", show=False),
    Action(
        "edit_entry",
        "e",
        "Edit",
        "Edit the paper's entry in $EDITOR, at its line; the change is read back when saved",
        show=False,
    ),
    Action(
        "export",
        "X",
        "Export",
        "Write the marked papers (or every listed one) to a file in any style",
        show=False,
    ),
    Action(
        "reload",
        "ctrl+r",
        "Reload",
        "Read the library files again (changes are also noticed by themselves)",
        show=False,
    ),
    Action("toggle_facets", "f", "Facets", "Show or hide the facet pane", show=False),
    Action("toggle_star", "asterisk", "Star", "Star or unstar the highlighted paper", show=False),
    # In help and the palette, not the footer: an 80-column footer holds the keys used most.
    Action("cycle_status", "u", "Status", "Cycle the paper's read status: unread, to read, read", show=False),
    Action("edit_tags", "t", "Tag", "Add a tag to the paper; -tag removes it", show=False),
    Action("edit_note", "n", "Note", "Write the paper's note (Ctrl+S saves, Esc cancels)", show=False),
    Action("clear_marks", "M", "Clear marks", "Unmark every marked paper", show=False),
    Action(
        "save_search",
        "ctrl+s",
        "Save search",
        "Keep the query, filters and sort under the first free key 1–9",
        show=False,
    ),
    Action(
        "recall_search({key})",
        ",".join(str(slot) for slot in range(1, 10)),
        "Saved search",
        "Recall the search saved under that key",
        show=False,
    ),
)

APP_ACTIONS: tuple[Action, ...] = (
    Action("help", "question_mark", "Help", "This screen"),
    Action(
        "command_palette",
        "ctrl+p",
        "Commands",
        "Every action, plus go to author… and go to paper…",
        show=False,
    ),
    Action("quit", "q", "Quit", "Leave tuireader"),
)

LIST_KEYS: tuple[tuple[str, str], ...] = (
    ("j k ↑ ↓", "Move through the list"),
    ("g G Home End", "First or last paper"),
    ("PgUp PgDn", "A page up or down"),
    ("Space", "Mark the paper (kept between runs); copy and export then cover every marked paper"),
    ("Tab Shift+Tab", "Move between panes"),
)
