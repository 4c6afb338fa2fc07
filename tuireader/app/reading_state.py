"""The reader's personal state while it runs: every paper's state in memory, and one writer thread.

A change shows at once: the state in memory is changed on the UI thread and its write is queued.
Writes run in order on a single thread of their own. Each takes milliseconds, but another
tuireader holding the database's lock can make one wait for seconds, which the event loop must
not; and one worker per write could store two changes to the same paper in the wrong order. A
write that fails posts `StateWriteFailed` (with the paper's state read back from the store), so
the screen can tell the user and show what is really kept.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

from textual.message import Message

from tuireader.corpus.library import Library
from tuireader.corpus.model import Paper
from tuireader.state import (
    DEFAULT_STATE,
    SLOTS,
    PaperState,
    ReadStatus,
    SavedSearch,
    Session,
    StateError,
    StateStore,
    clean_tag,
    find_paper,
    identities,
)
from tuireader.state.identity import contradicts

log = logging.getLogger(__name__)

NEXT_STATUS = {
    ReadStatus.UNREAD: ReadStatus.TO_READ,
    ReadStatus.TO_READ: ReadStatus.READ,
    ReadStatus.READ: ReadStatus.UNREAD,
}


class StateWriteFailed(Message):
    """A change was not kept. `state` is what the store holds for the paper (None: unknown)."""

    def __init__(self, paper_id: str | None, state: PaperState | None, reason: str) -> None:
        super().__init__()
        self.paper_id = paper_id
        self.state = state
        self.reason = reason


@dataclass(frozen=True, slots=True)
class StartingState:
    """What the reader needs from the store to start: read in the load worker, never on the loop."""

    store: StateStore
    states: dict[str, PaperState]
    saved: dict[int, SavedSearch]
    session: Session | None
    session_paper: str | None  # the paper the last session's cursor was on, in this library

    @classmethod
    def read(cls, library: Library) -> StartingState:
        """Open the store and read it for `library`. Raises StateError; closes the store if so."""
        store = StateStore.open()
        try:
            states = store.states_for_library(library)
            session = store.last_session()
            paper = _session_paper(library, session) if session is not None else None
            return cls(store, states, store.saved_searches(), session, paper.id if paper else None)
        except BaseException:
            store.close()
            raise


# Larger libraries are not scanned for the last session's paper before the first paint: a scan
# rebuilds every paper of a library kept encoded (seconds at 60,000 papers), and the last session
# was often in another library, where the paper is not to be found at all.
SESSION_SCAN_AT_MOST = 5_000


def _session_paper(library: Library, session: Session) -> Paper | None:
    """The paper the last session's cursor was on: by id, then by citation key or arXiv id (both
    looked up directly), and by scanning the papers only in a small library."""
    wanted = set(session.cursor)
    candidates = [session.cursor_id] if session.cursor_id else []
    candidates += [key.split(":", 1)[1] for key in session.cursor if key.startswith(("key:", "arxiv:"))]
    for candidate in candidates:
        paper = library.get(candidate)
        if paper is None:
            continue
        own = identities(paper)
        if not wanted or (set(own) & wanted and not contradicts(own, session.cursor)):
            return paper
    if not (session.cursor_id or wanted) or len(library.papers) > SESSION_SCAN_AT_MOST:
        return None
    return find_paper(library.papers, session.cursor_id, session.cursor)


class ReadingState:
    """Stars, read status, tags, notes and marks of the papers on show, kept in the store."""

    def __init__(self, start: StartingState, report: Callable[[Message], bool]) -> None:
        self.store = start.store
        self.saved = dict(start.saved)
        self._states = dict(start.states)
        self._report = report
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="state-writer")
        self._closed = False

    # --- reading ---------------------------------------------------------------------------------

    def state_of(self, paper_id: str) -> PaperState:
        return self._states.get(paper_id, DEFAULT_STATE)

    def snapshot(self) -> dict[str, PaperState]:
        """A copy for a worker to filter with, while the UI thread goes on changing the original."""
        return dict(self._states)

    def marked_ids(self) -> set[str]:
        return {paper_id for paper_id, state in self._states.items() if state.marked}

    def restore(self, paper_id: str, state: PaperState | None) -> None:
        """After a failed write: what the store really holds."""
        if state is not None:
            self._states[paper_id] = state

    # --- changing one paper ----------------------------------------------------------------------

    def toggle_star(self, paper: Paper) -> PaperState:
        starred = not self.state_of(paper.id).starred
        return self._change(paper, starred=starred, write=lambda store: store.set_star(paper, starred))

    def cycle_status(self, paper: Paper) -> PaperState:
        status = NEXT_STATUS[self.state_of(paper.id).status]
        return self._change(paper, status=status, write=lambda store: store.set_status(paper, status))

    def add_tag(self, paper: Paper, tag: str) -> PaperState:
        """Raises ValueError for an empty tag."""
        tag = clean_tag(tag)
        tags = self.state_of(paper.id).tags | {tag}
        return self._change(paper, tags=tags, write=lambda store: store.add_tag(paper, tag))

    def remove_tag(self, paper: Paper, tag: str) -> PaperState:
        """Raises ValueError for an empty tag."""
        tag = clean_tag(tag)
        tags = self.state_of(paper.id).tags - {tag}
        return self._change(paper, tags=tags, write=lambda store: store.remove_tag(paper, tag))

    def set_note(self, paper: Paper, note: str) -> PaperState:
        return self._change(paper, note=note, write=lambda store: store.set_note(paper, note))

    def set_marked(self, paper: Paper, marked: bool) -> PaperState:
        return self._change(paper, marked=marked, write=lambda store: store.set_marked(paper, marked))

    def _change(self, paper: Paper, write: Callable[[StateStore], object], **changes: object) -> PaperState:
        state = replace(self.state_of(paper.id), **changes)  # type: ignore[arg-type]
        self._states[paper.id] = state
        self._queue(paper, write)
        return state

    # --- many papers, searches, the session ------------------------------------------------------

    def clear_marks(self) -> int:
        """Unmark every paper, including those of other libraries; how many were marked here."""
        marked = self.marked_ids()
        for paper_id in marked:
            self._states[paper_id] = replace(self._states[paper_id], marked=False)
        self._queue(None, lambda store: store.clear_marks())
        return len(marked)

    def first_free_slot(self) -> int | None:
        return next((slot for slot in SLOTS if slot not in self.saved), None)

    def save_search(self, slot: int, search: SavedSearch) -> None:
        self.saved[slot] = search
        self._queue(None, lambda store: store.save_search(slot, search))

    def forget_search(self, slot: int) -> bool:
        if self.saved.pop(slot, None) is None:
            return False
        self._queue(None, lambda store: store.delete_search(slot))
        return True

    def remember_session(self, session: Session) -> None:
        self._queue(None, lambda store: store.remember_session(session))

    def close(self) -> None:
        """Finish the queued writes, then close the store."""
        if self._closed:
            return
        self._closed = True
        self._writer.shutdown(wait=True)
        self.store.close()

    def _queue(self, paper: Paper | None, write: Callable[[StateStore], object]) -> None:
        if self._closed:
            log.warning("a change to personal state came after the reader closed it")
            return
        self._writer.submit(self._write, paper, write)

    def _write(self, paper: Paper | None, write: Callable[[StateStore], object]) -> None:
        try:
            write(self.store)
        except (StateError, ValueError) as error:
            log.warning("personal state was not saved: %s", error)
            kept: PaperState | None = None
            if paper is not None:
                try:
                    kept = self.store.state_of(paper)
                except StateError:
                    log.exception("personal state could not be read back")
            if not self._report(StateWriteFailed(paper.id if paper else None, kept, str(error))):
                log.warning("nobody was left to tell that a change was not saved")


def session_of(
    query: str,
    authors: Iterable[str],
    years: tuple[int, int] | None,
    sort: str,
    paper: Paper | None,
    venues: Iterable[str] = (),
) -> Session:
    return Session(
        query,
        tuple(authors),
        years,
        sort,
        paper.id if paper else "",
        identities(paper) if paper else (),
        tuple(venues),
    )


def describe_search(search: SavedSearch, people: Mapping[str, str]) -> str:
    """`jailbreak · author: Mu, Jesse · years: 2020–2023 · by year` for the palette and notices."""
    parts = [search.query.strip() or "all papers"]
    parts += [f"author: {people.get(key, key.split('|')[0])}" for key in search.authors]
    if search.years:
        first, last = search.years
        parts.append(f"year: {first}" if first == last else f"years: {first}–{last}")
    parts += [f"venue: {venue}" for venue in search.venues]
    if search.sort != "relevance":
        parts.append(f"by {search.sort}")
    return " · ".join(parts)
