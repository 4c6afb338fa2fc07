"""Personal state in one SQLite database under the user data folder.

Why it is built this way:

* WAL mode, a busy timeout and `BEGIN IMMEDIATE` for every write: readers never wait for a writer,
  and two processes writing at once queue for the lock instead of one failing. (A deferred
  transaction that reads and then writes cannot wait: SQLite refuses its upgrade outright.)
* Every change is one short transaction, committed before the method returns, so a crash loses at
  most the change being made and an open reader holds no lock between calls.
* A database SQLite calls damaged (not a database, malformed, failing its quick check) is renamed
  aside with a timestamp, never deleted, and a fresh one started; `StateStore.notice` says so in
  one line. A folder that cannot be used raises StateUnavailable, a refused write StateNotSaved.
* Reading the state of a whole library is one query over the stored records, matched to papers in
  memory (see identity.py): the tables hold only papers something was said about, so this costs
  what the reader stored, not the library's size in queries.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from platformdirs import user_data_dir

from tuireader.corpus.library import Library
from tuireader.corpus.model import Paper
from tuireader.state import schema
from tuireader.state.backup import Backup, StoredPaper, backup_document, parse_backup
from tuireader.state.identity import REPLACED_PREFIXES, identities, resolve, title_year_prefix
from tuireader.state.model import (
    DEFAULT_STATE,
    SLOTS,
    PaperState,
    ReadStatus,
    SavedSearch,
    Session,
    StateNotSaved,
    StateUnavailable,
)

FILE_NAME = "state.sqlite3"
BUSY_SECONDS = 10.0
# SQLite's primary result codes for a file that is not (or no longer) a sound database.
_SQLITE_CORRUPT = 11
_SQLITE_NOTADB = 26

_RECORDS = """
SELECT r.id, r.starred, r.status, r.note, r.marked,
       (SELECT json_group_array(identity) FROM identities WHERE record = r.id),
       (SELECT json_group_array(tag) FROM tags WHERE record = r.id)
FROM records AS r
"""
_PRUNE = """
DELETE FROM records
WHERE starred = 0 AND status = 'unread' AND note = '' AND marked = 0
  AND NOT EXISTS (SELECT 1 FROM tags WHERE tags.record = records.id)
