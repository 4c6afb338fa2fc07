"""Facets of the current results: authors and venues with counts, papers per year as a small
bar chart, and (when the library has them) collections and keywords."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tuireader.app.messages import AuthorFilterToggled, VenueFilterToggled, YearFilterToggled
from tuireader.app.query_terms import facet_term, facet_terms_in, is_in
from tuireader.app.widgets.scrolled_area import SteadyScrollbars
from tuireader.corpus.names import Person
from tuireader.index.documents import COLLECTION_SEPARATOR
from tuireader.safe_text import literal

MAX_AUTHORS_SHOWN = 100  # rebuilt on every keystroke: keep it cheap
BAR_WIDTH = 12
# The reader's own list keys work in the facet lists too.
VIM_KEYS: list[BindingType] = [
    Binding("j", "cursor_down", "Down", show=False),
    Binding("k", "cursor_up", "Up", show=False),
    Binding("g", "first", "First", show=False),
    Binding("G", "last", "Last", show=False),
]


class _FacetList(OptionList, SteadyScrollbars):
    BINDINGS: ClassVar[list[BindingType]] = VIM_KEYS


class AuthorFacets(_FacetList):
    """Authors of the current results, most papers first; Enter or a click toggles the filter."""

    _shown: object = None  # what the options were made from: unchanged facets are not rebuilt
    _counts: Sequence[tuple[Person, int]] = ()
    _selected: Collection[str] = ()

    def show(self, counts: Sequence[tuple[Person, int]], selected: Collection[str]) -> None:
        # Rebuilding the options re-lays the pane out; while typing, the counts often stay the same.
        width = self.scrollable_content_region.width
        if not self.show_vertical_scrollbar:  # leave room for the scrollbar a longer list brings
            width -= self.styles.scrollbar_size_vertical
        shown = (
            [(person.key, person.name, count) for person, count in counts[:MAX_AUTHORS_SHOWN]],
            len(counts),
            set(selected),
            width,
        )
        if shown == self._shown:
            return
        self._shown = shown
        self._counts, self._selected = counts, selected
        highlighted = self.highlighted_option.id if self.highlighted_option else None
        options = []
        for person, count in counts[:MAX_AUTHORS_SHOWN]:
            number = f" {count}"
            # The count stays on the name's row: a long name is cut short, never wrapped.
            name = literal(person.name, no_wrap=True)
            name.truncate(max(width - 2 - len(number), 4), overflow="ellipsis")
            prompt = Text(no_wrap=True)
            prompt.append("✔ " if person.key in selected else "  ", "bold")
            prompt.append_text(name)
            prompt.append(number, "dim")
            options.append(Option(prompt, id=person.key))
        if len(counts) > MAX_AUTHORS_SHOWN:
            options.append(
                Option(Text(f"  … {len(counts) - MAX_AUTHORS_SHOWN:,} more", "dim"), disabled=True)
            )
        self.set_options(options)
        if highlighted is not None:
            try:
                self.highlighted = self.get_option_index(highlighted)
            except Exception:  # the author is no longer among the results
                self.highlighted = 0 if options else None

    def on_resize(self) -> None:
        if self._shown is not None:
            self.show(self._counts, self._selected)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(AuthorFilterToggled(event.option.id))


class YearFacets(_FacetList):
    """Papers per year; selecting a year narrows to it, selecting more widens the range."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"year-facets--bar", "year-facets--bar-selected"}

    _shown: object = None

    def show(self, counts: Sequence[tuple[int, int]], selected: tuple[int, int] | None) -> None:
        by_year = sorted(counts, reverse=True)
        if (by_year, selected) == self._shown:
            return
        self._shown = (by_year, selected)
        most = max((count for _, count in by_year), default=1)
        options = []
        for year, count in by_year:
            inside = selected is not None and selected[0] <= year <= selected[1]
            bar = "█" * max(1, round(BAR_WIDTH * count / most))
            prompt = Text(no_wrap=True)
            prompt.append("✔ " if inside else "  ", "bold")
            prompt.append(f"{year} ")
            prompt.append(
                bar, self.get_component_rich_style(f"year-facets--bar{'-selected' if inside else ''}")
            )
            prompt.append(f" {count}", "dim")
            options.append(Option(prompt, id=str(year)))
        if not options:
            options.append(Option(Text("  No years known", "dim"), disabled=True))
        self.set_options(options)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(YearFilterToggled(int(event.option.id)))


