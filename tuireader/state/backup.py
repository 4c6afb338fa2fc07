"""The backup format: personal state as versioned JSON, and reading it back with every field checked.

    {"format": "tuireader-state", "version": 1,
     "papers": [{"identities": ["doi:…", "key:…"], "starred": true, "status": "to-read",
                 "tags": ["…"], "note": "…", "marked": false}, …],
     "saved_searches": [{"slot": 1, "name": "…", "query": "…", "authors": ["…"],
                         "years": [2019, 2023] or null, "sort": "relevance", "venues": ["…"]}, …],
     "session": {"query": "…", "authors": […], "years": …, "sort": "…", "venues": […],
                 "cursor_id": "…", "cursor": ["…"]} or null}

`venues` came later: a backup without it reads as no venue filter.

Papers are listed by their identities, never by a library's ids, so a backup restores onto any
export of the same library. Everything is sorted, so one state always gives the same document.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tuireader.state.identity import is_identity
from tuireader.state.model import SLOTS, BadBackup, PaperState, ReadStatus, SavedSearch, Session

FORMAT = "tuireader-state"
FORMAT_VERSION = 1


@dataclass(frozen=True, slots=True)
class StoredPaper:
    """One paper's state with the identities it is kept under."""

    identities: tuple[str, ...]
    state: PaperState


@dataclass(frozen=True, slots=True)
class Backup:
    papers: tuple[StoredPaper, ...] = ()
    saved_searches: Mapping[int, SavedSearch] | None = None
    session: Session | None = None


def backup_document(backup: Backup) -> dict[str, Any]:
    papers = sorted(backup.papers, key=lambda stored: stored.identities)
    searches = backup.saved_searches or {}
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "papers": [_paper_document(stored) for stored in papers],
        "saved_searches": [_search_document(slot, searches[slot]) for slot in sorted(searches)],
        "session": _session_document(backup.session) if backup.session else None,
    }


def _paper_document(stored: StoredPaper) -> dict[str, Any]:
    state = stored.state
    return {
        "identities": sorted(stored.identities),
        "starred": state.starred,
        "status": str(state.status),
        "tags": sorted(state.tags),
        "note": state.note,
        "marked": state.marked,
    }


def _search_document(slot: int, search: SavedSearch) -> dict[str, Any]:
    return {
        "slot": slot,
        "name": search.name,
        "query": search.query,
        "authors": list(search.authors),
        "years": list(search.years) if search.years else None,
        "sort": search.sort,
        "venues": list(search.venues),
    }


def _session_document(session: Session) -> dict[str, Any]:
    return {
        "query": session.query,
        "authors": list(session.authors),
        "years": list(session.years) if session.years else None,
        "sort": session.sort,
        "cursor_id": session.cursor_id,
        "cursor": list(session.cursor),
        "venues": list(session.venues),
    }


def parse_backup(data: Any) -> Backup:
    """A checked Backup; BadBackup naming the first thing that is wrong otherwise."""
    if not isinstance(data, Mapping) or data.get("format") != FORMAT:
        raise BadBackup("this is not a tuireader state backup")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise BadBackup("the backup has no valid format version")
    if version > FORMAT_VERSION:
        raise BadBackup(f"the backup is format {version}, newer than this tuireader reads ({FORMAT_VERSION})")
    papers = tuple(
        _paper(entry, f"papers[{index}]") for index, entry in enumerate(_list(data, "papers", "backup"))
    )
    searches: dict[int, SavedSearch] = {}
    for index, entry in enumerate(_list(data, "saved_searches", "backup")):
        slot, search = _search(entry, f"saved_searches[{index}]")
        if slot in searches:
            raise BadBackup(f"saved_searches[{index}]: slot {slot} appears twice")
        searches[slot] = search
    session = data.get("session")
    return Backup(papers, searches, _session(session) if session is not None else None)


def _object(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise BadBackup(f"{where}: expected an object")
    return value


def _list(entry: Mapping[str, Any], name: str, where: str) -> Sequence[Any]:
    value = entry.get(name, [])
    if not isinstance(value, list):
        raise BadBackup(f"{where}.{name}: expected a list")
    return value


def _text(entry: Mapping[str, Any], name: str, where: str, default: str = "") -> str:
    value = entry.get(name, default)
    if not isinstance(value, str):
        raise BadBackup(f"{where}.{name}: expected text")
    return value


def _flag(entry: Mapping[str, Any], name: str, where: str) -> bool:
    value = entry.get(name, False)
    if not isinstance(value, bool):
        raise BadBackup(f"{where}.{name}: expected true or false")
    return value


def _texts(entry: Mapping[str, Any], name: str, where: str) -> tuple[str, ...]:
    values = _list(entry, name, where)
    if not all(isinstance(value, str) for value in values):
        raise BadBackup(f"{where}.{name}: expected a list of text")
    return tuple(values)


def _years(entry: Mapping[str, Any], where: str) -> tuple[int, int] | None:
    value = entry.get("years")
    if value is None:
        return None
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(isinstance(year, int) and not isinstance(year, bool) for year in value)
    ):
        raise BadBackup(f"{where}.years: expected null or [first, last]")
    return (value[0], value[1])


def _paper(value: Any, where: str) -> StoredPaper:
    entry = _object(value, where)
    keys = _texts(entry, "identities", where)
    if not keys or not all(is_identity(key) for key in keys):
        raise BadBackup(f"{where}.identities: expected doi:, arxiv:, key: or title: identities")
    try:
        status = ReadStatus(_text(entry, "status", where, ReadStatus.UNREAD))
    except ValueError:
        raise BadBackup(f"{where}.status: expected one of {', '.join(ReadStatus)}") from None
    state = PaperState(
        starred=_flag(entry, "starred", where),
        status=status,
        tags=frozenset(_texts(entry, "tags", where)),
        note=_text(entry, "note", where),
        marked=_flag(entry, "marked", where),
    )
    return StoredPaper(keys, state)


def _search(value: Any, where: str) -> tuple[int, SavedSearch]:
    entry = _object(value, where)
    slot = entry.get("slot")
    if not isinstance(slot, int) or isinstance(slot, bool) or slot not in SLOTS:
        raise BadBackup(f"{where}.slot: expected a number from 1 to 9")
    search = SavedSearch(
        name=_text(entry, "name", where),
        query=_text(entry, "query", where),
        authors=_texts(entry, "authors", where),
        years=_years(entry, where),
        sort=_text(entry, "sort", where, "relevance"),
        venues=_texts(entry, "venues", where),  # absent from older backups
    )
    return slot, search


def _session(value: Any) -> Session:
    entry = _object(value, "session")
    return Session(
        query=_text(entry, "query", "session"),
        authors=_texts(entry, "authors", "session"),
        years=_years(entry, "session"),
        sort=_text(entry, "sort", "session", "relevance"),
        cursor_id=_text(entry, "cursor_id", "session"),
        cursor=_texts(entry, "cursor", "session"),
        venues=_texts(entry, "venues", "session"),
    )