"""


def default_path() -> Path:
    return Path(user_data_dir("tuireader")) / FILE_NAME


def clean_tag(tag: str) -> str:
    """A tag as kept: surrounding space dropped, inner runs of space made one. ValueError if empty."""
    cleaned = " ".join(tag.split())
    if not cleaned:
        raise ValueError("a tag cannot be empty")
    return cleaned


@dataclass(frozen=True, slots=True)
class ImportSummary:
    papers_added: int
    papers_merged: int
    saved_searches: int
    session: bool

    def __str__(self) -> str:
        parts = [f"{self.papers_added} papers added", f"{self.papers_merged} merged"]
        parts.append(f"{self.saved_searches} saved searches")
        if self.session:
            parts.append("the last session")
        return "imported " + ", ".join(parts)


class _Records:
    """Stored records as read by one query, ready to be matched to papers."""

    def __init__(self, rows: Iterable[Sequence[Any]]) -> None:
        self.states: dict[int, PaperState] = {}
        self.keys: dict[int, tuple[str, ...]] = {}
        self.by_key: dict[str, list[int]] = {}
        for record, starred, status, note, marked, keys_json, tags_json in rows:
            keys = tuple(json.loads(keys_json))
            self.keys[record] = keys
            self.states[record] = PaperState(
                bool(starred), ReadStatus(status), frozenset(json.loads(tags_json)), note, bool(marked)
            )
            for key in keys:
                self.by_key.setdefault(key, []).append(record)

    def find(self, paper_keys: Sequence[str]) -> int | None:
        return resolve(paper_keys, self.by_key, self.keys)


class StateStore:
    """Stars, read status, tags, notes, marks, saved searches and the last session.

    Papers are named by `Paper` objects and found by their identities (identity.py); a paper with
    no stored state has `DEFAULT_STATE`. Safe to share between threads.
    """

    def __init__(self, connection: sqlite3.Connection, path: Path, notice: str | None = None) -> None:
        self._db = connection
        self.path = path
        self.notice = notice  # one line for the user when the database had to be started afresh
        self._lock = threading.RLock()

    # --- opening and closing -------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path | str | None = None) -> StateStore:
        """The store at `path`, or in the user data folder (created if need be).

        Raises StateUnavailable when the folder is missing (for a given path), cannot be created or
        written, or the database was made by a newer tuireader.
        """
        if path is None:
            target = default_path()
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise StateUnavailable(
                    f"cannot create the folder for personal state {target.parent}: {error.strerror or error}"
                ) from None
        else:
            target = Path(path)
            if not target.parent.is_dir():
                raise StateUnavailable(f"the folder for personal state {target.parent} does not exist")
        try:
            return cls(_connect(target), target)
        except _Damaged as damage:
            aside = _move_aside(target)
            reason = " ".join(str(damage).split())  # SQLite's checks report over several lines
            if len(reason) > 80:
                reason = reason[:79] + "…"
            notice = (
                f"The personal state database was damaged ({reason}); it was moved to {aside} "
                "and a new one started."
            )
            return cls(_connect(target), target, notice)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> StateStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # --- one paper -------------------------------------------------------------------------------

    def state_of(self, paper: Paper) -> PaperState:
        keys = identities(paper)
        if not keys:
            return DEFAULT_STATE
        records = self._query_records(keys)
        record = records.find(keys)
        return DEFAULT_STATE if record is None else records.states[record]

    def set_star(self, paper: Paper, starred: bool = True) -> PaperState:
        return self._change(paper, "UPDATE records SET starred = ? WHERE id = ?", (int(starred),))

    def set_status(self, paper: Paper, status: ReadStatus | str) -> PaperState:
        return self._change(paper, "UPDATE records SET status = ? WHERE id = ?", (str(ReadStatus(status)),))

    def set_note(self, paper: Paper, note: str) -> PaperState:
        """Kept exactly as given: a note is the reader's text, never interpreted."""
        if not isinstance(note, str):
            raise TypeError("a note is text")
        return self._change(paper, "UPDATE records SET note = ? WHERE id = ?", (note,))

    def add_tag(self, paper: Paper, tag: str) -> PaperState:
        statement = "INSERT OR IGNORE INTO tags (tag, record) VALUES (?, ?)"
        return self._change(paper, statement, (clean_tag(tag),))

    def remove_tag(self, paper: Paper, tag: str) -> PaperState:
        return self._change(paper, "DELETE FROM tags WHERE tag = ? AND record = ?", (clean_tag(tag),))

    def set_marked(self, paper: Paper, marked: bool = True) -> PaperState:
        return self._change(paper, "UPDATE records SET marked = ? WHERE id = ?", (int(marked),))

    # --- many papers -----------------------------------------------------------------------------

    def states_for(self, papers: Iterable[Paper]) -> dict[str, PaperState]:
        """paper.id → state for every paper with stored state (the others have DEFAULT_STATE).
        One query, whatever the number of papers."""
        records = self._query_records(None)
        if not records.states:
            return {}
        # Folding 100,000 titles costs more than everything else here, so a title identity is
        # made only for a paper nothing stronger found, from a year some stored title has.
        title_years = {key[: key.index(":", 6) + 1] for key in records.by_key if key.startswith("title:")}
        found: dict[str, PaperState] = {}
        for paper in papers:
            keys = identities(paper, with_title=False)
            record = records.find(keys)
            if record is None and title_year_prefix(paper.year) in title_years:
                record = records.find(identities(paper))
            if record is not None:
                found[paper.id] = records.states[record]
        return found

    def states_for_library(self, library: Library) -> dict[str, PaperState]:
        """As `states_for(library.papers)`, without rebuilding every paper of a library kept
        encoded (seconds at 60,000 papers): each record is looked for by its citation keys and
        arXiv ids, which name papers directly; only when some record is found no other way (its
        paper's key changed, say) are all the papers matched."""
        records = self._query_records(None)
        found: dict[str, PaperState] = {}
        for record, keys in records.keys.items():
            paper = next(
                (
                    candidate
                    for key in keys
                    if key.startswith(("key:", "arxiv:"))
                    and (candidate := library.get(key.split(":", 1)[1])) is not None
                    and records.find(identities(candidate)) == record
                ),
                None,
            )
            if paper is None:
                return self.states_for(library.papers)
            found[paper.id] = records.states[record]
        return found

    def mark_papers(self, papers: Iterable[Paper], marked: bool = True) -> int:
        """Mark (or unmark) many papers in one transaction; how many papers were given."""
        count = 0
        with self._writing() as db:
            for paper in papers:
                keys = _keys_for_writing(paper)
                record = _record_for_writing(db, keys)
                db.execute("UPDATE records SET marked = ? WHERE id = ?", (int(marked), record))
                count += 1
            db.execute(_PRUNE)
        return count

    def marked_papers(self, papers: Iterable[Paper]) -> list[Paper]:
        """The marked papers among `papers`, in their order."""
        papers = list(papers)
        states = self.states_for(papers)
        return [paper for paper in papers if paper.id in states and states[paper.id].marked]

    def mark_count(self) -> int:
        """Every mark kept, including those on papers not in the library open now."""
        rows = self._read("SELECT count(*) FROM records WHERE marked = 1", ())
        return int(rows[0][0])

    def clear_marks(self) -> int:
        """Unmark everything; how many marks there were."""
        with self._writing() as db:
            cleared = db.execute("UPDATE records SET marked = 0 WHERE marked = 1").rowcount
            db.execute(_PRUNE)
        return cleared

    # --- saved searches and the last session -----------------------------------------------------

    def save_search(self, slot: int, search: SavedSearch) -> None:
        """Keep `search` under key `slot` (1–9), replacing what was there."""
        if slot not in SLOTS:
            raise ValueError(f"a saved search slot is 1 to 9, not {slot}")
        with self._writing() as db:
            _write_search(db, slot, search)

    def saved_searches(self) -> dict[int, SavedSearch]:
        """slot → search, in slot order."""
        rows = self._read(
            "SELECT slot, name, query, authors, first_year, last_year, sort, venues"
            " FROM saved_searches ORDER BY slot",
            (),
        )
        return {
            slot: SavedSearch(
                name, query, tuple(json.loads(authors)), _years(first, last), sort, tuple(json.loads(venues))
            )
            for slot, name, query, authors, first, last, sort, venues in rows
        }

    def delete_search(self, slot: int) -> bool:
        with self._writing() as db:
            return db.execute("DELETE FROM saved_searches WHERE slot = ?", (slot,)).rowcount > 0

    def remember_session(self, session: Session) -> None:
        with self._writing() as db:
            _write_session(db, session)

    def last_session(self) -> Session | None:
        rows = self._read(
            "SELECT query, authors, first_year, last_year, sort, cursor_id, cursor, venues FROM session", ()
        )
        if not rows:
            return None
        query, authors, first, last, sort, cursor_id, cursor, venues = rows[0]
        return Session(
            query,
            tuple(json.loads(authors)),
            _years(first, last),
            sort,
            cursor_id,
            tuple(json.loads(cursor)),
            tuple(json.loads(venues)),
        )

    # --- backup ----------------------------------------------------------------------------------

    def export_json(self) -> dict[str, Any]:
        """Everything, as the versioned document backup.py describes."""
        with self._lock:
            # One read transaction, so the three parts are one moment's state.
            self._db.execute("BEGIN")
            try:
                records = self._query_records(None)
                searches = self.saved_searches()
                session = self.last_session()
            finally:
                self._db.execute("COMMIT")
        papers = tuple(StoredPaper(records.keys[record], state) for record, state in records.states.items())
        return backup_document(Backup(papers, searches, session))

    def import_json(self, data: Any, merge: bool = True) -> ImportSummary:
        """Restore a backup in one transaction. Merging keeps what is here: stars and marks are
        added, tags joined, and a status, note, saved search or session is taken from the backup
        only where none is set here, so importing twice changes nothing. `merge=False` replaces
        all state with the backup's. Raises BadBackup for anything but a valid backup."""
        backup = parse_backup(data)
        for stored in backup.papers:
            for tag in stored.state.tags:
                clean_tag(tag)
        added = merged = 0
        with self._writing() as db:
            if not merge:
                for table in ("records", "saved_searches", "session"):
                    db.execute(f"DELETE FROM {table}")
            for stored in backup.papers:
                records = _Records(db.execute(*_records_query(stored.identities)).fetchall())
                record = records.find(stored.identities)
                if record is None:
                    record = _new_record(db)
                    state = stored.state
                    added += 1
                else:
                    state = _merged(records.states[record], stored.state)
                    merged += 1
                _attach(db, record, stored.identities)
                _write_state(db, record, state)
            existing = {row[0] for row in db.execute("SELECT slot FROM saved_searches")}
            searches = backup.saved_searches or {}
            fresh = {slot: search for slot, search in searches.items() if slot not in existing}
            for slot, search in fresh.items():
                _write_search(db, slot, search)
            has_session = db.execute("SELECT 1 FROM session").fetchone() is not None
            take_session = backup.session is not None and not has_session
            if backup.session is not None and take_session:
                _write_session(db, backup.session)
            db.execute(_PRUNE)
        return ImportSummary(added, merged, len(fresh), take_session)

    # --- internals -------------------------------------------------------------------------------

    def _change(self, paper: Paper, statement: str, values: tuple[Any, ...]) -> PaperState:
        """Run one statement (its last parameter is the record's id) on the paper's record, made if
        need be; the paper's state afterwards."""
        keys = _keys_for_writing(paper)
        with self._writing() as db:
            record = _record_for_writing(db, keys)
            db.execute(statement, (*values, record))
            rows = db.execute(_RECORDS + " WHERE r.id = ?", (record,)).fetchall()
            db.execute(_PRUNE + " AND id = ?", (record,))
        return _Records(rows).states[record]

    def _query_records(self, keys: Sequence[str] | None) -> _Records:
        if keys is None:
            return _Records(self._read(_RECORDS + " ORDER BY r.id", ()))
        return _Records(self._read(*_records_query(keys)))

    def _read(self, statement: str, values: tuple[Any, ...]) -> list[Any]:
        with self._lock:
            try:
                return self._db.execute(statement, values).fetchall()
            except sqlite3.Error as error:
                raise StateUnavailable(f"personal state could not be read: {error}") from error

    @contextlib.contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as error:
                raise StateNotSaved(f"personal state was not saved: {error}") from error
            try:
                yield self._db
                self._db.execute("COMMIT")
            except BaseException as error:
                with contextlib.suppress(sqlite3.Error):
                    self._db.execute("ROLLBACK")
                if isinstance(error, sqlite3.Error):
                    raise StateNotSaved(f"personal state was not saved: {error}") from error
                raise


