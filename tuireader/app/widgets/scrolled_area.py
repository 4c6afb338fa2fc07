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


class SteadyScrollbars(ScrollView):
    """A view that brings its scroll bars up to date itself whenever what it scrolls over changes
    (as `set_scrolled_size` and `OptionList` do). Textual's layout compares the size it gives such a
    view with the size the view scrolls over, which always differ, so every layout of the screen
    (a hint beside the search bar growing by a word) redrew the scroll bars of every view, and the
    region redrawn then spanned the facets, the list and the reading pane. A layout that leaves the
    view's own size alone now leaves its scroll bars alone too."""

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        if size == self._size and self._container_size == size - self.styles.gutter.totals:
            return self._container_size != container_size
        return super()._size_updated(size, virtual_size, container_size, layout)
