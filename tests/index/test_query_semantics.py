"""What queries mean, on a fixed slice of the ACL Anthology: each expected set of papers comes from
a plain scan of the papers' text (case and accents folded, split on anything but letters and
digits), independent of the index's own analysis."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

import pytest

from tests.conftest import acl_slice
from tuireader.corpus.library import Library, load_library
from tuireader.corpus.model import Paper
from tuireader.index import SearchEngine

SLICE = 3_000


@pytest.fixture(scope="module")
def acl(tmp_path_factory: pytest.TempPathFactory) -> Library:
    return load_library([acl_slice(tmp_path_factory.mktemp("acl"), SLICE)], cache=False)


@pytest.fixture(scope="module")
def engine(acl: Library, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchEngine]:
    with SearchEngine.open(acl, cache_dir=tmp_path_factory.mktemp("index")) as opened:
        opened.wait_until_ready()
        yield opened


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


def found(engine: SearchEngine, query: str) -> set[str]:
    return set(engine.search(query, limit=None, with_facets=False).ids)


@pytest.mark.parametrize("phrase", ["state of the art", "end to end", "part of speech"])
def test_stop_words_are_not_required_in_plain_queries(
    engine: SearchEngine, acl: Library, phrase: str
) -> None:
    expected = with_phrase(acl, phrase)
    assert expected
    assert expected <= found(engine, phrase + " ")


def test_a_stop_word_before_a_word_does_not_empty_the_query(engine: SearchEngine, acl: Library) -> None:
    expected = with_word_like(acl, "survey")
    assert found(engine, "a survey ") >= expected
    assert len(found(engine, "a survey ")) >= len(expected)


@pytest.mark.parametrize("word", ["end-to-end", "sequence-to-sequence", "part-of-speech", "state-of-the-art"])
def test_a_hyphenated_word_is_the_phrase_of_its_parts(engine: SearchEngine, acl: Library, word: str) -> None:
    expected = with_phrase(acl, word.replace("-", " "))
    assert expected
    hits = found(engine, word)
    # Phrases match stems (`sequences to sequence`) with stop words skipped: a few more papers.
    assert expected <= hits
    assert len(hits - expected) <= len(expected) // 3


def test_not_before_a_phrase_excludes_it(engine: SearchEngine, acl: Library) -> None:
    results = engine.search('translation NOT "machine translation"', limit=None)
    assert results.notice is None
    excluded = with_phrase(acl, "machine translation")
    assert set(results.ids)
    assert not set(results.ids) & excluded


def test_a_phrase_beside_or(engine: SearchEngine, acl: Library) -> None:
    results = engine.search('"word sense" OR "coreference resolution" ', limit=None)
    assert results.notice is None
    expected = with_phrase(acl, "word sense") | with_phrase(acl, "coreference resolution")
    assert expected <= set(results.ids)
    assert len(set(results.ids) - expected) <= len(expected) // 3


@pytest.mark.parametrize("query", ["parsing (year:2020)", "parsing year:[2020 TO 2020]"])
def test_years_in_parentheses_and_whoosh_ranges(engine: SearchEngine, acl: Library, query: str) -> None:
    results = engine.search(query, limit=None)
    assert results.notice is None
    parsing = found(engine, "parsing ")
    assert set(results.ids) == {key for key in parsing if (paper := acl.get(key)) and paper.year == 2020}
    assert results.total


def test_typing_completes_the_last_word_among_the_other_words_papers(
    engine: SearchEngine, acl: Library
) -> None:
    resolution = {p.id for p in acl.papers if {"coreference", "resolution"} <= set(text_words(p))}
    assert resolution
    assert resolution <= found(engine, "coreference res")


@pytest.mark.parametrize(("query", "pattern"), [("pars*", r"pars\w*"), ("generaliz*", r"generaliz\w*")])
def test_expansions_match_written_words_not_their_stems(
    engine: SearchEngine, acl: Library, query: str, pattern: str
) -> None:
    names = {
        p.id
        for p in acl.papers
        if any(re.fullmatch(pattern, w) for a in p.authors for w in words(a.natural_name))
    }
    assert found(engine, query) == with_word_like(acl, pattern) | names


def test_fuzzy_words_stay_close(engine: SearchEngine, acl: Library) -> None:
    hits = found(engine, "nueral~")
    assert with_word_like(acl, "neural") <= hits
    assert not with_word_like(acl, "numerous") - with_word_like(acl, "neural|nueral|neura|neurl") & hits


def test_the_word_itself_ranks_above_its_completions(engine: SearchEngine, acl: Library) -> None:
    results = engine.search("BERT", limit=20)
    first = acl.get(results.hits[0].paper_id)
    assert first is not None
    assert "bert" in words(first.title or "")


def test_a_title_match_ranks_above_an_abstract_only_match(engine: SearchEngine, acl: Library) -> None:
    results = engine.search("coreference ", limit=None)
    titles = [bool({"coreference"} & set(words(acl.get(key).title or ""))) for key in results.ids]  # type: ignore[union-attr]
    assert titles.index(False) > max(i for i, t in enumerate(titles) if t)


def test_accents_are_folded_in_queries(engine: SearchEngine, acl: Library) -> None:
    names = {p.id for p in acl.papers if any("søgaard" in a.natural_name.casefold() for a in p.authors)}
    assert names
    assert names <= found(engine, "author:sogaard")


def test_a_dot_without_a_space_does_not_join_words(engine: SearchEngine, acl: Library) -> None:
    joined = [p for p in acl.papers if re.search(r"[a-z]\.[A-Z][a-z]+ ", p.abstract.text)]
    assert joined
    paper = joined[0]
    after = re.search(r"[a-z]\.([A-Z][a-z]+) ", paper.abstract.text).group(1)  # type: ignore[union-attr]
    assert paper.id in found(engine, f"abstract:{after.lower()} ")


def test_a_field_with_nothing_after_it_gives_a_notice(engine: SearchEngine) -> None:
    results = engine.search("author:")
    assert results.notice and "author:" in results.notice
    assert results.total == 0


def test_identifiers_find_their_paper(engine: SearchEngine, acl: Library) -> None:
    paper = next(p for p in acl.papers if p.doi and p.citation_key)
    assert paper.id in found(engine, paper.doi)  # type: ignore[arg-type]
    assert paper.id in found(engine, f"https://doi.org/{paper.doi}")
    assert paper.id in found(engine, paper.citation_key)  # type: ignore[arg-type]


def test_close_words_are_suggested_when_little_is_found(engine: SearchEngine) -> None:
    assert "transformer" in engine.search("tranformer").suggestions
    assert engine.search("transformer").suggestions == ()


def test_accents_fold_in_the_index(acl: Library, engine: SearchEngine) -> None:
    accented = next(
        w
        for p in acl.papers
        for w in re.findall(r"\w+", p.title or "")
        if not w.isascii() and len(w) > 4 and w.isalpha()
    )
    plain = "".join(c for c in unicodedata.normalize("NFKD", accented) if not unicodedata.combining(c))
    assert found(engine, f"title:{plain} ") == found(engine, f"title:{accented} ")
    assert found(engine, f"title:{plain} ")