def _records_query(keys: Sequence[str]) -> tuple[str, tuple[str, ...]]:
    marks = ", ".join("?" * len(keys))
    where = f" WHERE r.id IN (SELECT record FROM identities WHERE identity IN ({marks})) ORDER BY r.id"
    return _RECORDS + where, tuple(keys)


def _keys_for_writing(paper: Paper) -> tuple[str, ...]:
    keys = identities(paper)
    if not keys:
        raise ValueError(f"paper {paper.id or '(no id)'} has no DOI, arXiv id, key or title to keep state by")
    return keys


def _record_for_writing(db: sqlite3.Connection, keys: Sequence[str]) -> int:
    """The paper's record, created if it has none, carrying the paper's identities."""
    records = _Records(db.execute(*_records_query(keys)).fetchall())
    record = records.find(keys)
    if record is None:
        record = _new_record(db)
    else:
        current = {prefix for prefix in REPLACED_PREFIXES if any(key.startswith(prefix) for key in keys)}
        stale = [
            (key, record)
            for key in records.keys[record]
            if key not in keys and any(key.startswith(prefix) for prefix in current)
        ]
        db.executemany("DELETE FROM identities WHERE identity = ? AND record = ?", stale)
    _attach(db, record, keys)
    return record


def _new_record(db: sqlite3.Connection) -> int:
    record = db.execute("INSERT INTO records DEFAULT VALUES").lastrowid
    assert record is not None
    return record


