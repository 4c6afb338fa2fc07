"""The reading pane: every fact of one paper, the reader's own star, status, tags and note, and the
abstract, emphasis and search matches shown.

Drawn line by line: a paper's text is wrapped once for the pane's width and kept, and each frame
draws only the visible lines. A new abstract then costs no layout of the screen, which keeps
typing fast while the cursor paper changes with every result.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.geometry import Size
from textual.strip import Strip
from textual.visual import Visual

from tuireader.app.widgets.scrolled_area import SteadyScrollbars, set_scrolled_size
from tuireader.corpus.model import Emphasis, Paper
from tuireader.safe_text import literal
from tuireader.state import DEFAULT_STATE, PaperState, ReadStatus

Spans = Sequence[tuple[int, int]]
NO_MATCH = "No paper matches. Press Esc then x to clear filters, or change the search."

_EMPHASIS_STYLES = {
    Emphasis.BOLD: Style(bold=True),
    Emphasis.ITALIC: Style(italic=True),
    Emphasis.MONOSPACE: Style(dim=True),
}


class AbstractView(SteadyScrollbars, can_focus=True):
    """Scrollable; clicking an author in the byline filters the list by that author."""

    DEFAULT_CSS = """
    AbstractView {
        overflow-x: hidden;
        overflow-y: scroll;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "scroll_down", "Scroll down", show=False),
        Binding("k", "scroll_up", "Scroll up", show=False),
        Binding("g", "scroll_home", "Top", show=False),
        Binding("G", "scroll_end", "Bottom", show=False),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "abstract-view--title",
        "abstract-view--author",
        "abstract-view--label",
        "abstract-view--match",
        "abstract-view--link",
        "abstract-view--note",
    }

    # What is on show (paper, matches and state): showing the same again draws nothing.
    _shown: tuple[Paper, Spans, Spans, PaperState] | None = None
    _showing_none = False
    _content: Content | None = None  # built from `_shown` when first drawn after a change
    _lines: tuple[int, list[Strip]] | None = None  # `_content` wrapped, and the width it fits

    def show(
        self,
        paper: Paper | None,
        title_matches: Spans = (),
        abstract_matches: Spans = (),
        state: PaperState = DEFAULT_STATE,
    ) -> None:
        if paper is None:
            if not self._showing_none:
                self._shown, self._showing_none = None, True
                self._changed()
            return
        self._showing_none = False
        shown = (paper, tuple(title_matches), tuple(abstract_matches), state)
        if self._shown is not None and shown[1:] == self._shown[1:] and paper.id == self._shown[0].id:
            return
        another_paper = self._shown is None or self._shown[0].id != paper.id
        self._shown = shown
        self._changed()
        if another_paper:  # a new paper opens at its top; new matches in the same one keep the place
            self.scroll_home(animate=False, immediate=True)

    @property
    def text(self) -> str:
        """What the pane shows, as plain text before wrapping."""
        return self._current_content().plain

    def _changed(self) -> None:
        self._content = None
        self._lines = None
        self._fit()
        self.refresh()

    def _current_content(self) -> Content:
        if self._content is None:
            if self._shown is None:
                text = Text(NO_MATCH) if self._showing_none else Text()
            else:
                text = self._paper_text(*self._shown)
            self._content = Content.from_rich_text(text, console=self.app.console)
        return self._content

    def _wrapped(self, width: int) -> list[Strip]:
        if self._lines is None or self._lines[0] != width:
            strips = Visual.to_strips(self, self._current_content(), width, None, self.visual_style)
            self._lines = (width, strips)
        return self._lines[1]

    def _fit(self) -> None:
        """Size the scrolled area to the text wrapped beside the scroll bar. The bar is always there
        (a bare track when the text fits): one that came and went with the length of the abstract
        would lay out the whole screen on the keystroke that showed it."""
        full = self.content_region.width
        if full <= 0:
            return
        width = max(1, full - self.styles.scrollbar_size_vertical)
        set_scrolled_size(self, Size(width, len(self._wrapped(width))))

    def on_resize(self, event: events.Resize) -> None:
        self._fit()

    def notify_style_update(self) -> None:
        # A new theme or focus style changes the colours baked into the wrapped lines.
        super().notify_style_update()
        self._content = None
        self._lines = None

    def render_line(self, y: int) -> Strip:
        lines = self._wrapped(self.virtual_size.width or self.scrollable_content_region.width)
        index = self.scroll_offset.y + y
        # Past the text, the pane's own background (filled in by the widget's styles).
        return lines[index] if index < len(lines) else Strip([], 0)

    def _component(self, name: str) -> Style:
        return self.get_component_rich_style(f"abstract-view--{name}")

    def _paper_text(
        self, paper: Paper, title_matches: Spans, abstract_matches: Spans, state: PaperState
    ) -> Text:
        text = Text()
        title = literal(paper.display_title, self._component("title"))
        for start, end in title_matches:
            title.stylize(self._component("match"), start, end)
        text.append_text(title)
        text.append("\n\n")
        for index, author in enumerate(paper.authors):
            if index:
                text.append(" · ")
            click = Style(meta={"@click": f"screen.filter_by_byline_author({index})"})
            text.append_text(literal(author.natural_name, self._component("author") + click))
        if not paper.authors and paper.editors:  # a proceedings volume, an edited book
            names = " · ".join(editor.natural_name for editor in paper.editors)
            text.append_text(literal(names, self._component("author")))
            text.append(f" (editor{'s' if len(paper.editors) > 1 else ''})", self._component("label"))
        elif not paper.authors:
            text.append("Authors unknown", self._component("label"))
        text.append("\n\n")
        self._append_facts(text, paper)
        self._append_state(text, state)
        if paper.abstract:
            text.append("\n")
            abstract = literal(paper.abstract.text)
            for span in paper.abstract.spans:
                abstract.stylize(_EMPHASIS_STYLES[span.emphasis], span.start, span.end)
            for start, end in abstract_matches:
                abstract.stylize(self._component("match"), start, end)
            text.append_text(abstract)
        else:
            text.append("\nNo abstract in the library.", self._component("label"))
        return text

    def _append_facts(self, text: Text, paper: Paper) -> None:
        when = paper.date.isoformat() if paper.date else (str(paper.year) if paper.year else None)
        editors = ", ".join(e.natural_name for e in paper.editors) if paper.authors else None
        publisher = paper.publisher or paper.school or paper.institution or paper.organization
        where = ", ".join(part for part in (publisher, paper.address) if part)
        url = paper.url if paper.url and paper.url != paper.arxiv_url else None
        facts: list[tuple[str, str | None, Style | None]] = [
            ("Date", when, None),
            ("Venue", paper.venue, None),
            ("Eds.", editors, None),
            ("Vol.", _volume(paper), None),
            ("Pages", paper.pages, None),
            ("Publ.", where or None, None),
            ("DOI", paper.doi, None),
            ("arXiv", paper.arxiv_id, None),
            ("URL", url, self._component("link")),
            ("Link", paper.arxiv_url, self._component("link")),
            ("Words", ", ".join(paper.keywords) or None, None),
            ("Files", paper.file, None),
            ("Key", paper.citation_key, None),
            ("Note", paper.note, None),
            ("Source", ", ".join(str(source) for source in paper.sources), None),
        ]
        for label, value, style in facts:
            if value:
                text.append(f"{label:<7}", self._component("label"))
                text.append_text(literal(value, style or Style()))
                text.append("\n")

    def _append_state(self, text: Text, state: PaperState) -> None:
        """The reader's own words about the paper; tags and notes are shown exactly as typed."""
        marks = ["★ starred"] if state.starred else []
        if state.status is not ReadStatus.UNREAD:
            marks.append("to read" if state.status is ReadStatus.TO_READ else "read")
        if marks:
            text.append(f"{'Yours':<7}", self._component("label"))
            text.append(" · ".join(marks) + "\n")
        if state.tags:
            text.append(f"{'Tags':<7}", self._component("label"))
            text.append_text(literal(", ".join(sorted(state.tags, key=str.casefold))))
            text.append("\n")
        if state.note:
            text.append("\nNote\n", self._component("label"))
            text.append_text(literal(state.note, self._component("note")))
            text.append("\n")


def _volume(paper: Paper) -> str | None:
    """`12 (3)`: a periodical's volume and issue, as far as known."""
    if paper.volume and paper.number:
        return f"{paper.volume} ({paper.number})"
    return paper.volume or (f"no. {paper.number}" if paper.number else None)
