"""Where the reader has been: the places to go back to, and why a related paper is related.

A place is the search state (query, author, year and venue filters, sort) and the highlighted
paper. Jumping elsewhere
(to a related paper, to an author, to a paper from the palette) pushes the place left; going back
pops it. Plain data: the main screen does the moving.
"""

from __future__ import annotations

from dataclasses import dataclass

from tuireader.corpus.model import Paper
from tuireader.corpus.names import People
from tuireader.index import Hit

MAX_PLACES = 100
MAX_SHARED_TERMS = 4


@dataclass(frozen=True, slots=True)
class Place:
    query: str
    authors: tuple[str, ...]
    years: tuple[int, int] | None
    sort: str
    paper_id: str | None
    venues: tuple[str, ...] = ()  # as the venue facets name them


class BackStack:
    """The places to go back to, newest last; the oldest are dropped past `limit`."""

    def __init__(self, limit: int = MAX_PLACES) -> None:
        self._places: list[Place] = []
        self._limit = limit

    def push(self, place: Place) -> None:
        if self._places and self._places[-1] == place:
            return  # the same place twice would make Back do nothing once
        self._places.append(place)
        del self._places[: -self._limit]

    def pop(self) -> Place | None:
        return self._places.pop() if self._places else None

    def __len__(self) -> int:
        return len(self._places)


def shared_terms(related: Paper, hit: Hit) -> list[str]:
    """The words that made the engine call `related` similar: its matched title and abstract words."""
    words: list[str] = []
    title = related.title or ""
    found = [title[span.start : span.end] for span in hit.title_spans]
    found += [fragment.text[span.start : span.end] for fragment in hit.fragments for span in fragment.spans]
    for word in found:
        folded = word.strip().casefold()
        if folded and folded not in words:
            words.append(folded)
    return words[:MAX_SHARED_TERMS]


def related_because(paper: Paper, related: Paper, hit: Hit, people: People) -> str:
    """`shared authors: Mu, Jesse · shared terms: agent, reward`, or "" when the engine said nothing."""
    own = {person.key for person in people.people_of(paper)}
    authors = [person.name for person in people.people_of(related) if person.key in own]
    parts = []
    if authors:
        parts.append(f"shared author{'s' if len(authors) > 1 else ''}: {'; '.join(authors[:3])}")
    terms = shared_terms(related, hit)
    if terms:
        parts.append(f"shared terms: {', '.join(terms)}")
    return " · ".join(parts)
