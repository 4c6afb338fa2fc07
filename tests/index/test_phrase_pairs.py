"""Phrases are narrowed by the index's word pairs: a phrase of common words reads no more texts
than the papers having each adjacent pair of it, never every paper having all its words.

On a slice of the ACL Anthology, with expected sets from a plain scan of the papers' text."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from tuireader.corpus.library import Library
from tuireader.corpus.model import Paper
from tuireader.index import SearchEngine
from tuireader.index.venues import venue_facet


def words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text.lower())


def has_words_in_a_row(text: str, wanted: list[str]) -> bool:
    have = words(text)
    return any(have[i : i + len(wanted)] == wanted for i in range(len(have)))


def has_beginnings_in_a_row(text: str, beginnings: list[str]) -> bool:
    """Words beginning so, in a row: the other forms of the words are matched too."""
    have = words(text)
    return any(
        all(
            word.startswith(start)
            for word, start in zip(have[i : i + len(beginnings)], beginnings, strict=True)
        )
        for i in range(len(have) - len(beginnings) + 1)
    )


def papers_where(acl: Library, test: Callable[[Paper], bool]) -> set[str]:
    return {paper.id for paper in acl.papers if test(paper)}


def in_abstracts(acl: Library, beginnings: list[str]) -> tuple[set[str], set[str], set[str]]:
    """Papers whose abstract has words so beginning: all of them, each adjacent two in a row,
    all in a row."""
    every = papers_where(
        acl, lambda p: all(any(w.startswith(b) for w in words(p.abstract.text)) for b in beginnings)
    )
    pairs = papers_where(
        acl,
        lambda p: all(
            has_beginnings_in_a_row(p.abstract.text, beginnings[i : i + 2])
            for i in range(len(beginnings) - 1)
        ),
    )
    return every, pairs, papers_where(acl, lambda p: has_beginnings_in_a_row(p.abstract.text, beginnings))


def checked_at_most(every: set[str], pairs: set[str]) -> int:
    """Texts a phrase may read: the papers having its pairs, and a few having all its words whose
    other pairs share an index term with its own. Checking every paper having all the words,
    as without the pairs, must read more."""
    bound = len(pairs) + len(every) // 10
    assert bound < len(every)
    return bound


@pytest.mark.parametrize(
    ("phrase", "beginnings"),
    [
        ("language model", ["languag", "model"]),
        ("training data", ["train", "data"]),
        ("neural machine translation", ["neural", "machin", "translat"]),
    ],
)
def test_an_abstract_phrase_reads_only_papers_having_its_pairs(
    acl_engine: SearchEngine, acl: Library, phrase: str, beginnings: list[str]
) -> None:
    results = acl_engine.search(f'abstract:"{phrase}"', limit=None, with_facets=False)
    every, pairs, _ = in_abstracts(acl, beginnings)
    exact = papers_where(acl, lambda p: has_words_in_a_row(p.abstract.text, words(phrase)))
    assert exact <= set(results.ids)
    assert len(results.ids) > 30
    # Stop words between the words count as nothing: such papers are found too, and checked.
    assert len(results.ids) <= results.phrase_checks <= checked_at_most(every, pairs | set(results.ids))


def test_a_phrase_in_any_field_reads_only_papers_having_its_pairs(
    acl_engine: SearchEngine, acl: Library
) -> None:
    results = acl_engine.search('"language model"', limit=None, with_facets=False)
    expected = papers_where(
        acl,
        lambda p: any(
            has_words_in_a_row(text, ["language", "model"])
            for text in (p.title or "", p.abstract.text, p.venue or "")
        ),
    )
    assert expected <= set(results.ids)
    every, pairs, _ = in_abstracts(acl, ["languag", "model"])
    titles = papers_where(acl, lambda p: {"language", "model"} <= set(words(p.title or "")))
    assert results.phrase_checks <= checked_at_most(every, pairs | set(results.ids)) + len(titles)


def test_a_venue_phrase_reads_each_venue_once(acl_engine: SearchEngine, acl: Library) -> None:
    name = "Language Resources and Evaluation Conference"
    results = acl_engine.search(f'venue:"{name}"', limit=None, with_facets=False)
    wanted = words(name)
    expected = papers_where(
        acl,
        lambda p: has_words_in_a_row(p.venue or "", wanted) or has_words_in_a_row(venue_facet(p), wanted),
    )
    assert expected and set(results.ids) == expected
    texts = {p.venue or "" for p in acl.papers} | {venue_facet(p) for p in acl.papers}
    assert results.phrase_checks <= len(texts) < len(expected)
