"""The search bar: an `Input` whose keystrokes repaint the bar without laying out the screen again.

Textual's `Input` keeps its virtual size as wide as its text, and that size asks for a new layout
of the whole screen on every keystroke. A layout makes every scrolling pane redraw its scrollbars,
and the region redrawn then spans the screen, so the frame that shows the new results for a key
redrew the facets beside the list too. The bar's own size comes from the stylesheet, never from
its text, so while its value changes the layout request is dropped; the virtual size is still set,
which is all that scrolling a long query within the bar needs.
"""

from __future__ import annotations

from textual.geometry import Region
from textual.widgets import Input


class SearchBar(Input):
    _value_changing = False

    def _watch_value(self, value: str) -> None:
        self._value_changing = True
        try:
            super()._watch_value(value)
        finally:
            self._value_changing = False

    def refresh(
        self, *regions: Region, repaint: bool = True, layout: bool = False, recompose: bool = False
    ) -> SearchBar:
        if layout and self._value_changing and not self.styles.auto_dimensions:
            layout = False
        super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)
        return self
