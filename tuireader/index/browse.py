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
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
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
    papers: list[Paper] = []
    for paper in library.papers:
        if years is not None and not (paper.year and years[0] <= paper.year <= years[1]):
            continue
        if venues and venue_facet(paper) not in venues:
            continue
        if authors:
            keys = {person.key for person in people.people_of(paper)}
            if not all(key in keys for key in authors):
                continue
        papers.append(paper)
    order = _sort_key(sort)
    if order is not None:
        key, descending = order
        papers.sort(key=key, reverse=descending)
    results = SearchResults(
        query="", total=len(papers), ids=[p.id for p in papers], hits=[], notice=notice, sort=sort
    )
    results = counted(results, library, papers)
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


def counted(results: SearchResults, library: Library, papers: Sequence[Paper]) -> SearchResults:
    """`results` with every facet counted over `papers` (the results, or the part of them kept)."""
    year_counts = Counter(paper.year for paper in papers if paper.year)
    venue_counts = Counter(filter(None, map(venue_facet, papers)))
    return replace(
        results,
        author_facets=_commonest_people(library.people, papers),
        year_facets=sorted(year_counts.items(), reverse=True),
        venue_facets=_commonest(venue_counts),
        category_facets=_commonest(_listed(paper.categories for paper in papers)),
        keyword_facets=_commonest(_listed(paper.keywords for paper in papers)),
        collection_facets=_commonest(_listed(collections_with_parents(p.collections) for p in papers)),
    )


def _commonest_people(people: People, papers: Sequence[Paper]) -> list[tuple[Person, int]]:
    """`people.counts(papers)[:FACET_LIMIT]`, sorting by name only the people who can be listed:
    sorting every author of a large library was a quarter of what counting them cost."""
    tally: Counter[Person] = Counter()
    for paper in papers:
        tally.update(people.people_of(paper))
    rows = list(tally.items())
    if len(rows) > FACET_LIMIT:
        least = heapq.nlargest(FACET_LIMIT, tally.values())[-1]
        rows = [row for row in rows if row[1] >= least]  # every tie with the last one listed, too
    return sorted(rows, key=lambda row: (-row[1], fold(row[0].name)))[:FACET_LIMIT]


def _listed(values: Iterable[tuple[str, ...]]) -> Counter[str]:
    """Papers per value, values differing only in case counted as one (named as first seen)."""
    names: dict[str, str] = {}
    counts: Counter[str] = Counter()
    for listed in values:
        for key in {names.setdefault(value.casefold(), value) for value in listed if value.strip()}:
            counts[key] += 1
    return counts


def _commonest(counts: Counter[str]) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda item: (-item[1], item[0].casefold()))[:FACET_LIMIT]
