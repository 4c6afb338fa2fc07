"""The query language on the bundled corpus (18 papers), with the exact papers each query finds."""

from __future__ import annotations

import pytest

from tuireader.corpus.library import Library
from tuireader.index import SearchEngine

JAILBREAK_PAPERS = ["2501.18837", "wangjailbreak"]
GOODMAN_PAPERS = ["muemergent", "mulearning", "wangcalibrate", "yucharacterizing"]


def found(engine: SearchEngine, query: str) -> list[str]:
    results = engine.search(query)
    assert results.notice is None, results.notice
    return sorted(results.ids)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # bare words, stemmed with Snowball: plural and singular meet, `running` finds `runs`
        ("jailbreaks", JAILBREAK_PAPERS),
        ("jailbreak", JAILBREAK_PAPERS),
        ("neurons", ["mucompositional"]),
        ("running", ["2211.11501"]),
        ("NumPy", ["2211.11501"]),
        # fields
        ("title:jailbreaks", JAILBREAK_PAPERS),
        ("title:(jailbreak defense)", ["wangjailbreak"]),
        ("abstract:sophistry", ["2409.12822"]),
        ("author:goodman", GOODMAN_PAPERS),
        ('author:"noah goodman"', GOODMAN_PAPERS),  # "Noah D. Goodman" too
        ("venue:acl", ["2406.04604"]),
        ("id:2501.18837", ["2501.18837"]),
        ("arXiv:2501.18837", ["2501.18837"]),
        ("id:mulearning", ["mulearning"]),
        # years
        ("year:2023", ["2302.14233", "2305.13749", "2307.08678", "2312.02974"]),
        ("year:2024..2025", ["2404.09932", "2406.04604", "2409.08466", "2409.12822", "2501.18837"]),
        ("year:>=2024", ["2404.09932", "2406.04604", "2409.08466", "2409.12822", "2501.18837"]),
        ("year:..2022", ["2211.11501"]),
        ("author:mu year:2025", ["2501.18837"]),
        ("jailbreak year:2024", []),
        # boolean operators, parentheses and minus
        ("sophistry OR neurons", ["2409.12822", "mucompositional"]),
        ("clustering AND corpora", ["2305.13749"]),
        ("corpora NOT clustering", ["2302.14233"]),
        ("corpora -clustering", ["2302.14233"]),
        ("(jailbreak OR sleeper) AND agents", ["hubingersleeper"]),
        # phrases: the words in a row, in order
        ('"natural language predicates"', ["2409.08466"]),
        ('"language predicates natural"', []),
        ('"gist tokens"', ["mulearning"]),
        # wildcards and fuzzy words
        ("compos*", ["mucompositional", "muemergent"]),
        ("explain*", ["2305.13749", "2307.08678", "2409.08466", "mucompositional"]),
        ("simulatability~", ["2307.08678"]),
        ("simulatibility~", ["2307.08678"]),
        # the last bare word is also a prefix, unless a space says the word is complete
        ("jail", JAILBREAK_PAPERS),
        ("gis", ["mulearning"]),
        ("gis ", []),
        ("sleeper age", ["hubingersleeper"]),
    ],
)
def test_query_finds_exactly(engine: SearchEngine, query: str, expected: list[str]) -> None:
    assert found(engine, query) == expected


def test_a_blank_query_finds_every_paper_in_library_order(engine: SearchEngine, bundled: Library) -> None:
    for query in ("", "   "):
        results = engine.search(query)
        assert list(results.ids) == [paper.id for paper in bundled.papers]
        assert results.total == len(bundled.papers) == 18


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("(jailbreak", JAILBREAK_PAPERS),  # unclosed parenthesis
        ('"universal jailbreaks', ["2501.18837"]),  # unclosed quotation mark
        ("title:jailbreak universe:x", []),  # no such field: its words, `universe` among them
        ("jailbreak AND", JAILBREAK_PAPERS),  # dangling operator
        ("year:soon jailbreak", []),  # not a year: `year` and `soon` are searched as words
    ],
)
def test_unparseable_input_searches_its_plain_words_and_says_so(
    engine: SearchEngine, query: str, expected: list[str]
) -> None:
    results = engine.search(query)
    assert results.notice and "not understood" in results.notice
    assert sorted(results.ids) == expected


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "(",
        ")",
        "))((",
        "AND",
        "NOT",
        "OR OR",
        "~",
        "*",
        "?",
        "[",
        "year:",
        "title:",
        ":::",
        "\x00",
        "a" * 2000,
        "title:[a TO",
        "year:[2020 TO",
        "^2",
        "-",
        "--x",
        "+",
        "id:",
        'author:"',
        "日本語",
        "x~9",
    ],
)
def test_no_query_raises(engine: SearchEngine, query: str) -> None:
    results = engine.search(query)
    assert results.total == len(results.ids) >= 0


