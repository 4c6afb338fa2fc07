"""What queries mean, on a fixed slice of the ACL Anthology: each expected set of papers comes from
a plain scan of the papers' text (case and accents folded, split on anything but letters and
digits), independent of the index's own analysis."""

from __future__ import annotations

import re
import unicodedata

import pytest

from tuireader.corpus.library import Library
from tuireader.corpus.model import Paper
from tuireader.index import SearchEngine


def words(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(char for char in folded if not unicodedata.combining(char))
    return re.findall(r"[^\W_]+", plain)


def text_words(paper: Paper) -> list[str]:
    return words(f"{paper.title or ''} . {paper.abstract.text} . {paper.venue or ''}")


def with_phrase(acl: Library, phrase: str) -> set[str]:
    wanted = words(phrase)
    found = set()
    for paper in acl.papers:
        for part in (paper.title or "", paper.abstract.text, paper.venue or ""):
            have = words(part)
            if any(have[i : i + len(wanted)] == wanted for i in range(len(have))):
                found.add(paper.id)
    return found


def with_word_like(acl: Library, pattern: str) -> set[str]:
    matcher = re.compile(pattern).fullmatch
    return {paper.id for paper in acl.papers if any(map(matcher, text_words(paper)))}


def found(acl_engine: SearchEngine, query: str) -> set[str]:
    return set(acl_engine.search(query, limit=None, with_facets=False).ids)


@pytest.mark.parametrize("phrase", ["state of the art", "end to end", "part of speech"])
def test_stop_words_are_not_required_in_plain_queries(
    acl_engine: SearchEngine, acl: Library, phrase: str
) -> None:
    expected = with_phrase(acl, phrase)
    assert expected
    assert expected <= found(acl_engine, phrase + " ")


def test_a_stop_word_before_a_word_does_not_empty_the_query(acl_engine: SearchEngine, acl: Library) -> None:
    expected = with_word_like(acl, "survey")
    assert found(acl_engine, "a survey ") >= expected
    assert len(found(acl_engine, "a survey ")) >= len(expected)


@pytest.mark.parametrize("word", ["end-to-end", "sequence-to-sequence", "part-of-speech", "state-of-the-art"])
def test_a_hyphenated_word_is_the_phrase_of_its_parts(
    acl_engine: SearchEngine, acl: Library, word: str
) -> None:
    expected = with_phrase(acl, word.replace("-", " "))
    assert expected
    hits = found(acl_engine, word)
    # Phrases match stems (`sequences to sequence`) with stop words skipped: a few more papers.
    assert expected <= hits
    assert len(hits - expected) <= len(expected) // 3


def test_not_before_a_phrase_excludes_it(acl_engine: SearchEngine, acl: Library) -> None:
    results = acl_engine.search('translation NOT "machine translation"', limit=None)
    assert results.notice is None
    excluded = with_phrase(acl, "machine translation")
    assert set(results.ids)
    assert not set(results.ids) & excluded


def test_a_phrase_beside_or(acl_engine: SearchEngine, acl: Library) -> None:
    results = acl_engine.search('"word sense" OR "coreference resolution" ', limit=None)
    assert results.notice is None
    expected = with_phrase(acl, "word sense") | with_phrase(acl, "coreference resolution")
    assert expected <= set(results.ids)
    assert len(set(results.ids) - expected) <= len(expected) // 3


@pytest.mark.parametrize("query", ["parsing (year:2020)", "parsing year:[2020 TO 2020]"])
def test_years_in_parentheses_and_whoosh_ranges(acl_engine: SearchEngine, acl: Library, query: str) -> None:
    results = acl_engine.search(query, limit=None)
    assert results.notice is None
    parsing = found(acl_engine, "parsing ")
    assert set(results.ids) == {key for key in parsing if (paper := acl.get(key)) and paper.year == 2020}
    assert results.total


def test_typing_completes_the_last_word_among_the_other_words_papers(
    acl_engine: SearchEngine, acl: Library
) -> None:
    resolution = {p.id for p in acl.papers if {"coreference", "resolution"} <= set(text_words(p))}
    assert resolution
    assert resolution <= found(acl_engine, "coreference res")


@pytest.mark.parametrize(("query", "pattern"), [("pars*", r"pars\w*"), ("generaliz*", r"generaliz\w*")])
def test_expansions_match_written_words_not_their_stems(
    acl_engine: SearchEngine, acl: Library, query: str, pattern: str
) -> None:
    names = {
        p.id
        for p in acl.papers
        if any(re.fullmatch(pattern, w) for a in p.authors for w in words(a.natural_name))
    }
    assert found(acl_engine, query) == with_word_like(acl, pattern) | names


def test_fuzzy_words_stay_close(acl_engine: SearchEngine, acl: Library) -> None:
    hits = found(acl_engine, "nueral~")
    assert with_word_like(acl, "neural") <= hits
    assert not with_word_like(acl, "numerous") - with_word_like(acl, "neural|nueral|neura|neurl") & hits


def test_the_word_itself_ranks_above_its_completions(acl_engine: SearchEngine, acl: Library) -> None:
    results = acl_engine.search("BERT", limit=20)
    first = acl.get(results.hits[0].paper_id)
    assert first is not None
    assert "bert" in words(first.title or "")


def test_a_title_match_ranks_above_an_abstract_only_match(acl_engine: SearchEngine, acl: Library) -> None:
    results = acl_engine.search("coreference ", limit=None)
    titles = [bool({"coreference"} & set(words(acl.get(key).title or ""))) for key in results.ids]  # type: ignore[union-attr]
    assert titles.index(False) > max(i for i, t in enumerate(titles) if t)


def test_accents_are_folded_in_queries(acl_engine: SearchEngine, acl: Library) -> None:
    names = {p.id for p in acl.papers if any("søgaard" in a.natural_name.casefold() for a in p.authors)}
    assert names
    assert names <= found(acl_engine, "author:sogaard")


def test_a_dot_without_a_space_does_not_join_words(acl_engine: SearchEngine, acl: Library) -> None:
    joined = [p for p in acl.papers if re.search(r"[a-z]\.[A-Z][a-z]+ ", p.abstract.text)]
    assert joined
    paper = joined[0]
    after = re.search(r"[a-z]\.([A-Z][a-z]+) ", paper.abstract.text).group(1)  # type: ignore[union-attr]
    assert paper.id in found(acl_engine, f"abstract:{after.lower()} ")


def test_a_field_with_nothing_after_it_gives_a_notice(acl_engine: SearchEngine) -> None:
    results = acl_engine.search("author:")
    assert results.notice and "author:" in results.notice
    assert results.total == 0


def test_identifiers_find_their_paper(acl_engine: SearchEngine, acl: Library) -> None:
    paper = next(p for p in acl.papers if p.doi and p.citation_key)
    assert paper.id in found(acl_engine, paper.doi)  # type: ignore[arg-type]
    assert paper.id in found(acl_engine, f"https://doi.org/{paper.doi}")
    assert paper.id in found(acl_engine, paper.citation_key)  # type: ignore[arg-type]


def test_close_words_are_suggested_when_little_is_found(acl_engine: SearchEngine) -> None:
    assert "transformer" in acl_engine.search("tranformer").suggestions
    assert acl_engine.search("transformer").suggestions == ()


def test_accents_fold_in_the_index(acl: Library, acl_engine: SearchEngine) -> None:
    accented = next(
        w
        for p in acl.papers
        for w in re.findall(r"\w+", p.title or "")
        if not w.isascii() and len(w) > 4 and w.isalpha()
    )
    plain = "".join(c for c in unicodedata.normalize("NFKD", accented) if not unicodedata.combining(c))
    assert found(acl_engine, f"title:{plain} ") == found(acl_engine, f"title:{accented} ")
    assert found(acl_engine, f"title:{plain} ")
