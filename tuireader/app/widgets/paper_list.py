"""The paper list: a line-rendered view that draws only the visible rows, so 100k papers scroll freely."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.reactive import reactive
from textual.strip import Strip

from tuireader.app.messages import MarksChanged, PaperChosen, PaperHighlighted
from tuireader.app.widgets.scrolled_area import SteadyScrollbars, set_scrolled_size
from tuireader.corpus.model import Paper
from tuireader.safe_text import literal
from tuireader.state import DEFAULT_STATE, PaperState, ReadStatus

ROW_HEIGHT = 2
# Before each title: the mark, the star and the read status, one cell each.
STATUS_MARKS = {ReadStatus.UNREAD: " ", ReadStatus.TO_READ: "○", ReadStatus.READ: "✓"}
GUTTER = 5
Spans = Sequence[tuple[int, int]]


def byline(paper: Paper, limit: int = 3) -> str:
    names = [author.literal or author.family for author in paper.authors]
    if len(names) > limit:
        return ", ".join(names[:limit]) + " et al."
    return ", ".join(names)


def _second_line(paper: Paper) -> str:
    """Byline, venue and arXiv id; for a paper known only by its id, the abstract's opening words."""
    if not paper.title and not paper.authors:
        facts = [paper.venue or "", paper.abstract.text[:300]]
    else:
        facts = [byline(paper), paper.venue or "", f"arXiv:{paper.arxiv_id}" if paper.arxiv_id else ""]
    return " · ".join(fact for fact in facts if fact)


