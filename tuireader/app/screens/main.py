"""The reader: search bar, facets, paper list and abstract side by side.

The screen owns the state (query, filters, sort) as reactive vars; panes only post domain messages.
Searches run in an exclusive thread worker, so typing never waits for the index. Until the index is
ready (a first open builds it), the list comes from the library itself: filters and sorting work,
words wait, and the status line says how far indexing has got.

The reader's own state (stars, read status, tags, notes, marks, saved searches) lives in a
`ReadingState` the screen owns: changes show in every pane at once and are written behind them. A
query's state terms (`is:starred`, `tag:x`, `note:word`) are split off it here; the rest goes to the
search engine, and the engine's results are then kept to the papers whose state fits.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.reactive import var
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Input, Static
from textual.worker import Worker, WorkerState, get_current_worker

from tuireader.app import annotating, editing, exporting, opening
from tuireader.app.actions import SCREEN_ACTIONS
from tuireader.app.annotating import STATE_ACTIONS
from tuireader.app.annotating import kept_by_state as _kept_by_state
from tuireader.app.following import start_following
from tuireader.app.memory import collect_when_idle, settle_long_lived
from tuireader.app.messages import (
    AuthorFilterToggled,
    MarksChanged,
    PaperChosen,
    PaperHighlighted,
    SavedSearchChosen,
    VenueFilterToggled,
    YearFilterToggled,
)
from tuireader.app.navigation import BackStack, Place
from tuireader.app.query_terms import toggled
from tuireader.app.reading_state import (
    ReadingState,
    StartingState,
    StateWriteFailed,
    session_of,
)
from tuireader.app.screens.loading import TypedWhileLoading
from tuireader.app.status import status_line
from tuireader.app.widgets.abstract_view import AbstractView
from tuireader.app.widgets.facets import AuthorFacets, FacetTermToggled, ListedFacets, VenueFacets, YearFacets
from tuireader.app.widgets.paper_list import PaperList, position_of
from tuireader.app.widgets.search_bar import SearchBar
from tuireader.config import SORT_KEYS
from tuireader.corpus.model import Paper
from tuireader.corpus.names import Person, fold
from tuireader.index import IndexDamaged, QueryTerms, SearchCancelled
from tuireader.index.browse import browse
from tuireader.safe_text import literal
from tuireader.state import (
    DEFAULT_STATE,
    PaperState,
    split_state_terms,
)

if TYPE_CHECKING:
    from tuireader.app.app import ReaderApp
    from tuireader.corpus.library import Library
    from tuireader.index import Highlights, SearchEngine, SearchResults
    from tuireader.watching import Changes, Follower

NARROW_WIDTH = 100
# Results ranked at once for the list's first screens; scrolling past them sorts the rest. The
# highlighted paper keeps the cursor when it is among them: looking further would make every
# keystroke sort a result set of up to 100k papers.
FIRST_PAGE = 200
DETAILS_DELAY = 0.15  # seconds without a new result before the facets follow the list


@dataclass(frozen=True, slots=True)
class SearchRequest:
    query: str
    authors: tuple[str, ...]
    years: tuple[int, int] | None
    sort: str
    venues: tuple[str, ...] = ()


def _hint(results: SearchResults) -> str:
    """The engine's notice, and close words from the library when the query found little."""
    parts = [results.notice] if results.notice else []
    if results.suggestions:
        parts.append("Did you mean: " + ", ".join(results.suggestions) + "?")
    return " ".join(parts)


class MainScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        binding for action in SCREEN_ACTIONS for binding in action.bindings()
    ]

    search_text: var[str] = var("")
    authors: var[tuple[str, ...]] = var(())
    years: var[tuple[int, int] | None] = var(None)
    venues: var[tuple[str, ...]] = var(())  # as the venue facets name them; any of them
    sort: var[str] = var("relevance", init=False)
    facets_visible: var[bool] = var(True)
    _settled_for: tuple[int, int] | None = None  # the library and engine `memory` last froze
    _listed_library: Library | None = None  # the library whose papers the list last drew
    # The matches in the paper the results open on, found by the search worker (see `_highlights`).
    _opening_matches: tuple[SearchResults, str, Highlights] | None = None
    _named_by: SearchResults | None = None  # the last results whose facets were counted
    # Facets not yet redrawn for the results on show (see `_show_results`); the collection and
    # keyword lists follow when it turns False, with the other facets.
    details_pending: var[bool] = var(False, init=False)

    def __init__(
        self,
        library: Library,
        engine: SearchEngine | None = None,
        *,
        sort: str = "relevance",
        state: StartingState | None = None,
    ) -> None:
        super().__init__()
        self.set_reactive(MainScreen.sort, sort)
        # None when personal state could not be opened: the reader then works without it.
        self.reading = ReadingState(state, self.post_message) if state else None
        self._last_paper: str | None = None  # the cursor's paper, still known once the list is gone
        # The last session's cursor paper, looked for in the first results only: unlike a paper
        # asked for, it must not take the cursor (or the focus) from a later search.
        self._session_paper: str | None = None
        self.library = library
        self.engine = engine  # None until the index is ready
        self.results: SearchResults | None = None
        self.shown_request: SearchRequest | None = None
        self.shown_from_index = False  # whether the list on screen was searched, or browsed
        self.engine_lock = threading.Lock()
        self._pending_paper: str | None = None
        self._indexing = "" if engine else "Indexing…"
        self._shown_status: Text | None = None
        self._shown_hint: Text | None = None
        self._hint_fitted_to = 0  # the width of the text the hint was last laid out for
        self._available: tuple[bool | None, ...] = ()
        self._details_timer: Timer | None = None
        self.details_pending = False  # facets not yet redrawn for the results on show
        self._search_failure: str | None = None
        self._author_counts: list[tuple[str, Person, int]] | None = None
        self._author_counts_lock = threading.Lock()
        self.history = BackStack()  # the places Back returns to
        self._follower: Follower | None = None
        if state is not None and state.session is not None:
            self._restore_session(state)

    def _restore_session(self, state: StartingState) -> None:
        """Start where the last session ended; the search bar is filled in on mount."""
        session = state.session
        assert session is not None
        self.set_reactive(MainScreen.search_text, session.query)
        self.set_reactive(MainScreen.authors, session.authors)
        self.set_reactive(MainScreen.years, session.years)
        self.set_reactive(MainScreen.venues, session.venues)
        if session.sort in SORT_KEYS:
            self.set_reactive(MainScreen.sort, session.sort)
        self._session_paper = state.session_paper

    def author_counts(self) -> list[tuple[str, Person, int]]:
        """Every person with their paper count, most papers first, and a folded form of their name
        for the palette to match. From the index's side file when it is ready (a tenth of a second
        at 60,000 papers); without it, seconds of work from every byline. Call it from a thread
        (it is made in the background once the first results are on screen)."""
        with self._author_counts_lock:
            engine = self.engine
            if self._author_counts is None and engine is not None and engine.library is self.library:
                self._author_counts = engine.author_counts()
            if self._author_counts is None:
                counts = self.library.people.counts_of_bylines(self.library.bylines())
                self._author_counts = [(fold(person.name), person, count) for person, count in counts]
            return self._author_counts

    @work(thread=True, group="warm-up", exit_on_error=False)
    def _warm_up(self) -> None:
        self.author_counts()

    @property
    def reader(self) -> ReaderApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        with Horizontal(id="search-bar"):
            # No select-on-focus: keys typed in a burst after `/` are already in the bar when the
            # focus event lands, and selecting them would let the next key replace them.
            yield SearchBar(
                placeholder='Search: words, "phrases", author:name, year:2020..2024 …',
                id="search",
                select_on_focus=False,
            )
            yield Static(id="search-hint")
        yield Static(id="status-line")
        with Horizontal(id="panes"):
            with Vertical(id="facet-pane"):
                yield Static("Authors", classes="pane-title")
                yield AuthorFacets(id="author-facets")
                yield Static("Years", classes="pane-title")
                yield YearFacets(id="year-facets")
                yield Static("Venues", classes="pane-title")
                yield VenueFacets(id="venue-facets")
                # Shown only for libraries that have collections or keywords
                yield Static("Collections", classes="pane-title listed-title", id="collection-title")
                yield ListedFacets("collection", id="collection-facets", classes="listed-facets")
                yield Static("Keywords", classes="pane-title listed-title", id="keyword-title")
                yield ListedFacets("keyword", id="keyword-facets", classes="listed-facets")
            yield PaperList(lambda paper_id: self.library.get(paper_id), self.state_of, id="paper-list")
            yield AbstractView(id="abstract-view")
        yield Footer()

    def on_mount(self) -> None:
        settings = self.reader.settings
        self.facets_visible = settings.show_facets and self.size.width >= NARROW_WIDTH
        search = self.query_one("#search", Input)
        search.cursor_blink = self.reader.cursor_blink
        if self.search_text:
            search.value = self.search_text
            search.cursor_position = len(self.search_text)
        if self.reading is not None:
            self.query_one(PaperList).marked = self.reading.marked_ids()
        self.set_focus(self.query_one(PaperList))
        self.search_now()

    def on_unmount(self) -> None:
        """Remember where the reader was, finish the queued writes and close the store."""
        if self._follower is not None:
            self._follower.stop()
        if self.reading is None:
            return
        paper = self.library.get(self._last_paper) if self._last_paper else None
        self.reading.remember_session(
            session_of(self.search_text, self.authors, self.years, self.sort, paper, self.venues)
        )
        self.reading.close()

    def state_of(self, paper_id: str) -> PaperState:
        return self.reading.state_of(paper_id) if self.reading else DEFAULT_STATE

    # --- state → search -------------------------------------------------------------------------

    def current_request(self) -> SearchRequest:
        return SearchRequest(self.search_text, self.authors, self.years, self.sort, self.venues)

    def watch_search_text(self) -> None:
        self.search_now()

    def watch_authors(self) -> None:
        self.search_now()

    def watch_years(self) -> None:
        self.search_now()

    def watch_venues(self) -> None:
        self.search_now()

    def watch_sort(self, sort: str) -> None:
        self.reader.update_settings(sort=sort)
        self.search_now()

    def watch_facets_visible(self, visible: bool) -> None:
        self.query_one("#facet-pane").display = visible

    def watch_details_pending(self, pending: bool) -> None:
        if pending or self.results is None:
            return
        query = self.shown_request.query if self.shown_request else self.search_text
        for field, counts in (
            ("collection", self.results.collection_facets),
            ("keyword", self.results.keyword_facets),
        ):
            shown = bool(counts)
            self.query_one(f"#{field}-title").display = shown
            facets = self.query_one(f"#{field}-facets", ListedFacets)
            facets.display = shown
            if shown:
                facets.show(counts, query)

    def search_now(self) -> None:
        """Search for the current state; what the worker needs is read here, on the UI thread."""
        _, state_filter = split_state_terms(self.search_text)
        states = (self.reading.snapshot() if self.reading else {}) if state_filter else {}
        request = self.current_request()
        # While the user types, facets are drawn only once typing pauses (see `_show_results`), and
        # counting them was most of a search's time: they are counted then (see `_show_details`).
        # State-filtered results have their facets counted again over the papers kept.
        typing = self.shown_request is not None and request.query != self.shown_request.query
        with_facets = not typing or bool(state_filter)
        self.run_search(request, self._cursor_paper, self.engine, states, with_facets)

    def index_progress(self, done: int, total: int) -> None:
        """The index is being built: say how far, and that words wait for it."""
        percent = 100 * done // total if total else 0
        self._indexing = f"Indexing {total:,} papers: {percent}% (search starts when it is ready)"
        self._update_status()

    def index_ready(self, engine: SearchEngine) -> None:
        self.engine = engine
        self._indexing = ""
        self.search_now()
        self.refresh_bindings()
        self.follow_files()

    def index_failed(self, reason: str) -> None:
        self._indexing = f"Search is unavailable: {reason}"
        self._update_status()
        self.follow_files()

    def follow_files(self, interval: float | None = None) -> None:
        """Start following the library files, once the first index work is over."""
        if self._follower is None and self.reader.follow_files:
            self._follower = start_following(self, interval=interval)

    def swap_library(
        self, library: Library, engine: SearchEngine | None, found: Changes
    ) -> SearchEngine | None:
        """Show a library read again, keeping the query, filters and cursor; returns the engine it
        replaces (closed by the caller once no search uses it)."""
        old, before = self.engine, len(self.library.papers)
        self.library, self.engine = library, engine
        self._author_counts = None
        self._indexing = "" if engine else "Search is unavailable until the index can be refreshed"
        self._session_paper = self._cursor_paper  # found again in the new results, focus unchanged
        self.search_now()
        gained = len(library.papers) - before
        change = f" ({gained:+,})" if gained else ""
        lines = [f"{found.describe() or 'Read again'}: {len(library.papers):,} papers{change}"]
        lines += [str(problem) for problem in library.problems[:3]]
        self.notify(
            "\n".join(lines),
            title="Library reloaded",
            severity="warning" if library.problems else "information",
        )
        return old

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def run_search(
        self,
        request: SearchRequest,
        cursor_paper: str | None,
        engine: SearchEngine | None,
        states: Mapping[str, PaperState],
        with_facets: bool = True,
    ) -> None:
        worker = get_current_worker()
        query, state_filter = split_state_terms(request.query)
        if engine is None:
            waiting = "Words are searched once the index is ready" if query.strip() else None
            results = browse(
                self.library,
                authors=request.authors,
                years=request.years,
                venues=request.venues,
                sort=request.sort,
                notice=waiting,
            )
            results = _kept_by_state(results, states, state_filter, self.library)
            if not worker.is_cancelled:
                cursor = position_of(results.ids, cursor_paper, within=FIRST_PAGE)
                self.app.call_from_thread(self._show_results, request, results, cursor or 0, False, None)
            return
        with self.engine_lock:
            if worker.is_cancelled:
                return
            try:
                results = engine.search(
                    query,
                    authors=request.authors,
                    years=request.years,
                    venues=request.venues,
                    sort=request.sort,
                    limit=0,  # highlights are computed for the rows on screen only
                    page=FIRST_PAGE,
                    cancelled=lambda: worker.is_cancelled,  # a newer keystroke frees the engine
                    with_facets=with_facets,
                )
            except SearchCancelled:
                return
        if worker.is_cancelled:
            return
        results = _kept_by_state(results, states, state_filter, self.library)
        cursor = position_of(results.ids, cursor_paper, within=FIRST_PAGE) or 0
        # The abstract the results open on is shown in the same frame as the list: its matches are
        # found here rather than on the event loop.
        found = None
        if results.terms and cursor < len(results.ids) and not worker.is_cancelled:
            opening = results.ids[cursor]
            found = (opening, engine.highlights(opening, results.terms))
        if not worker.is_cancelled:
            self.app.call_from_thread(self._show_results, request, results, cursor, True, found)

    def _show_results(
        self,
        request: SearchRequest,
        results: SearchResults,
        cursor: int,
        from_index: bool,
        found: tuple[str, Highlights] | None,
    ) -> None:
        if request != self.current_request() or (self.engine is not None and not from_index):
            return  # a newer search is on its way
        typing = self.shown_request is not None and request.query != self.shown_request.query
        self._opening_matches = (results, *found) if found else None
        self.results = results
        self.shown_request = request
        self.shown_from_index = from_index
        self._search_failure = None
        # While the user types, the facets (the costliest pane to redraw) follow once typing
        # pauses; the list and the abstract always show the new results at once.
        if self._details_timer is not None:
            self._details_timer.stop()
        self.details_pending = True
        if self.library is not self._listed_library:  # the list keeps rows drawn from its papers
            self._listed_library = self.library
            self.query_one(PaperList).forget_rows()
        self.query_one(PaperList).show(results.ids, self._title_matches, cursor)
        self._show_hint(literal(_hint(results)), typing=typing)
        if typing:
            # The status line spans the screen: drawn in the same frame as the list, it would make
            # that frame redraw the facets beside the list too. It follows a frame later.
            self.call_after_refresh(self._update_status)
            self._details_timer = self.set_timer(DETAILS_DELAY, self._show_details)
        else:
            self._update_status()
            self._show_details()
        if self._author_counts is None and from_index:
            self._warm_up()
        if from_index and self._settled_for != (id(self.library), id(self.engine)):
            # The library and its index are all loaded now: see `memory`.
            self._settled_for = (id(self.library), id(self.engine))
            settle_long_lived(len(self.library.papers))
        if self._session_paper is not None:
            self.query_one(PaperList).select(self._session_paper)
            self._session_paper = None
        if self._pending_paper is not None and self.query_one(PaperList).select(self._pending_paper):
            self._pending_paper = None
            self.set_focus(self.query_one(PaperList))

    def _show_details(self) -> None:
        """Facets for the results on show (see `_show_results`)."""
        if self.shown_request != self.current_request() and self._searching():
            # Results for newer text are on their way: drawing facets now would delay them.
            self._details_timer = self.set_timer(DETAILS_DELAY, self._show_details)
            return
        self._details_timer = None
        if self.results is not None and not self.results.facets_counted and self.engine is not None:
            self._count_facets(self.results, self.engine)  # then back here
            return
        self.details_pending = False
        self._fit_hint()
        self._refresh_bindings_if_changed()
        if self.results is not None:
            self.query_one(AuthorFacets).show(self.results.author_facets, set(self.authors))
            self.query_one(YearFacets).show(self.results.year_facets, self.years)
            self.query_one(VenueFacets).show(self.results.venue_facets, self.venues)
        self.call_after_refresh(collect_when_idle)  # typing has paused: see `memory`

    @work(thread=True, exclusive=True, group="facets", exit_on_error=False)
    def _count_facets(self, results: SearchResults, engine: SearchEngine) -> None:
        counted = engine.with_facets(results)
        if counted.facets_counted:
            self.app.call_from_thread(self._facets_counted, results, counted)

    def _facets_counted(self, results: SearchResults, counted: SearchResults) -> None:
        """The facets of the results on show are counted: draw them, unless newer results came."""
        if self.results is not results:
            return
        self.results = counted
        if self._opening_matches is not None and self._opening_matches[0] is results:
            self._opening_matches = (counted, *self._opening_matches[1:])
        if self._details_timer is None:  # no newer results waiting for a pause
            self._show_details()

    def _searching(self) -> bool:
        return any(
            worker.node is self and worker.group == "search" and not worker.is_finished
            for worker in self.workers
        )

    @on(Worker.StateChanged)
    def _worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A failed search must not leave the previous list looking like its answer; the app tells
        the user and logs it, once for as long as searches keep failing the same way."""
        if event.worker.group != "search" or event.state != WorkerState.ERROR:
            self.reader.worker_failed(event)
            return
        error = event.worker.error
        reason = str(error) if isinstance(error, IndexDamaged) else f"{type(error).__name__}: {error}"
        if reason != self._search_failure:
            self.reader.worker_failed(event)
        if isinstance(error, IndexDamaged) and self.engine is not None:
            # Searching cannot work until it is rebuilt: list the library meanwhile, say so, rebuild.
            self.engine.close()
            self.engine = None
            self._indexing = "The search index was damaged: rebuilding it"
            self.reader.rebuild_index(self)
            self.search_now()
        self._search_failure = reason
        self._show_hint(literal("Search failed", "bold"))
        self.query_one(PaperList).add_class("stale")
        self._update_status()

    def _highlights(self, paper: Paper) -> Highlights | None:
        if self.results is None or not self.results.terms or self.engine is None:
            return None
        opening = self._opening_matches
        if opening is not None and opening[0] is self.results and opening[1] == paper.id:
            return opening[2]
        return self.engine.highlights(paper.id, self.results.terms)

    def _title_matches(self, paper: Paper) -> list[tuple[int, int]]:
        """Title matches of a visible row; only title terms, so its abstract is not analysed."""
        if self.results is None or not paper.title or self.engine is None:
            return []
        title_terms = QueryTerms({"title": self.results.terms.of("title")})
        if not title_terms:
            return []
        return [(span.start, span.end) for span in self.engine.highlights(paper.id, title_terms).title]

    @property
    def _cursor_paper(self) -> str | None:
        lists = self.query(PaperList)  # empty while the screen is still being composed
        return lists.first().current_id if lists else None

    def _update_status(self) -> None:
        if self._search_failure is not None:
            self._show_status(
                literal(f"Search failed ({self._search_failure}); the list below is from an earlier search")
            )
            return
        self.query_one(PaperList).remove_class("stale")
        line = status_line(
            shown=self.results.total if self.results else None,
            papers=len(self.library.papers),
            files=len(self.library.files_read),
            indexing=self._indexing,
            sort=self.sort,
            authors=self.authors,
            people=self._person_names(),
            years=self.years,
            venues=self.venues,
            state_filter=split_state_terms(self.shown_request.query if self.shown_request else "")[1],
            marked=len(self.query_one(PaperList).marked),
        )
        self._show_status(literal(line))

    # Each keystroke would otherwise redraw (and, for the hint, re-lay out) lines that did not change.
    def _show_status(self, text: Text) -> None:
        if text != self._shown_status:
            self._shown_status = text
            self.query_one("#status-line", Static).update(text, layout=False)  # always one line

    def _show_hint(self, text: Text, *, typing: bool = False) -> None:
        """The hint is as wide as its text, and a new width lays out the whole screen: while the user
        types (when the hint changes width on about every other key), it is drawn in the width it
        has, and fitted to its text once typing pauses (`_fit_hint`)."""
        if text != self._shown_hint:
            self._shown_hint = text
            self.query_one("#search-hint", Static).update(text, layout=False)
            if not typing:
                self._fit_hint()

    def _fit_hint(self) -> None:
        if self._shown_hint is not None and self._shown_hint.cell_len != self._hint_fitted_to:
            self._hint_fitted_to = self._shown_hint.cell_len
            self.query_one("#search-hint", Static).refresh(layout=True)

    # --- pane messages --------------------------------------------------------------------------

    def on_key(self, event: events.Key) -> None:
        """Keys typed in one burst (`/jail`) all reach the list before `/` can move the focus, and
        would then fall between the list and the search bar. Keys bubble through this screen in the
        order typed, so handling `/` here and sending the printable keys after it on to the bar
        keeps every keystroke."""
        if event.key == self.app.COMMAND_PALETTE_BINDING:
            self.reader.begin_typeahead()  # the binding still opens the palette
            return
        if self.reader.typeahead(event):
            return
        search = self.query_one("#search", Input)
        # `self.focused`, not `search.has_focus`: the latter changes only when the Focus event lands.
        if event.key == "slash" and self.focused is not search:
            event.stop()
            self.action_focus_search()
        elif self.focused is search and event.is_printable and event.character:
            event.stop()
            event.prevent_default()
            search.insert_text_at_cursor(event.character)

    @on(Input.Changed, "#search")
    def _query_typed(self, event: Input.Changed) -> None:
        self.search_text = event.value

    @on(Input.Submitted, "#search")
    def _query_submitted(self) -> None:
        self.set_focus(self.query_one(PaperList))

    @on(PaperHighlighted)
    def _paper_highlighted(self, event: PaperHighlighted) -> None:
        self._last_paper = event.paper_id
        self._show_abstract(event.paper_id)
        if not self.details_pending:  # while typing, the footer follows with the facets
            self._refresh_bindings_if_changed()

    def _show_abstract(self, paper_id: str | None) -> None:
        paper = self.library.get(paper_id) if paper_id else None
        if paper is None:
            if self.shown_request is not None:  # before any results, an empty list matches nothing yet
                self.query_one(AbstractView).show(None)
        else:
            found = self._highlights(paper)
            title = [(span.start, span.end) for span in found.title] if found and paper.title else []
            abstract = [(span.start, span.end) for span in found.abstract] if found else []
            self.query_one(AbstractView).show(paper, title, abstract, self.state_of(paper.id))

    def _refresh_bindings_if_changed(self) -> None:
        """The footer is rebuilt on every refresh of the bindings: only when what is possible changed."""
        available = tuple(self.check_action(action.name, ()) for action in SCREEN_ACTIONS)
        if available != self._available:
            self._available = available
            self.refresh_bindings()

    @on(PaperChosen)
    def _paper_chosen(self) -> None:
        self.set_focus(self.query_one(AbstractView))

    @on(AuthorFilterToggled)
    def _author_toggled(self, event: AuthorFilterToggled) -> None:
        self.toggle_author(event.person_key)

    @on(VenueFilterToggled)
    def _venue_toggled(self, event: VenueFilterToggled) -> None:
        self.remember_place()
        if event.venue in self.venues:
            self.venues = tuple(venue for venue in self.venues if venue != event.venue)
        else:
            self.venues = (*self.venues, event.venue)

    @on(TypedWhileLoading)
    def _typed_while_loading(self, event: TypedWhileLoading) -> None:
        """A search typed before the reader showed replaces the last session's."""
        search = self.query_one("#search", Input)
        search.value = event.text
        search.cursor_position = len(event.text)
        self.search_text = event.text
        self.set_focus(search)

    @on(FacetTermToggled)
    def _facet_term_toggled(self, event: FacetTermToggled) -> None:
        self.remember_place()
        query = toggled(self.search_text, event.term)
        search_bar = self.query_one("#search", Input)
        search_bar.value = query
        search_bar.cursor_position = len(query)
        self.search_text = query

    @on(YearFilterToggled)
    def _year_toggled(self, event: YearFilterToggled) -> None:
        year = event.year
        if self.years is None:
            self.years = (year, year)
        elif self.years == (year, year):
            self.years = None
        else:
            self.years = (min(self.years[0], year), max(self.years[1], year))

    @on(MarksChanged)
    def _marks_changed(self, event: MarksChanged) -> None:
        paper = self.library.get(event.paper_id) if event.paper_id else None
        if paper is not None and self.reading is not None:
            self.reading.set_marked(paper, event.marked)
        self._update_status()

    @on(StateWriteFailed)
    def _state_write_failed(self, event: StateWriteFailed) -> None:
        """Show what the store really holds, and say the change was not kept."""
        if self.reading is not None and event.paper_id is not None:
            self.reading.restore(event.paper_id, event.state)
            if event.state is not None:
                marks = self.query_one(PaperList).marked
                if event.state.marked:
                    marks.add(event.paper_id)
                else:
                    marks.discard(event.paper_id)
        self.state_shown()
        self.notify(event.reason, title="Not saved", severity="error", timeout=15)

    @on(SavedSearchChosen)
    def _saved_search_chosen(self, event: SavedSearchChosen) -> None:
        if event.forget:
            self.action_forget_search(event.slot)
        else:
            self.action_recall_search(event.slot)

    def toggle_author(self, person_key: str) -> None:
        self.remember_place()
        if person_key in self.authors:
            self.authors = tuple(key for key in self.authors if key != person_key)
        else:
            self.authors = (*self.authors, person_key)

    def on_resize(self) -> None:
        narrow = self.size.width < NARROW_WIDTH
        self.set_class(narrow, "narrow")
        self.query_one(Footer).compact = narrow
        if narrow and self.facets_visible and not self.query_one("#facet-pane").has_focus_within:
            self.facets_visible = False

    # --- actions --------------------------------------------------------------------------------

    @property
    def current_paper(self) -> Paper | None:
        paper_id = self.query_one(PaperList).current_id
        return self.library.get(paper_id) if paper_id else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "clear_filters":
            return bool(self.authors or self.years or self.venues)
        if action in {"related", "cite", "copy_again", "filter_by_author_of_paper"} | STATE_ACTIONS:
            return self.current_paper is not None
        if action == "clear_marks":
            return bool(self.query_one(PaperList).marked)
        if action in {"open_paper", "edit_entry"}:
            return self.current_paper is not None
        if action == "go_back":
            return bool(self.history)
        if action == "list_back":
            return bool(self.history) and isinstance(self.focused, PaperList)
        return True

    # Focus moves at once (not after a refresh, as widget.focus() does), so that keys typed in one
    # burst after `/` land in the search bar.
    def action_focus_search(self) -> None:
        self.set_focus(self.query_one("#search", Input))

    def action_back_to_list(self) -> None:
        self.set_focus(self.query_one(PaperList))

    def action_read(self) -> None:
        self.set_focus(self.query_one(AbstractView))

    def action_focus_facets(self) -> None:
        self.facets_visible = True
        facets = self.query_one(AuthorFacets)
        if facets.highlighted is None and facets.option_count:
            facets.highlighted = 0
        self.set_focus(facets)

    def action_toggle_facets(self) -> None:
        self.facets_visible = not self.facets_visible
        if self.size.width >= NARROW_WIDTH:
            self.reader.update_settings(show_facets=self.facets_visible)

    def action_clear_filters(self) -> None:
        self.authors = ()
        self.years = None
        self.venues = ()
        self.notify("Filters cleared")

    def action_cycle_sort(self) -> None:
        self.sort = SORT_KEYS[(SORT_KEYS.index(self.sort) + 1) % len(SORT_KEYS)]
        self.notify(f"Sorted by {self.sort}")

    def action_filter_by_byline_author(self, index: int) -> None:
        paper = self.current_paper
        if paper is not None and 0 <= index < len(paper.authors):
            self.toggle_author(self.library.people.person(paper.authors[index]).key)

    def action_filter_by_author_of_paper(self) -> None:
        from tuireader.app.screens.pickers import AuthorPicker

        paper = self.current_paper
        if paper is None or not paper.authors:
            self.notify("This paper has no authors in the library", severity="warning")
            return
        people = self.library.people.people_of(paper)
        self.app.push_screen(AuthorPicker(people), self._filter_by_picked)

    def _filter_by_picked(self, person_key: str | None) -> None:
        if person_key:
            self.toggle_author(person_key)

    def action_related(self) -> None:
        from tuireader.app.screens.pickers import RelatedPapers

        paper = self.current_paper
        if self.engine is None:
            self.notify(
                "Related papers need the search index, which is still being built", severity="warning"
            )
        elif paper is not None:
            self.app.push_screen(RelatedPapers(paper, self.library, self.engine), self.go_to_paper)

    def action_open_paper(self) -> None:
        if self.current_paper is not None:
            opening.open_paper(self.reader, self.current_paper)

    def action_edit_entry(self) -> None:
        if self.current_paper is not None:
            editing.edit_in_editor(self.reader, self.current_paper)

    def action_export(self) -> None:
        papers = self._papers_to_cite() if self.query_one(PaperList).marked else self._listed_papers()
        marked = bool(self.query_one(PaperList).marked)
        what = f"{len(papers)} {'marked' if marked else 'listed'} paper{'s' if len(papers) != 1 else ''}"
        exporting.export_papers(self.reader, papers, what)

    def _listed_papers(self) -> list[Paper]:
        found = (self.library.get(paper_id) for paper_id in self.query_one(PaperList).ids)
        return [paper for paper in found if paper is not None]

    def action_reload(self) -> None:
        if self._follower is None:
            self.notify("The library is read again once the index is ready", severity="warning")
        else:
            self._follower.reload_now()
            self.notify("Reading the library files again…", timeout=2)

    def look_at_files(self) -> None:
        if self._follower is not None:
            self._follower.look_now()

    # --- going back -----------------------------------------------------------------------------

    def remember_place(self) -> None:
        """Keep where the reader is, for Back to return to."""
        self.history.push(
            Place(self.search_text, self.authors, self.years, self.sort, self._cursor_paper, self.venues)
        )

    def action_go_back(self) -> None:
        place = self.history.pop()
        if place is None:
            self.notify("Nowhere to go back to", timeout=2)
            return
        self.show_search(place.query, place.authors, place.years, place.venues, place.sort)
        paper_list = self.query_one(PaperList)
        if place.paper_id is not None and not (
            self.current_request() == self.shown_request and paper_list.select(place.paper_id)
        ):
            self._pending_paper = place.paper_id
        self.set_focus(paper_list)

    def show_search(
        self,
        query: str,
        authors: tuple[str, ...],
        years: tuple[int, int] | None,
        venues: tuple[str, ...],
        sort: str,
    ) -> None:
        """Search as a place or a saved search says; the focus goes to the list."""
        search_bar = self.query_one("#search", Input)
        search_bar.value = query
        search_bar.cursor_position = len(query)
        self.search_text, self.authors, self.years, self.venues = query, authors, years, venues
        if sort in SORT_KEYS:
            self.sort = sort
        self.set_focus(self.query_one(PaperList))

    def action_list_back(self) -> None:
        self.action_go_back()

    def action_cite(self) -> None:
        self.reader.open_citation_picker(self._papers_to_cite())

    def action_copy_again(self) -> None:
        self.reader.copy_citations(self._papers_to_cite())

    def _papers_to_cite(self) -> list[Paper]:
        paper_list = self.query_one(PaperList)
        if paper_list.marked:
            return [p for p in (self.library.get(i) for i in sorted(paper_list.marked)) if p is not None]
        return [self.current_paper] if self.current_paper else []

    def go_to_paper(self, paper_id: str | None) -> None:
        """Show a paper in the list, widening the search and filters if it is hidden by them."""
        if not paper_id:
            return
        self.remember_place()
        paper_list = self.query_one(PaperList)
        if paper_list.select(paper_id):
            self.set_focus(paper_list)
            return
        self._pending_paper = paper_id
        self.query_one("#search", Input).value = ""
        self.authors = ()
        self.years = None
        self.venues = ()

    def go_to_author(self, person_key: str) -> None:
        self.remember_place()
        self.authors = (person_key,)
        self.set_focus(self.query_one(PaperList))

    # --- the reader's own state (see annotating.py) ---------------------------------------------

    def state_shown(self) -> None:
        """Every pane shows the state as it now is (the list's rows are keyed by it)."""
        paper_list = self.query_one(PaperList)
        paper_list.refresh()
        self._show_abstract(paper_list.current_id)
        self._update_status()

    def _person_names(self) -> dict[str, str]:
        # Results shown while typing have no facets yet; the filtered authors' names are then
        # those of the last results counted (typing changes no filter).
        if self.results is not None and self.results.facets_counted:
            self._named_by = self.results
        named = self._named_by
        return {person.key: person.name for person, _ in named.author_facets} if named else {}

    def person_names(self) -> dict[str, str]:
        """Names of the people in the results' facets, by person key."""
        return self._person_names()

    def action_toggle_star(self) -> None:
        annotating.toggle_star(self)

    def action_cycle_status(self) -> None:
        annotating.cycle_status(self)

    def action_edit_tags(self) -> None:
        annotating.edit_tags(self)

    def action_edit_note(self) -> None:
        annotating.edit_note(self)

    def action_clear_marks(self) -> None:
        annotating.clear_marks(self)

    def action_save_search(self) -> None:
        annotating.save_search(self)

    def action_recall_search(self, slot: int) -> None:
        annotating.recall_search(self, slot)

    def action_forget_search(self, slot: int) -> None:
        annotating.forget_search(self, slot)
