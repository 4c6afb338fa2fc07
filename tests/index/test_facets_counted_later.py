"""A search made without facets, and its facets counted afterwards: the same as searching with them."""

from __future__ import annotations

import pytest

from tuireader.index import SearchEngine, SearchResults


def _facets(results: SearchResults) -> tuple[object, ...]:
    return (
        [(person.key, count) for person, count in results.author_facets],
        results.year_facets,
        results.venue_facets,
        results.category_facets,
        results.keyword_facets,
        results.collection_facets,
    )


@pytest.mark.parametrize("query", ["", "translation", "neural machine", "pars"])
def test_facets_counted_later_are_those_of_a_search_with_facets(acl_engine: SearchEngine, query: str) -> None:
    whole = acl_engine.search(query, limit=0, page=200)
    bare = acl_engine.search(query, limit=0, page=200, with_facets=False)
    assert whole.facets_counted and not bare.facets_counted
    assert not bare.author_facets and not bare.year_facets  # none counted, not "none found"
    counted = acl_engine.with_facets(bare)
    assert counted.facets_counted
    assert whole.author_facets  # the comparison below compares something
    assert _facets(counted) == _facets(whole)
    assert not bare.author_facets  # the results given are left as they were
    assert list(counted.ids[:200]) == list(whole.ids[:200]) and counted.total == whole.total


def test_results_with_facets_are_returned_as_they_are(acl_engine: SearchEngine) -> None:
    whole = acl_engine.search("translation", limit=0)
    assert acl_engine.with_facets(whole) is whole