def _attach(db: sqlite3.Connection, record: int, keys: Iterable[str]) -> None:
    db.executemany(
        "INSERT OR IGNORE INTO identities (identity, record) VALUES (?, ?)", [(key, record) for key in keys]
    )


def _write_state(db: sqlite3.Connection, record: int, state: PaperState) -> None:
    db.execute(
        "UPDATE records SET starred = ?, status = ?, note = ?, marked = ? WHERE id = ?",
        (int(state.starred), str(state.status), state.note, int(state.marked), record),
    )
    db.execute("DELETE FROM tags WHERE record = ?", (record,))
    db.executemany(
        "INSERT OR IGNORE INTO tags (record, tag) VALUES (?, ?)", [(record, clean_tag(t)) for t in state.tags]
    )


def _merged(here: PaperState, backup: PaperState) -> PaperState:
    return replace(
        here,
        starred=here.starred or backup.starred,
        status=here.status if here.status is not ReadStatus.UNREAD else backup.status,
        tags=here.tags | backup.tags,
        note=here.note or backup.note,
        marked=here.marked or backup.marked,
    )


def _write_search(db: sqlite3.Connection, slot: int, search: SavedSearch) -> None:
    first, last = search.years or (None, None)
    db.execute(
        "INSERT OR REPLACE INTO saved_searches"
        " (slot, name, query, authors, first_year, last_year, sort, venues) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            slot,
            search.name,
            search.query,
            json.dumps(list(search.authors)),
            first,
            last,
            search.sort,
            json.dumps(list(search.venues)),
        ),
    )