class VenueFacets(_FacetList):
    """Venues of the current results (editions of one venue counted together), most papers
    first; Enter or a click toggles the filter, and papers of any selected venue are kept."""

    _shown: object = None
    _counts: Sequence[tuple[str, int]] = ()
    _selected: Collection[str] = ()
    _venues: Sequence[str] = ()  # per option: venue names are too free-form for option ids

    def show(self, counts: Sequence[tuple[str, int]], selected: Collection[str]) -> None:
        width = self.scrollable_content_region.width
        if not self.show_vertical_scrollbar:
            width -= self.styles.scrollbar_size_vertical
        # A selected venue stays listed (to be unselected) even when no result is from it.
        listed = list(counts) + [(venue, 0) for venue in selected if venue not in dict(counts)]
        shown = (listed, set(selected), width)
        if shown == self._shown:
            return
        self._shown = shown
        self._counts, self._selected = counts, selected
        highlighted = self.highlighted
        options = []
        for venue, count in listed:
            number = f" {count}"
            name = literal(venue, no_wrap=True)
            name.truncate(max(width - 2 - len(number), 4), overflow="ellipsis")
            prompt = Text(no_wrap=True)
            prompt.append("✔ " if venue in selected else "  ", "bold")
            prompt.append_text(name)
            prompt.append(number, "dim")
            options.append(Option(prompt))
        if not options:
            options.append(Option(Text("  No venues known", "dim"), disabled=True))
        self._venues = [venue for venue, _ in listed]
        self.set_options(options)
        if highlighted is not None and options:
            self.highlighted = min(highlighted, len(options) - 1)

    def on_resize(self) -> None:
        if self._shown is not None:
            self.show(self._counts, self._selected)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if 0 <= event.option_index < len(self._venues):
            self.post_message(VenueFilterToggled(self._venues[event.option_index]))


class FacetTermToggled(Message):
    """A collection or keyword was picked: its query term goes in or out of the search bar."""

    def __init__(self, term: str) -> None:
        super().__init__()
        self.term = term


class ListedFacets(_FacetList):
    """Values of a many-valued facet (`field` "collection" or "keyword") with their counts.
    Collections are listed as a tree (a parent counts its children's papers); keywords by count.
    Picking one adds its term to the query, or takes it out."""

    _shown: object = None
    _counts: Sequence[tuple[str, int]] = ()
    _query: str = ""
    _terms: Sequence[str] = ()  # per option, like VenueFacets' names

    def __init__(self, field: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.field = field

    def show(self, counts: Sequence[tuple[str, int]], query: str) -> None:
        width = self.scrollable_content_region.width
        if not self.show_vertical_scrollbar:
            width -= self.styles.scrollbar_size_vertical
        selected = facet_terms_in(query)
        shown = (list(counts), selected, width)
        if shown == self._shown:
            return
        self._shown = shown
        self._counts, self._query = counts, query
        listed = sorted(counts, key=lambda item: item[0].casefold()) if self.field == "collection" else counts
        # The cursor stays on its value when that is still listed (a pick narrows the list).
        highlighted = self.highlighted
        on_screen = highlighted is not None and highlighted < len(self._terms)
        before = self._terms[highlighted] if on_screen and highlighted is not None else None
        options, terms = [], []
        for value, count in listed:
            term = facet_term(self.field, value)
            number = f" {count}"
            names = value.split(COLLECTION_SEPARATOR) if self.field == "collection" else [value]
            indent = "  " * (len(names) - 1)
            name = literal(names[-1], no_wrap=True)
            name.truncate(max(width - 2 - len(indent) - len(number), 4), overflow="ellipsis")
            prompt = Text(no_wrap=True)
            prompt.append("✔ " if is_in(term, query) else "  ", "bold")
            prompt.append(indent)
            prompt.append_text(name)
            prompt.append(number, "dim")
            options.append(Option(prompt))
            terms.append(term)
        self._terms = terms
        self.set_options(options)
        if before in terms:
            self.highlighted = terms.index(before)
        elif highlighted is not None and options:
            self.highlighted = min(highlighted, len(options) - 1)

    def on_resize(self) -> None:
        if self._shown is not None:
            self.show(self._counts, self._query)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if 0 <= event.option_index < len(self._terms):
            self.post_message(FacetTermToggled(self._terms[event.option_index]))
