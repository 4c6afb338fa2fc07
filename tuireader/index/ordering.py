"""Result orders: relevance, year (newest first), title, first author.

Only the first page is ordered when a search runs (`heapq` picks it in one pass); the whole order
is sorted when someone reads past it. Title and author orders rank every paper once, on first use.

Ties go by the library's order, not by document number: after a refresh in place the changed
papers sit at the end of the index, and a refreshed index must list them as a fresh one would.
Where the two orders agree (any index built whole), document numbers are used as they are.
"""

from __future__ import annotations

import heapq
import threading
from array import array
from collections.abc import Callable, Iterable, Sequence
from itertools import compress

from tuireader.corpus.library import Library
from tuireader.corpus.names import fold
from tuireader.index.sidecar import SideData

SORTS = ("relevance", "year", "title", "author")
Scores = dict[int, float]
_YEAR_SPAN = 1e7  # larger than any score: year decides, relevance breaks ties


class Orderings:
    def __init__(self, side: SideData, library: Library) -> None:
        self._side = side
        self._library = library
        self._ranks: dict[str, array[int]] = {}
        # Re-entered: a rank computed under it asks for the library positions, also under it.
        self._lock = threading.RLock()
        self._positions: array[int] | None = None
        self._positions_known = False

    def warm_up(self) -> None:
        self._library_positions()

    def _library_positions(self) -> array[int] | None:
        """Document number → the paper's place in the library; None when they are the same."""
        if not self._positions_known:
            with self._lock:
                if not self._positions_known:
                    self._positions = self._compute_positions()
                    self._positions_known = True
        return self._positions

    def _compute_positions(self) -> array[int] | None:
        keys = self._side.keys
        ids = self._library.paper_ids  # ids only: papers kept encoded stay so
        if len(keys) == len(ids) and all(k == i for k, i in zip(keys, ids, strict=True)):
            return None
        place = {paper_id: number for number, paper_id in enumerate(ids)}
        unknown = len(ids)  # deleted documents (never in a result) and papers gone
        return array("I", [place.get(key, unknown) if key else unknown for key in keys])

    def in_library_order(self, docnums: Iterable[int]) -> list[int]:
        positions = self._library_positions()
        return sorted(docnums) if positions is None else sorted(docnums, key=positions.__getitem__)

    def _rank(self, sort: str) -> array[int]:
        """Document number → position in the whole library's order for `sort`."""
        ranks = self._ranks.get(sort)
        if ranks is None:
            with self._lock:
                ranks = self._ranks.get(sort)
                if ranks is None:
                    ranks = self._ranks[sort] = self._compute_rank(sort)
        return ranks

    def _compute_rank(self, sort: str) -> array[int]:
        keys = self._side.keys
        papers = [self._library.get(key) if key else None for key in keys]
        if sort == "title":

            def sort_key(docnum: int) -> str:
                paper = papers[docnum]
                return fold(paper.display_title) if paper else ""
        else:

            def sort_key(docnum: int) -> str:
                paper = papers[docnum]
                if paper is None or not paper.authors:
                    return "\uffff"  # papers without authors last
                first = paper.authors[0]
                return fold(f"{first.literal or first.family} {first.given}")

        ranks = array("I", bytes(4 * len(keys)))
        in_order = self.in_library_order(range(len(keys)))
        for position, docnum in enumerate(sorted(in_order, key=sort_key)):
            ranks[docnum] = position
        return ranks

    def _key(self, scores: Scores, sort: str) -> tuple[Callable[[int], float], bool]:
        """A sort key over document numbers and whether it sorts descending."""
        if sort == "year":
            years = self._side.years
            get = scores.__getitem__
            # Unknown years (0) sort last; within a year, the more relevant first.
            return (lambda d: (years[d] or -1) * _YEAR_SPAN + get(d)), True
        if sort in ("title", "author"):
            return self._rank(sort).__getitem__, False
        return scores.__getitem__, True

    def first(self, scores: Scores, sort: str, count: int) -> list[int]:
        if count >= len(scores):
            return list(self.full(scores, sort))
        if sort == "relevance" and not _any_score(scores):
            return self.in_library_order(scores)[:count]  # only filters
        if sort == "relevance":
            return self._best(scores, count)
        key, descending = self._key(scores, sort)
        pick = heapq.nlargest if descending else heapq.nsmallest
        # Both keep the earlier of equal items, as a stable sort does: give them library order.
        # Title and author ranks are never equal, so their order needs no such help.
        candidates = scores if sort in ("title", "author") else self.in_library_order(scores)
        return pick(count, candidates, key=key)

    def full(self, scores: Scores, sort: str) -> Sequence[int]:
        if sort in ("title", "author"):
            return sorted(scores, key=self._rank(sort).__getitem__)
        in_order = self.in_library_order(scores)
        if sort == "relevance" and not _any_score(scores):
            return in_order
        key, descending = self._key(scores, sort)
        return sorted(in_order, key=key, reverse=descending)  # stable, reversed or not

    def _best(self, scores: Scores, count: int) -> list[int]:
        """The `count` best-scored documents, ties in library order.

        Sorting the bare scores runs in C; only the documents at or above the count-th score are
        then picked out and ordered, which beats `heapq.nlargest`'s Python loop several times
        over."""
        threshold = sorted(scores.values(), reverse=True)[count - 1] if count else float("inf")
        above = self.in_library_order(compress(scores, map(threshold.__le__, scores.values())))
        above.sort(key=scores.__getitem__, reverse=True)
        return above[:count]


def _any_score(scores: Scores) -> bool:
    return any(scores.values())