def _write_session(db: sqlite3.Connection, session: Session) -> None:
    first, last = session.years or (None, None)
    db.execute(
        "INSERT OR REPLACE INTO session"
        " (only_row, query, authors, first_year, last_year, sort, cursor_id, cursor, venues)"
        " VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            session.query,
            json.dumps(list(session.authors)),
            first,
            last,
            session.sort,
            session.cursor_id,
            json.dumps(list(session.cursor)),
            json.dumps(list(session.venues)),
        ),
    )


def _years(first: int | None, last: int | None) -> tuple[int, int] | None:
    return None if first is None or last is None else (first, last)


# --- opening -------------------------------------------------------------------------------------


class _Damaged(Exception):
    """The file is there but is not a sound SQLite database."""


def _is_damage(error: sqlite3.Error) -> bool:
    code = getattr(error, "sqlite_errorcode", None)
    return code is not None and code & 0xFF in (_SQLITE_CORRUPT, _SQLITE_NOTADB)


def _connect(target: Path) -> sqlite3.Connection:
    """An open, checked, up-to-date database. Raises _Damaged or StateUnavailable."""
    try:
        db = sqlite3.connect(target, timeout=BUSY_SECONDS, isolation_level=None, check_same_thread=False)
    except sqlite3.Error as error:
        raise StateUnavailable(f"cannot open personal state at {target}: {error}") from None
    try:
        db.execute(f"PRAGMA busy_timeout = {int(BUSY_SECONDS * 1000)}")
        db.execute("PRAGMA foreign_keys = ON")
        # Checked before anything is written, so a damaged file is moved aside exactly as it was.
        problems = [row[0] for row in db.execute("PRAGMA quick_check(3)")]
        if problems != ["ok"]:
            raise _Damaged("; ".join(problems))
        _while_busy(lambda: db.execute("PRAGMA journal_mode = WAL"))
        db.execute("PRAGMA synchronous = NORMAL")  # in WAL mode: durable but for the last commits
        _while_busy(lambda: _upgrade(db))
    except sqlite3.Error as error:
        db.close()
        if _is_damage(error):
            raise _Damaged(str(error)) from None
        raise StateUnavailable(f"cannot use personal state at {target}: {error}") from None
    except BaseException:
        db.close()
        raise
    return db


def _while_busy(step: Callable[[], object]) -> None:
    """Run `step`, trying again while another process holds the database. Switching to WAL, which
    two processes creating the file at once both do, is refused at once rather than waited for."""
    deadline = time.monotonic() + BUSY_SECONDS
    while True:
        try:
            step()
            return
        except sqlite3.OperationalError as error:
            busy = "locked" in str(error) or "busy" in str(error)
            if not busy or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _upgrade(db: sqlite3.Connection) -> None:
    if schema.version_of(db) == schema.VERSION:
        return  # the common case takes no write lock
    db.execute("BEGIN IMMEDIATE")
    try:
        version = schema.version_of(db)  # another process may have upgraded it meanwhile
        if version > schema.VERSION:
            raise StateUnavailable(
                f"personal state is in format {version}, newer than this tuireader ({schema.VERSION});"
                " it is left untouched"
            )
        if version < schema.VERSION:
            schema.migrate(db, version)
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise


def _move_aside(target: Path) -> Path:
    """Rename a damaged database (with its journal files) to a name with the time; never delete."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    aside = target.with_name(f"{target.name}.damaged-{stamp}")
    count = 1
    while aside.exists():
        count += 1
        aside = target.with_name(f"{target.name}.damaged-{stamp}-{count}")
    try:
        target.rename(aside)
        for suffix in ("-wal", "-shm"):
            companion = target.with_name(target.name + suffix)
            if companion.exists():
                companion.rename(aside.with_name(aside.name + suffix))
    except OSError as error:
        raise StateUnavailable(
            f"personal state at {target} is damaged and could not be moved aside: {error.strerror or error}"
        ) from None
    return aside
