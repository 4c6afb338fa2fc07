"""Filtering papers by their personal state: pure functions over a `states_for` mapping.

The search box's state terms (`is:starred`, `is:unread`, `is:to-read`, `is:read`, `is:marked`,
`tag:x`, `tag:"two words"`, `note:word`) are split off a query by `split_state_terms`; the rest of
the query goes to the search engine, and `StateFilter.matches` keeps the papers whose state fits.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from tuireader.corpus.model import Paper
from tuireader.corpus.names import fold
from tuireader.state.model import DEFAULT_STATE, PaperState, ReadStatus

_STATUS_WORDS = {
    "unread": ReadStatus.UNREAD,
    "to-read": ReadStatus.TO_READ,
    "toread": ReadStatus.TO_READ,
    "read": ReadStatus.READ,
}
_TERM = re.compile(r'(?<!\S)(is|tag|note):(?:"([^"]*)"|(\S+))', re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class StateFilter:
    """What a paper's state must be; an empty filter keeps everything. Tags and note words all
    have to match: tags whole and without regard to case, note words as the start of a word of
    the note, accents and case folded."""

    starred: bool | None = None
    status: ReadStatus | None = None
    marked: bool | None = None
    tags: tuple[str, ...] = ()
    note_words: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return self != StateFilter()

    def matches(self, state: PaperState) -> bool:
        if self.starred is not None and state.starred != self.starred:
            return False
        if self.status is not None and state.status is not self.status:
            return False
        if self.marked is not None and state.marked != self.marked:
            return False
        if self.tags:
            own = {tag.casefold() for tag in state.tags}
            if not all(tag.casefold() in own for tag in self.tags):
                return False
        if self.note_words:
            words = fold(state.note).split()
            for wanted in self.note_words:
                folded = fold(wanted)
                if folded and not any(word.startswith(folded) for word in words):
                    return False
        return True

    def describe(self) -> str:
        """`starred, to-read, tag: x` — for a status line."""
        parts: list[str] = []
        if self.starred is not None:
            parts.append("starred" if self.starred else "not starred")
        if self.status is not None:
            parts.append(str(self.status))
        if self.marked is not None:
            parts.append("marked" if self.marked else "not marked")
        parts.extend(f"tag: {tag}" for tag in self.tags)
        parts.extend(f"note: {word}" for word in self.note_words)
        return ", ".join(parts)


def split_state_terms(query: str) -> tuple[str, StateFilter]:
    """The query without its state terms, and the filter they ask for. An `is:` word this does not
    know stays in the query, for the search engine to judge."""
    starred: bool | None = None
    marked: bool | None = None
    status: ReadStatus | None = None
    tags: list[str] = []
    note_words: list[str] = []

    def take(match: re.Match[str]) -> str:
        nonlocal starred, marked, status
        field = match.group(1).lower()
        value = match.group(2) if match.group(2) is not None else match.group(3)
        if field == "tag" and value.strip():
            tags.append(" ".join(value.split()))
        elif field == "note" and value.strip():
            note_words.extend(value.split())
        elif field == "is" and value.lower() in ("starred", "star"):
            starred = True
        elif field == "is" and value.lower() == "marked":
            marked = True
        elif field == "is" and value.lower() in _STATUS_WORDS:
            status = _STATUS_WORDS[value.lower()]
        else:
            return match.group(0)
        return ""

    rest = " ".join(_TERM.sub(take, query).split())
    return rest, StateFilter(starred, status, marked, tuple(tags), tuple(note_words))


def papers_matching(
    papers: Iterable[Paper], states: Mapping[str, PaperState], state_filter: StateFilter
) -> list[Paper]:
    """The papers whose state (from `StateStore.states_for`) the filter keeps, in their order."""
    return [paper for paper in papers if state_filter.matches(states.get(paper.id, DEFAULT_STATE))]


def ids_matching(
    paper_ids: Iterable[str], states: Mapping[str, PaperState], state_filter: StateFilter
) -> list[str]:
    """As `papers_matching`, for paper ids (a search result's)."""
    return [paper_id for paper_id in paper_ids if state_filter.matches(states.get(paper_id, DEFAULT_STATE))]


def tag_counts(states: Mapping[str, PaperState]) -> Counter[str]:
    """How many papers carry each tag: the tag facet."""
    return Counter(tag for state in states.values() for tag in state.tags)


def status_counts(paper_ids: Iterable[str], states: Mapping[str, PaperState]) -> Counter[ReadStatus]:
    """How many of the papers are unread, to read and read (a paper with no state is unread)."""
    return Counter(states.get(paper_id, DEFAULT_STATE).status for paper_id in paper_ids)