def test_title_matches_rank_above_abstract_only_matches(engine: SearchEngine, bundled: Library) -> None:
    results = engine.search("language ")
    ranked = list(results.ids)
    in_title = [i for i in ranked if "language" in (bundled.get(i).title or "").lower()]
    abstract_only = [i for i in ranked if i not in in_title]
    assert in_title and abstract_only
    assert max(ranked.index(i) for i in in_title) < min(ranked.index(i) for i in abstract_only)


def test_hits_carry_scores_spans_fragments_and_matched_fields(engine: SearchEngine, bundled: Library) -> None:
    results = engine.search("jailbreaks", limit=1)
    assert results.total == 2 and len(results.hits) == 1
    hit = results.hits[0]
    paper = bundled.get(hit.paper_id)
    assert hit.score > 0
    assert [paper.title[s.start : s.end] for s in hit.title_spans] == ["Jailbreaks"]
    assert hit.matched_fields == ("title", "abstract")
    fragment = hit.fragments[0]
    assert paper.abstract.text[fragment.start : fragment.end] == fragment.text
    assert {fragment.text[s.start : s.end].lower() for s in fragment.spans} <= {"jailbreak", "jailbreaks"}


def test_matched_fields_name_authors_ids_and_years(engine: SearchEngine) -> None:
    (hit,) = engine.search("author:mu year:2025").hits
    assert hit.matched_fields == ("author", "year")
    (hit,) = engine.search("arXiv:2501.18837").hits
    assert hit.matched_fields == ("id",)


def test_highlights_cover_the_whole_abstract(engine: SearchEngine, bundled: Library) -> None:
    paper = bundled.get("2501.18837")
    for query in ("jailbreaks", engine.search("jailbreaks")):
        highlights = engine.highlights("2501.18837", query)
        words = [paper.abstract.text[s.start : s.end].lower() for s in highlights.abstract]
        assert words == ["jailbreaks", "jailbreak", "jailbreaks", "jailbreaks"]
        assert [paper.title[s.start : s.end] for s in highlights.title] == ["Jailbreaks"]
    assert engine.highlights("no-such-paper", "jailbreak").abstract == ()


def test_sorts(engine: SearchEngine, bundled: Library) -> None:
    by_year = list(engine.search("", sort="year").ids)
    years = [bundled.get(i).year or 0 for i in by_year]
    known = [y for y in years if y]
    assert known == sorted(known, reverse=True) and years[len(known) :] == [0] * (len(years) - len(known))
    by_title = [bundled.get(i).display_title.casefold() for i in engine.search("", sort="title").ids]
    assert by_title == sorted(by_title)
    by_author = list(engine.search("", sort="author").ids)
    families = [bundled.get(i).authors[0].family.casefold() for i in by_author if bundled.get(i).authors]
    assert families == sorted(families)
    assert all(not bundled.get(i).authors for i in by_author[len(families) :])
    with pytest.raises(ValueError, match="sort"):
        engine.search("x", sort="colour")


def test_related_papers_come_from_the_index(engine: SearchEngine) -> None:
    related = engine.related("2501.18837", limit=3)
    assert related[0].paper_id == "wangjailbreak"
    assert "2501.18837" not in [hit.paper_id for hit in related]
    assert len(related) == 3
    assert engine.related("no-such-paper") == []
