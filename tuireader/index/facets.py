"""Facet counts over a result set, and author filters, from the side file's per-document arrays.

Whoosh's `groupedby` facets took 270–470 ms at 100,000 papers. Here each document's people
(name variants merged by the library's `People`), year and venue are small integers in arrays
loaded at open. A small result is counted with `Counter`, which runs in C. A large one is made
a bitset (see bitsets.py) and ANDed with each year's and each prolific author's set: exact for
every year, and exact for the top authors as long as the last of them has more papers here than
any less prolific author has at all (otherwise `Counter` after all). Venues (named as
venues.py normalises them: a thousand or so for the whole ACL Anthology), arXiv categories and
keywords are counted with `Counter` either way.
"""

from __future__ import annotations

import heapq
import threading
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from itertools import chain, compress

from tuireader.corpus.names import Person, fold
from tuireader.index.bitsets import bitset, count_in
from tuireader.index.sidecar import SideData

FACET_LIMIT = 100  # authors, venues, categories and keywords listed per search (years: all)
_BITSETS_FROM = 8_000  # matched papers; below, counting them one by one is faster
_PROLIFIC_AUTHORS = 2_000  # authors with a bitset of their own (12.5 kB each at 100,000 papers)


class Facets:
    def __init__(self, side: SideData, live: Sequence[int]) -> None:
        self._side = side
        self._live = live
        self.person_of_spelling = side.person_of_spelling
        # Person objects and the key index are made when first asked for, not at open
        self._persons: list[Person] | None = None
        self._person_index: dict[str, int] | None = None
        self._doc_people: list[tuple[int, ...]] | None = None
        self._totals: dict[str, Counter[int]] = {}
        self._folded_names: dict[int, str] = {}
        self._sets: _Bitsets | None = None
        self._spellings_by_person: dict[int, list[int]] | None = None
        self._lock = threading.Lock()
        if side.person_totals and len(side.person_totals) == len(side.person_keys):
            # Saved with the side file: the first search (everyone) need not group every byline
            self._totals["author"] = Counter(
                {n: total for n, total in enumerate(side.person_totals) if total}
            )

    def _person(self, number: int) -> Person:
        """One person, without making all of them (a few dozen are listed per search)."""
        if self._persons is not None:
            return self._persons[number]
        return Person(self._side.person_keys[number], self._side.person_names[number])

    @property
    def persons(self) -> list[Person]:
        if self._persons is None:
            side = self._side
            self._persons = [Person(k, n) for k, n in zip(side.person_keys, side.person_names, strict=True)]
        return self._persons

    def everyone(self) -> list[tuple[str, Person, int]]:
        """Every person of the live documents with their paper count, most papers first, then by
        name, with the folded name for matching: from the per-document people, so that no byline
        is read again."""
        if "author" not in self._totals:
            self._totals["author"] = self._count("author", self._live)
        counted = self._totals["author"]
        folded = self._folded_name
        ranked = sorted(counted.items(), key=lambda item: (-item[1], folded(item[0])))
        persons = self.persons
        return [(folded(number), persons[number], count) for number, count in ranked]

    # Per-document people, built once (a tenth of a second at 100,000 papers: see `warm_up`)

    def warm_up(self) -> None:
        self._people_by_doc()
        self._bitsets()

    def _bitsets(self) -> _Bitsets:
        if self._sets is None:
            by_doc = self._people_by_doc()
            with self._lock:
                if self._sets is None:
                    self._sets = _Bitsets(self._side, self._live, by_doc, len(self._side.person_keys))
        return self._sets

    def _people_by_doc(self) -> list[tuple[int, ...]]:
        if self._doc_people is None:
            with self._lock:
                if self._doc_people is None:
                    person = self.person_of_spelling
                    flat = [person[spelling] for spelling in self._side.spelling_ids]
                    starts = self._side.spelling_starts
                    self._doc_people = [
                        tuple(dict.fromkeys(flat[starts[d] : starts[d + 1]])) for d in range(len(self._side))
                    ]
        return self._doc_people

    def _count(self, kind: str, docnums: Iterable[int]) -> Counter[int]:
        if kind == "author":
            return Counter(chain.from_iterable(map(self._people_by_doc().__getitem__, docnums)))
        values = self._side.years if kind == "year" else self._side.venue_of
        if docnums == range(len(values)):  # every document (nothing deleted): no lookups
            return Counter(values)
        return Counter(map(values.__getitem__, docnums))

    def counts(self, kind: str, matched: Collection[int]) -> Counter[int]:
        """Value → number of `matched` documents having it (`matched` must support `in`)."""
        if len(matched) * 2 <= len(self._live):
            return self._count(kind, matched)
        if kind not in self._totals:
            self._totals[kind] = self._count(kind, self._live)
        counts = self._totals[kind].copy()
        if len(matched) == len(self._live):  # all of them (only live documents are matched)
            return counts
        rest = [d for d in self._live if d not in matched]
        if not rest:
            return counts
        counts.subtract(self._count(kind, rest))
        return +counts  # drops the zeros

    def summary(
        self, matched: Collection[int], limit: int | None
    ) -> tuple[list[tuple[Person, int]], list[tuple[int, int]], list[tuple[str, int]]]:
        """Authors (the `limit` with most papers), years (newest first) and venues (most
        papers first, `limit` of them) of the `matched` documents."""
        authors: list[tuple[int, int]] | None = None
        if len(matched) >= _BITSETS_FROM and self._sets is not None:
            sets = self._sets
            members = bitset(matched, len(self._side))
            years = count_in(members, sets.years)
            if limit is not None:
                authors = sets.top_authors(members, limit)
        else:
            years = list(self.counts("year", matched).items())
        venues = list(self.counts("venue", matched).items())
        if authors is None:
            authors = _with_ties(self.counts("author", matched), limit)
        return self._authors(authors, limit), self._years(years), self._venues(venues, limit)

    def _authors(self, counted: list[tuple[int, int]], limit: int | None) -> list[tuple[Person, int]]:
        counted.sort(key=lambda item: (-item[1], self._folded_name(item[0])))
        return [(self._person(number), count) for number, count in counted[:limit]]

    def _folded_name(self, number: int) -> str:
        stored = self._side.person_folded  # written with the side file; empty in older ones
        if stored:
            return stored[number]
        folded = self._folded_names.get(number)
        if folded is None:
            folded = self._folded_names[number] = fold(self._side.person_names[number])
        return folded

    @staticmethod
    def _years(counted: list[tuple[int, int]]) -> list[tuple[int, int]]:
        return sorted(((year, n) for year, n in counted if year), reverse=True)

    def _venues(self, counted: list[tuple[int, int]], limit: int | None) -> list[tuple[str, int]]:
        names = self._side.venue_names
        named = Counter({number: n for number, n in counted if number})  # 0: no venue
        top = [(names[number], n) for number, n in _with_ties(named, limit)]
        top.sort(key=lambda item: (-item[1], item[0].casefold()))
        return top[:limit] if limit is not None else top

    def listed(self, kind: str, matched: Collection[int], limit: int | None) -> list[tuple[str, int]]:
        """The `limit` commonest arXiv categories (`kind` "category"), keywords ("keyword") or
        collections ("collection": a parent counts its children's papers) of the `matched`
        documents, most papers first, then by name."""
        lists = {
            "category": self._side.categories,
            "keyword": self._side.keywords,
            "collection": self._side.collections,
        }[kind]
        if not lists.names:
            return []
        ids, starts = lists.ids, lists.starts
        counts = Counter(chain.from_iterable(ids[starts[d] : starts[d + 1]] for d in matched))
        named = [(lists.names[number], n) for number, n in _with_ties(counts, limit)]
        named.sort(key=lambda item: (-item[1], item[0].casefold()))
        return named[:limit] if limit is not None else named

    def venue_documents(self, names: Collection[str]) -> set[int]:
        """Live documents whose venue facet is one of `names`."""
        wanted = {number for number, name in enumerate(self._side.venue_names) if number and name in names}
        venue_of = self._side.venue_of
        return {docnum for docnum in self._live if venue_of[docnum] in wanted}

    def person_keys(self, spellings: Iterable[int]) -> list[str]:
        """The people these spellings name, each once."""
        numbers = dict.fromkeys(self.person_of_spelling[s] for s in spellings)
        return [self.persons[number].key for number in numbers]

    def spellings_of(self, person_key: str) -> list[int]:
        """The spellings (side-file numbers) that name this person; empty if unknown."""
        if self._person_index is None:
            self._person_index = {key: number for number, key in enumerate(self._side.person_keys)}
        number = self._person_index.get(person_key)
        if number is None:
            return []
        if self._spellings_by_person is None:
            by_person: dict[int, list[int]] = {}
            for spelling, person in enumerate(self.person_of_spelling):
                by_person.setdefault(person, []).append(spelling)
            self._spellings_by_person = by_person
        return self._spellings_by_person.get(number, [])


