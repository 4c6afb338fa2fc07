"""The library as results, without the index: what the reader lists while the index is built.

Filters by author, year and venue and the orders other than relevance need only the papers, so the list,
the abstracts and the facets work from the first paint; words wait for the index.

The whole library in its own order (what a start with no filters lists) is counted once and its
facets kept in the cache folder, beside the index: counting rebuilds every paper of a library kept
encoded (seconds at 60,000 papers), and an index that is not current (after an upgrade, say)
would otherwise make every such start pay it before the first paint. The kept counts are used
while the library's files and paper ids are as they were when they were counted.
"""

from __future__ import annotations

import contextlib
import heapq
import marshal
import zlib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import replace
from operator import itemgetter
from pathlib import Path
from typing import Any

import tuireader
from tuireader.atomic import write_atomically
from tuireader.corpus.library import Library
from tuireader.corpus.model import Paper
from tuireader.corpus.names import People, Person, fold
from tuireader.index.documents import collections_with_parents
from tuireader.index.facets import FACET_LIMIT
from tuireader.index.location import index_root, library_key
from tuireader.index.results import SearchResults
from tuireader.index.schema import INDEX_FORMAT
from tuireader.index.venues import venue_facet

_KEPT_FORMAT = 1
_FACET_KINDS = ("year_facets", "venue_facets", "category_facets", "keyword_facets", "collection_facets")


def _sort_key(sort: str) -> tuple[Callable[[Paper], int | str], bool] | None:
    if sort == "year":
        return (lambda paper: paper.year or -1), True
    if sort == "title":
        return (lambda paper: fold(paper.display_title)), False
    if sort == "author":

        def first_author(paper: Paper) -> str:
            if not paper.authors:
                return "\uffff"  # papers without authors last
            first = paper.authors[0]
            return fold(f"{first.literal or first.family} {first.given}")

        return first_author, False
    return None  # relevance, with no words to rank by: the library's order


def browse(
    library: Library,
    *,
    authors: tuple[str, ...] = (),
    years: tuple[int, int] | None = None,
    venues: tuple[str, ...] = (),
    sort: str = "relevance",
    notice: str | None = None,
) -> SearchResults:
    """Every paper of `library` by the given authors (person keys), in the given years and at
    any of the given venues (as the venue facets name them), in `sort` order."""
    whole = not authors and years is None and not venues and sort == "relevance"
    if whole:
        kept = _kept_counts(library)
        if kept is not None:
            return replace(kept, notice=notice)
    people = library.people
    order = _sort_key(sort)
    counts = _Counts(people)
    chosen: list[tuple[int | str, str]] = []  # each paper's sort key (0 in the library's order) and id
    # One pass, each paper let go once counted: a library kept encoded would otherwise be rebuilt
    # and held whole by the reader (hundreds of MiB at 60,000 papers) while its index is built.
    for paper in library.papers_passing(0, len(library.papers), records=False):
        if years is not None and not (paper.year and years[0] <= paper.year <= years[1]):
            continue
        if venues and venue_facet(paper) not in venues:
            continue
        if authors:
            keys = {person.key for person in people.people_of(paper)}
            if not all(key in keys for key in authors):
                continue
        counts.add(paper)
        chosen.append((order[0](paper) if order else 0, paper.id))
    if order is not None:
        chosen.sort(key=itemgetter(0), reverse=order[1])  # stable, as a sort of the papers was
    results = SearchResults(
        query="",
        total=len(chosen),
        ids=[paper_id for _, paper_id in chosen],
        hits=[],
        notice=notice,
        sort=sort,
    )
    results = counts.counted(results)
    if whole:
        _keep_counts(library, results)
    return results


def _kept_path(library: Library) -> Path | None:
    """Where the whole library's counts are kept; None for a library not read from files."""
    if not library.files_read:
        return None
    return index_root() / f"{library_key(library)}.browse"


