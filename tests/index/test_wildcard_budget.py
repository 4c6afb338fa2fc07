"""A wildcard with no leading letters (`*s`) reads at most a budget of postings: the commonest
matching words are searched until it is spent, and the notice says that only some were."""

from __future__ import annotations

import re

import pytest

from tests.index.test_query_semantics import found, text_words
from tuireader.corpus.library import Library
from tuireader.index import SearchEngine, evaluate
from tuireader.index.vocabulary import Vocabulary


def _vocabulary() -> Vocabulary:
    counts = {"models": 900, "results": 700, "parsers": 30, "kiss": 2, "model": 1_000, "sing": 5}
    return Vocabulary.from_counts({word: (count, word) for word, count in counts.items()})


def test_the_commonest_words_are_kept_within_the_budget() -> None:
    found_words, left_out = _vocabulary().matching("*s", 10, budget=1_000)
    assert [e.word for e in found_words] == ["models"]  # 900, and 700 more would pass 1,000
    assert left_out
    found_words, left_out = _vocabulary().matching("*s", 10, budget=1_620)
    assert [e.word for e in found_words] == ["models", "results"]
    assert left_out


def test_without_a_budget_or_within_it_nothing_is_left_out() -> None:
    everything = ["models", "results", "parsers", "kiss"]
    found_words, left_out = _vocabulary().matching("*s", 10)
    assert [e.word for e in found_words] == everything and not left_out
    found_words, left_out = _vocabulary().matching("*s", 10, budget=10_000)
    assert [e.word for e in found_words] == everything and not left_out
    found_words, left_out = _vocabulary().matching("*s", 3)
    assert [e.word for e in found_words] == everything[:3] and left_out


def test_a_spent_budget_searches_the_commonest_words_and_says_so(
    acl_engine: SearchEngine, acl: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = found(acl_engine, "*ization")
    assert acl_engine.search("*ization", limit=1).notice is None  # within the budget
    monkeypatch.setattr(evaluate, "WILDCARD_BUDGET", 1)  # the commonest word alone
    results = acl_engine.search("*ization", limit=None, with_facets=False)
    assert results.notice is not None and "only" in results.notice and "were searched" in results.notice
    shown = results.notice.split("(", 1)[1]
    searched = re.findall(r"[a-z]+ization", shown)
    assert len(searched) == 1  # the commonest, named in the notice
    narrowed = set(results.ids)
    assert 0 < len(narrowed) < len(whole)
    assert narrowed <= whole
    # Every paper with the commonest such word is still found.
    with_first = {paper.id for paper in acl.papers if searched[0] in text_words(paper)}
    assert with_first <= narrowed
