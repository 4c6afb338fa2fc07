"""The library as results, without the index: what the reader lists while the index is built.

Filters by author, year and venue and the orders other than relevance need only the papers, so the list,
the abstracts and the facets work from the first paint; words wait for the index.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace

from tuireader.corpus.library import Library
from tuireader.corpus.model import Paper
from tuireader.corpus.names import fold
from tuireader.index.documents import collections_with_parents
from tuireader.index.facets import FACET_LIMIT
from tuireader.index.results import SearchResults
from tuireader.index.venues import venue_facet


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
    return counted(results, library, papers)


def counted(results: SearchResults, library: Library, papers: Sequence[Paper]) -> SearchResults:
    """`results` with every facet counted over `papers` (the results, or the part of them kept)."""
    year_counts = Counter(paper.year for paper in papers if paper.year)
    venue_counts = Counter(filter(None, map(venue_facet, papers)))
    return replace(
        results,
        author_facets=library.people.counts(papers)[:FACET_LIMIT],
        year_facets=sorted(year_counts.items(), reverse=True),
        venue_facets=_commonest(venue_counts),
        category_facets=_commonest(_listed(paper.categories for paper in papers)),
        keyword_facets=_commonest(_listed(paper.keywords for paper in papers)),
        collection_facets=_commonest(_listed(collections_with_parents(p.collections) for p in papers)),
    )


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