def _with_ties(counts: Counter[int], limit: int | None) -> list[tuple[int, int]]:
    """The `limit` largest counts and any others equal to the smallest of them (so that ties can
    then be broken by name rather than by chance). Sorting bare counts and `compress` run in C."""
    if limit is None or len(counts) <= limit:
        return list(counts.items())
    floor = sorted(counts.values(), reverse=True)[limit - 1]
    return list(compress(counts.items(), map(floor.__le__, counts.values())))


class _Bitsets:
    """Each year's and the most prolific authors' documents, as bitsets."""

    def __init__(
        self, side: SideData, live: Sequence[int], by_doc: list[tuple[int, ...]], persons: int
    ) -> None:
        size = self.size = len(side)
        years: dict[int, list[int]] = {}
        people: list[list[int]] = [[] for _ in range(persons)]
        for docnum in live:
            years.setdefault(side.years[docnum], []).append(docnum)
            for number in by_doc[docnum]:
                people[number].append(docnum)
        self.years = [(year, bitset(docs, size)) for year, docs in years.items()]
        ranked = sorted(range(persons), key=lambda number: -len(people[number]))
        self.authors = [
            (number, len(people[number]), bitset(people[number], size))
            for number in ranked[:_PROLIFIC_AUTHORS]
        ]
        # The most papers anyone outside that set has: the bound that makes the top exact.
        self.others_most = len(people[ranked[_PROLIFIC_AUTHORS]]) if persons > _PROLIFIC_AUTHORS else 0

    def top_authors(self, members: int, limit: int) -> list[tuple[int, int]] | None:
        """The top `limit` authors of `members` (with ties), or None when they cannot be told
        from the prolific authors alone. Authors are visited from the most prolific down, and
        the visit stops once nobody left has as many papers in all as the current last of the
        top has here."""
        if len(self.authors) < limit:
            return None
        # Expected count of the `limit`-th author here: too close to what others could have,
        # and the visit would end undecided; count everyone straight away instead.
        expected = self.authors[limit - 1][1] * members.bit_count() / self.size
        if expected < 1.2 * self.others_most:
            return None
        best: list[int] = []  # min-heap of the `limit` highest counts so far
        counted: list[tuple[int, int]] = []
        for number, size, documents in self.authors:
            if len(best) == limit and size < best[0]:
                break
            count = (members & documents).bit_count()
            if not count:
                continue
            counted.append((number, count))
            if len(best) < limit:
                heapq.heappush(best, count)
            elif count > best[0]:
                heapq.heapreplace(best, count)
        else:
            if len(best) < limit or best[0] <= self.others_most:
                return None
        return [(number, count) for number, count in counted if count >= best[0]]
