"""`page` ranks the first ids up front without computing highlighted hits for them."""

from __future__ import annotations

from tuireader.index import SearchEngine


def test_page_ranks_ids_without_hits(engine: SearchEngine) -> None:
    everything = engine.search("", sort="year", limit=None)
    paged = engine.search("", sort="year", limit=0, page=5)
    assert paged.hits == []
    assert paged.total == everything.total == 18
    assert list(paged.ids[:5]) == list(everything.ids[:5])
    assert list(paged.ids) == list(everything.ids)  # reading past the page sorts the rest


def test_limit_still_bounds_the_hits_when_the_page_is_larger(engine: SearchEngine) -> None:
    results = engine.search("language", limit=2, page=10)
    assert len(results.hits) == 2
    assert [hit.paper_id for hit in results.hits] == list(results.ids[:2])
