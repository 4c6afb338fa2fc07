"""Facet counts and author filters, with name variants merged as the library merges them."""

from __future__ import annotations

from collections import Counter

import pytest

from tuireader.corpus.library import Library
from tuireader.index import SearchEngine
from tuireader.index import facets as facets_module
from tuireader.index.venues import venue_facet


def expected_authors(bundled: Library, ids: list[str]) -> dict[str, int]:
    counted = bundled.people.counts(bundled.get(i) for i in ids)
    return {person.name: count for person, count in counted}


@pytest.mark.parametrize("query", ["", "jailbreak", "language model", "author:goodman", "year:2023..2024"])
def test_facet_counts_match_the_results(engine: SearchEngine, bundled: Library, query: str) -> None:
    results = engine.search(query, limit=None)
    ids = list(results.ids)
    papers = [bundled.get(i) for i in ids]
    assert {p.name: n for p, n in results.author_facets} == expected_authors(bundled, ids)
    years = Counter(p.year for p in papers if p.year)
    assert results.year_facets == sorted(years.items(), reverse=True)
    venues = Counter(venue_facet(p) for p in papers if p.venue)  # as the facet names them
    assert dict(results.venue_facets) == dict(venues)
    counts = [n for _, n in results.author_facets]
    assert counts == sorted(counts, reverse=True)


def test_blank_query_facets(engine: SearchEngine) -> None:
    results = engine.search("")
    assert results.year_facets == [(2025, 1), (2024, 4), (2023, 4), (2022, 1)]
    assert results.venue_facets == [("ACL Main Conference", 1)]  # the year is the year facet's
    top = {person.name: count for person, count in results.author_facets[:3]}
    assert top == {"Mu, Jesse": 9, "Perez, Ethan": 4, "Goodman, Noah D.": 4}


def test_name_variants_are_one_person(engine: SearchEngine, bundled: Library) -> None:
    (goodman,) = bundled.people.find("Goodman")
    results = engine.search("", authors=[goodman.key])
    assert sorted(results.ids) == ["muemergent", "mulearning", "wangcalibrate", "yucharacterizing"]
    assert ("Goodman, Noah D.", 4) in [(p.name, n) for p, n in results.author_facets]


def test_author_filters_all_must_match_and_combine_with_queries_and_years(
    engine: SearchEngine, bundled: Library
) -> None:
    (mu,) = bundled.people.find("Jesse Mu")
    (perez,) = bundled.people.find("Perez, Ethan")
    both = engine.search("", authors=[mu.key, perez.key])
    assert sorted(both.ids) == ["2501.18837", "hubingersleeper", "jonesforecasting", "wangjailbreak"]
    assert sorted(engine.search("jailbreak", authors=[mu.key, perez.key]).ids) == [
        "2501.18837",
        "wangjailbreak",
    ]
    assert list(engine.search("", authors=[mu.key], years=(2025, None)).ids) == ["2501.18837"]
    assert engine.search("", authors=["nobody|at all"]).total == 0
    assert sorted(engine.search("", years=(None, 2022)).ids) == ["2211.11501"]


def test_large_result_sets_count_the_same_with_bitsets(
    open_engine, bundled: Library, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bitset path (used for large results) against plain counting, forced on small data."""
    engine = open_engine(bundled, cache_dir=tmp_path_factory.mktemp("bitsets"))
    queries = ["", "language", "models", "author:mu", "year:2023..2025"]
    plain = [engine.search(q, limit=None) for q in queries]
    engine._facets.warm_up()
    monkeypatch.setattr(facets_module, "_BITSETS_FROM", 0)
    for prolific in (1, 3, 10, 1000):
        monkeypatch.setattr(facets_module, "_PROLIFIC_AUTHORS", prolific)
        engine._facets._sets = None
        engine._facets.warm_up()
        for query, expected in zip(queries, plain, strict=True):
            matched = dict.fromkeys((engine._docnum(i) for i in expected.ids), 0.0)
            for limit in (1, 3, 100):
                authors, years, _ = engine._facets.summary(matched, limit)
                assert authors == expected.author_facets[:limit], (query, prolific, limit)
                assert years == expected.year_facets
