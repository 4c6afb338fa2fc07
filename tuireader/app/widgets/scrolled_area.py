"""Resizing what a line-drawn view scrolls over without laying the screen out again."""

from __future__ import annotations

from textual.geometry import Size
from textual.scroll_view import ScrollView


def set_scrolled_size(view: ScrollView, size: Size) -> None:
    """Give `view` a new virtual size. Assigning `virtual_size` asks for a layout of the whole screen,
    which the list and the reading pane would then pay on every keystroke; a view that draws its own
    lines only needs its scroll bars brought up to date (and they ask for a layout themselves when
    they appear or go)."""
    if size == view.virtual_size:
        return
    view.set_reactive(ScrollView.virtual_size, size)
    view._scroll_update(size)
    view.refresh()