class PaperList(SteadyScrollbars, can_focus=True):
    """Rows of title + byline; posts `PaperHighlighted` as the cursor moves, `PaperChosen` on Enter,
    `MarksChanged` on Space. Each row shows the paper's mark, star and read status."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "cursor_down", "Down", show=False),
        Binding("k,up", "cursor_up", "Up", show=False),
        Binding("g,home", "first", "First", show=False),
        Binding("G,end", "last", "Last", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("space", "toggle_mark", "Mark", show=False),
        Binding("enter", "choose", "Read", show=False),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "paper-list--cursor",
        "paper-list--meta",
        "paper-list--match",
        "paper-list--mark",
        "paper-list--star",
        "paper-list--status",
        "paper-list--year",
    }

    cursor: reactive[int] = reactive(0, always_update=True)

    def __init__(
        self,
        papers: Callable[[str], Paper | None],
        state_of: Callable[[str], PaperState] = lambda paper_id: DEFAULT_STATE,
        **kwargs: object,
    ) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._paper = papers
        self._state_of = state_of
        self._ids: Sequence[str] = ()
        self._title_matches: Callable[[Paper], Spans] = lambda paper: ()
        self.marked: set[str] = set()
        # Rows drawn are kept across results, keyed by all that shapes their look: while typing,
        # most rows on screen stay on screen, and composing one costs more than the search itself.
        self._rows: LRUCache[tuple[object, ...], Strip] = LRUCache(1024)
        self._spans: dict[str, tuple[tuple[int, int], ...]] = {}  # title matches, for these results
        self._drawn_cursor: int | None = None  # the row last drawn as the cursor
        self._pass: tuple[Style, int] | None = None  # base style and width while lines are drawn

    @property
    def ids(self) -> Sequence[str]:
        return self._ids

    @property
    def current_id(self) -> str | None:
        return self._ids[self.cursor] if 0 <= self.cursor < len(self._ids) else None

    def show(self, ids: Sequence[str], title_matches: Callable[[Paper], Spans], cursor: int = 0) -> None:
        """Replace the rows; `cursor` is where the previously highlighted paper now is."""
        self._ids = ids
        self._title_matches = title_matches
        self._spans.clear()
        self._drawn_cursor = None
        set_scrolled_size(self, Size(self.size.width, len(ids) * ROW_HEIGHT))
        self.cursor = cursor
        self.refresh()

    def forget_rows(self) -> None:
        """The papers behind the ids changed (the library was read again): draw every row anew."""
        self._rows.clear()
        self.refresh()

    def select(self, paper_id: str) -> bool:
        """Move the cursor to a paper; False when it is not in the list."""
        position = position_of(self._ids, paper_id)
        if position is None:
            return False
        self.cursor = position
        return True

    def validate_cursor(self, cursor: int) -> int:
        return max(0, min(cursor, len(self._ids) - 1)) if self._ids else 0

    def watch_cursor(self, cursor: int) -> None:
        scrolled_from = self.scroll_offset
        self.scroll_to_region(Region(0, cursor * ROW_HEIGHT, 1, ROW_HEIGHT), animate=False, immediate=True)
        previous, self._drawn_cursor = self._drawn_cursor, cursor
        if previous is not None and self.scroll_offset == scrolled_from:
            # Only the rows the cursor left and reached look different.
            self.refresh_lines(previous * ROW_HEIGHT, ROW_HEIGHT)
            self.refresh_lines(cursor * ROW_HEIGHT, ROW_HEIGHT)
        else:
            self.refresh()
        self.post_message(PaperHighlighted(self.current_id))

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, len(self._ids) * ROW_HEIGHT)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._rows.clear()  # a theme or focus change: the rows drawn have the old colours

    def action_cursor_down(self) -> None:
        self.cursor += 1

    def action_cursor_up(self) -> None:
        self.cursor -= 1

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = len(self._ids) - 1

    def action_page_down(self) -> None:
        self.cursor += max(1, self.size.height // ROW_HEIGHT - 1)

    def action_page_up(self) -> None:
        self.cursor -= max(1, self.size.height // ROW_HEIGHT - 1)

    def action_choose(self) -> None:
        if self.current_id is not None:
            self.post_message(PaperChosen(self.current_id))

    def action_toggle_mark(self) -> None:
        paper_id = self.current_id
        if paper_id is None:
            return
        marked = paper_id not in self.marked
        self.marked.symmetric_difference_update({paper_id})
        self.post_message(MarksChanged(len(self.marked), paper_id, marked))
        self.cursor += 1

    def clear_marks(self) -> None:
        self.marked.clear()
        self.refresh()
        self.post_message(MarksChanged(0))

    def _row_at(self, event_y: int) -> int:
        return (event_y + int(self.scroll_offset.y)) // ROW_HEIGHT

    def on_click(self, event: events.Click) -> None:
        row = self._row_at(event.y)
        if 0 <= row < len(self._ids):
            self.focus()
            self.cursor = row
            if event.chain >= 2:
                self.action_choose()

    def render_lines(self, crop: Region) -> list[Strip]:
        # The style and width are the same for every line of one pass; worked out per line they
        # cost more than drawing a kept row.
        self._pass = (self.rich_style, self.scrollable_content_region.width)
        try:
            return super().render_lines(crop)
        finally:
            self._pass = None

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        row, line = divmod(y + int(scroll_y), ROW_HEIGHT)
        # Without the scrollbar
        base, width = self._pass or (self.rich_style, self.scrollable_content_region.width)
        if row >= len(self._ids):
            return Strip.blank(width, base)
        paper_id = self._ids[row]
        is_cursor = row == self.cursor
        marked = paper_id in self.marked
        state = self._state_of(paper_id)
        spans = self._title_spans(paper_id) if line == 0 else ()
        key = (
            paper_id,
            line,
            spans,
            is_cursor,
            marked,
            state.starred,
            state.status,
            width,
            self.has_focus,
            base,
        )
        strip = self._rows.get(key)
        if strip is None:
            strip = self._render_row(paper_id, line, spans, is_cursor, marked, state, width, base)
            self._rows[key] = strip
        return strip.crop_extend(int(scroll_x), int(scroll_x) + width, base)

    def _title_spans(self, paper_id: str) -> tuple[tuple[int, int], ...]:
        spans = self._spans.get(paper_id)
        if spans is None:
            paper = self._paper(paper_id)
            spans = tuple(self._title_matches(paper)) if paper is not None else ()
            self._spans[paper_id] = spans
        return spans

    def _render_row(
        self,
        paper_id: str,
        line: int,
        spans: Spans,
        is_cursor: bool,
        marked: bool,
        state: PaperState,
        width: int,
        base: Style,
    ) -> Strip:
        paper = self._paper(paper_id)
        text = Text(no_wrap=True, end="")
        if paper is not None:
            if line == 0:
                text.append(" ●" if marked else "  ", self.get_component_rich_style("paper-list--mark"))
                text.append("★" if state.starred else " ", self.get_component_rich_style("paper-list--star"))
                status = STATUS_MARKS[state.status] + " "
                text.append(status, self.get_component_rich_style("paper-list--status"))
                year = str(paper.year) if paper.year else ""
                title = literal(paper.display_title)
                for start, end in spans:
                    title.stylize(self.get_component_rich_style("paper-list--match"), start, end)
                title.truncate(max(width - GUTTER - len(year) - 2, 1), overflow="ellipsis")
                text.append_text(title)
                text.append(" " * max(width - text.cell_len - len(year) - 1, 1))
                text.append(year, self.get_component_rich_style("paper-list--year"))
            else:
                meta = literal(" " * GUTTER + _second_line(paper))
                meta.stylize(self.get_component_rich_style("paper-list--meta"))
                meta.truncate(width, overflow="ellipsis")
                text.append_text(meta)
        text.stylize_before(base)
        style = base
        if is_cursor:
            # Over the row's own styles: a muted byline keeps its colour but takes the cursor's background.
            cursor = self.get_component_rich_style("paper-list--cursor")
            style = base + cursor
            text.stylize(Style(bgcolor=cursor.bgcolor, bold=cursor.bold))
        return Strip(list(text.render(self.app.console))).extend_cell_length(width, style)


def position_of(ids: Sequence[str], paper_id: str | None, within: int | None = None) -> int | None:
    """Where a paper is among the first `within` ids (all when None)."""
    if paper_id is None:
        return None
    try:
        return (ids if within is None else ids[:within]).index(paper_id)
    except ValueError:
        return None
