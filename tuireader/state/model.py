"""Personal state as plain immutable data: what a reader said about a paper, and where they were."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

SLOTS = range(1, 10)  # saved searches are bound to the keys 1–9


class ReadStatus(StrEnum):
    UNREAD = "unread"
    TO_READ = "to-read"
    READ = "read"


@dataclass(frozen=True, slots=True)
class PaperState:
    """Everything kept for one paper. A paper nothing was ever said about has the defaults."""

    starred: bool = False
    status: ReadStatus = ReadStatus.UNREAD
    tags: frozenset[str] = frozenset()
    note: str = ""
    marked: bool = False

    def __bool__(self) -> bool:
        """False for the default state, which is never stored."""
        return self != DEFAULT_STATE


DEFAULT_STATE = PaperState()


@dataclass(frozen=True, slots=True)
class SavedSearch:
    """A search kept under a name: the query, author filter keys, a year range, the sort and the
    venue filter (venues as the venue facets name them)."""

    name: str
    query: str = ""
    authors: tuple[str, ...] = ()
    years: tuple[int, int] | None = None
    sort: str = "relevance"
    venues: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Session:
    """Where the reader was when it closed. The cursor paper is kept both by its id, quick to find
    in the same library, and by its identities (see `identities`), which outlive an edited one."""

    query: str = ""
    authors: tuple[str, ...] = ()
    years: tuple[int, int] | None = None
    sort: str = "relevance"
    cursor_id: str = ""
    cursor: tuple[str, ...] = ()
    venues: tuple[str, ...] = ()


class StateError(Exception):
    """Something about personal state the user should be told about in one line."""


class StateUnavailable(StateError):
    """The state database cannot be opened: a missing or read-only folder, a newer format."""


class StateNotSaved(StateError):
    """A change could not be written (a full disk, a lock held too long); nothing was changed."""


class BadBackup(StateError):
    """An import was given something that is not a state backup this version can read."""