def _stamp(library: Library) -> list[object]:
    """What the kept counts depend on: the files (size, time), the paper ids, this code."""
    files = []
    for shown in sorted(library.files_read):
        status = Path(shown).stat()  # OSError: the caller counts the slow way
        files.append([shown, status.st_size, status.st_mtime_ns])
    ids = zlib.crc32("\n".join(library.paper_ids).encode("utf-8", "surrogatepass"))
    return [_KEPT_FORMAT, INDEX_FORMAT, tuireader.__version__, files, len(library.papers), ids]


def _kept_counts(library: Library) -> SearchResults | None:
    """The whole library's results from the kept counts, without rebuilding any paper."""
    try:
        path = _kept_path(library)
        if path is None:
            return None
        kept: dict[str, Any] = marshal.loads(path.read_bytes())
        if kept.get("stamp") != _stamp(library):
            return None
        results = SearchResults(
            query="",
            total=len(library.papers),
            ids=list(library.paper_ids),
            hits=[],
            sort="relevance",
            author_facets=[(Person(key, name), count) for key, name, count in kept["authors"]],
        )
        for kind in _FACET_KINDS:
            getattr(results, kind).extend(tuple(row) for row in kept[kind])
        return results
    except Exception:  # missing, damaged or another version's: counted the slow way
        return None


def _keep_counts(library: Library, results: SearchResults) -> None:
    with contextlib.suppress(Exception):  # only costs counting again next time
        path = _kept_path(library)
        if path is None:
            return
        kept = {
            "stamp": _stamp(library),
            "authors": [(person.key, person.name, count) for person, count in results.author_facets],
            **{kind: [tuple(row) for row in getattr(results, kind)] for kind in _FACET_KINDS},
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, marshal.dumps(kept))


def counted(results: SearchResults, library: Library, papers: Iterable[Paper]) -> SearchResults:
    """`results` with every facet counted over `papers` (the results, or the part of them kept)."""
    counts = _Counts(library.people)
    for paper in papers:
        counts.add(paper)
    return counts.counted(results)


class _Counts:
    """Facet counts made a paper at a time, so that a paper rebuilt to be counted can be let go."""

    def __init__(self, people: People) -> None:
        self.people = people
        self.years: Counter[int] = Counter()
        self.venues: Counter[str] = Counter()
        self.authors: Counter[Person] = Counter()
        self.categories = _Listed()
        self.keywords = _Listed()
        self.collections = _Listed()

    def add(self, paper: Paper) -> None:
        if paper.year:
            self.years[paper.year] += 1
        venue = venue_facet(paper)
        if venue:
            self.venues[venue] += 1
        self.authors.update(self.people.people_of(paper))
        self.categories.add(paper.categories)
        self.keywords.add(paper.keywords)
        self.collections.add(collections_with_parents(paper.collections))

    def counted(self, results: SearchResults) -> SearchResults:
        return replace(
            results,
            author_facets=_commonest_people(self.authors),
            year_facets=sorted(self.years.items(), reverse=True),
            venue_facets=_commonest(self.venues),
            category_facets=_commonest(self.categories.counts),
            keyword_facets=_commonest(self.keywords.counts),
            collection_facets=_commonest(self.collections.counts),
        )


def _commonest_people(tally: Counter[Person]) -> list[tuple[Person, int]]:
    """`people.counts(papers)[:FACET_LIMIT]`, sorting by name only the people who can be listed:
    sorting every author of a large library was a quarter of what counting them cost."""
    rows = list(tally.items())
    if len(rows) > FACET_LIMIT:
        least = heapq.nlargest(FACET_LIMIT, tally.values())[-1]
        rows = [row for row in rows if row[1] >= least]  # every tie with the last one listed, too
    return sorted(rows, key=lambda row: (-row[1], fold(row[0].name)))[:FACET_LIMIT]


class _Listed:
    """Papers per value, values differing only in case counted as one (named as first seen)."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}
        self.counts: Counter[str] = Counter()

    def add(self, listed: Iterable[str]) -> None:
        names = self.names
        for key in {names.setdefault(value.casefold(), value) for value in listed if value.strip()}:
            self.counts[key] += 1


def _commonest(counts: Counter[str]) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda item: (-item[1], item[0].casefold()))[:FACET_LIMIT]
