"""The search bar: an `Input` whose keystrokes repaint the bar without laying out the screen again.

Textual's `Input` keeps its virtual size as wide as its text, and that size asks for a new layout
of the whole screen on every keystroke. A layout makes every scrolling pane redraw its scrollbars,
and the region redrawn then spans the screen, so the frame that shows the new results for a key
redrew the facets beside the list too. The bar's own size comes from the stylesheet, never from
its text, so while its value changes the layout request is dropped; the virtual size is still set,
which is all that scrolling a long query within the bar needs.

Its editing keys (Backspace, Ctrl+U, the arrows…) are run as they arrive. Textual runs a widget's
key bindings only once the key has bubbled up to the app, while the keys after it reach the bar at
once: Backspace then `s` in one burst (fast typing, a slow link) inserted the `s` and then deleted
it, and Ctrl+U followed by a word deleted the word.
"""

from __future__ import annotations

from textual import events
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

    async def _on_key(self, event: events.Key) -> None:
        # Priority bindings (the app's and screens') were checked before the key got here, and the
        # bar's own come first in the chain the app would look through: running them here changes
        # what runs only in being on time.
        for binding in self._bindings.key_to_bindings.get(event.key, ()):
            if not binding.priority and await self.app.run_action(binding.action, self):
                event.stop()
                event.prevent_default()
                return
        await super()._on_key(event)
