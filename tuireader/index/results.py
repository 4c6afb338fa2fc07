"""What a search returns: plain immutable data, offsets rather than markup."""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, field
from typing import overload

from tuireader.corpus.names import Person


@dataclass(frozen=True, slots=True)
class TextSpan:
    """Characters `start`..`end` of a text matched the query."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Fragment:
    """An excerpt of an abstract: `text` is `abstract[start:end]`; `spans` are offsets in `text`."""

    text: str
    start: int
    end: int
    spans: tuple[TextSpan, ...]


@dataclass(frozen=True, slots=True)
class Highlights:
    """Where the query matched the whole title and the whole abstract of one paper."""

    title: tuple[TextSpan, ...]
    abstract: tuple[TextSpan, ...]


@dataclass(frozen=True, slots=True)
class QueryTerms:
    """The index terms a query matched, per field: enough to highlight any paper later."""

    fields: dict[str, frozenset[str]] = field(default_factory=dict)

    def of(self, field_name: str) -> frozenset[str]:
        return self.fields.get(field_name, frozenset())

    def __bool__(self) -> bool:
        return any(self.fields.values())


@dataclass(frozen=True, slots=True)
class Hit:
    paper_id: str
    score: float
    title_spans: tuple[TextSpan, ...]
    fragments: tuple[Fragment, ...]  # of the abstract, best first; empty when it did not match
    matched_fields: tuple[str, ...]  # of title, abstract, author, venue, category, keyword, id, year


class RankedIds(Sequence[str]):
    """Every matching paper id in order, without building 100,000 strings up front: ids are
    looked up by position, and an order beyond the first page is only sorted when asked for."""

    def __init__(
        self,
        first: Sequence[int],
        matched: Collection[int],
        rest: Callable[[], Sequence[int]],
        keys: Sequence[str],
    ) -> None:
        self.matched = matched  # the document numbers, in no order (for counting facets later)
        self._order: Sequence[int] = first
        total = self._total = len(matched)
        self._rest: Callable[[], Sequence[int]] | None = rest if len(first) < total else None
        self.keys = self._keys = keys  # document number → paper id, of the index searched
        self._lock = threading.Lock()

    def _full(self) -> Sequence[int]:
        if self._rest is not None:
            with self._lock:
                if self._rest is not None:
                    self._order = self._rest()
                    self._rest = None
        return self._order

    def __len__(self) -> int:
        return self._total

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> list[str]: ...
    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            start, stop, step = index.indices(self._total)
            order = self._order if stop <= len(self._order) and step > 0 else self._full()
            return [self._keys[docnum] for docnum in order[start:stop:step]]
        if index < 0:
            index += self._total
        if not 0 <= index < self._total:
            raise IndexError(index)
        order = self._order if index < len(self._order) else self._full()
        return self._keys[order[index]]

    def __iter__(self) -> Iterator[str]:
        keys = self._keys
        return (keys[docnum] for docnum in self._full())

    def docnums(self) -> Sequence[int]:
        return self._full()


@dataclass(frozen=True)
class SearchResults:
    query: str
    total: int
    ids: Sequence[str]  # every match, in order; cheap to index into (see RankedIds)
    hits: list[Hit]  # the first `limit`, with highlights
    author_facets: list[tuple[Person, int]] = field(default_factory=list)
    year_facets: list[tuple[int, int]] = field(default_factory=list)
    venue_facets: list[tuple[str, int]] = field(default_factory=list)  # named as venues.py names them
    category_facets: list[tuple[str, int]] = field(default_factory=list)  # arXiv's
    keyword_facets: list[tuple[str, int]] = field(default_factory=list)
    collection_facets: list[tuple[str, int]] = field(default_factory=list)  # paths, parents too
    notice: str | None = None
    terms: QueryTerms = field(default_factory=QueryTerms)
    sort: str = "relevance"
    # When the query found little: common words close to its rare or unknown ones ("did you
    # mean"), best first.
    suggestions: tuple[str, ...] = ()
    # Texts read to check a phrase: the index answers most phrases without any (see evaluate.py).
    phrase_checks: int = 0
    # False for a search made without facets (their lists are then empty, not "none found"):
    # `SearchEngine.with_facets` counts them.
    facets_counted: bool = True


class SearchCancelled(Exception):
    """The caller no longer wants this search (a newer keystroke): it stopped part-way."""
