"""The reading pane: every fact of one paper, the reader's own star, status, tags and note, and the
abstract, emphasis and search matches shown."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

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


class AbstractView(VerticalScroll, can_focus=True):
    """Scrollable; clicking an author in the byline filters the list by that author."""

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

    # What is on show (paper id, matches and state): showing the same again draws nothing.
    _shown: tuple[str, Spans, Spans, PaperState] | None = None
    _showing_none = False

    def compose(self) -> ComposeResult:
        yield Static(id="abstract-body")

    def show(
        self,
        paper: Paper | None,
        title_matches: Spans = (),
        abstract_matches: Spans = (),
        state: PaperState = DEFAULT_STATE,
    ) -> None:
        body = self.query_one("#abstract-body", Static)
        if paper is None:
            if not self._showing_none:
                self._shown, self._showing_none = None, True
                body.update(
                    Text("No paper matches. Press Esc then x to clear filters, or change the search.")
                )
            return
        self._showing_none = False
        shown = (paper.id, tuple(title_matches), tuple(abstract_matches), state)
        if shown == self._shown:
            return
        another_paper = self._shown is None or self._shown[0] != paper.id
        self._shown = shown
        body.update(self._paper_text(paper, title_matches, abstract_matches, state))
        if another_paper:  # a new paper opens at its top; new matches in the same one keep the place
            self.scroll_home(animate=False)

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
