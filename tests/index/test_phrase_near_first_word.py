"""A phrase is checked by reading only the words after each written form of its first word.

The answers must be those of tokenising the whole text: checked here on texts made to trip a
window that starts in the wrong place (numbers joined by dots, words that merely contain the
first word, capitals, accents, stop words between), and on real abstracts.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tuireader.corpus.keys import assign_ids
from tuireader.corpus.library import Library
from tuireader.corpus.model import Paper, StyledText
from tuireader.index import SearchEngine
from tuireader.index.analysis import TermExtractor

TRICKY = {
    "inside": "A prestate of the art, an upstate art fair and interstate of the art.",
    "number": "Version 2.state of the art shows 3.50 art fair and v1.2state art; 50 art.",
    "fifty": "We gain 50 points.",
    "capitals": "The STATE OF THE ART in parsing.",
    "accents": "Résumé: the Stäte of the årt is here, naïve státe art.",
    "hyphen": "A state-of-the-art tagger.",
    "later": "The state is known; the art of state and the art comes later: state of the art.",
    "split": "A state of. The art of nothing.",
    "none": "Art of the state; states without any art.",
    "underscore": "The my_state of the art and state_of the art.",
    "final sigma": "ΟΔΟΣ state of the art ΣΟΦΙΑ.",
}


def has_in_a_row(extractor: TermExtractor, text: str, phrase: str) -> bool:
    """The whole-text answer: every word tokenised and stemmed, then the stems compared."""
    wanted = extractor.stems(extractor.words(phrase))
    have = extractor.stems(extractor.words(text))
    return any(have[i : i + len(wanted)] == wanted for i in range(len(have)))


@pytest.fixture(scope="module")
def tricky(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[SearchEngine, Library]]:
    papers = tuple(
        assign_ids(
            Paper(title=f"Paper {number} on {name}", abstract=StyledText(text), year=2020)
            for number, (name, text) in enumerate(TRICKY.items())
        )
    )
    library = Library(papers=papers)
    folder: Path = tmp_path_factory.mktemp("index")
    with SearchEngine.open(library, cache_dir=folder) as engine:
        engine.wait_until_ready()
        yield engine, library


@pytest.mark.parametrize(
    "phrase", ["state of the art", "state art", "art of state", "2 state", "50 art fair", "state art fair"]
)
def test_tricky_texts_match_as_whole_texts_do(tricky: tuple[SearchEngine, Library], phrase: str) -> None:
    engine, library = tricky
    extractor = TermExtractor()
    expected = {p.id for p in library.papers if has_in_a_row(extractor, p.abstract.text, phrase)}
    found = set(engine.search(f'abstract:"{phrase}"', limit=None, with_facets=False).ids)
    assert found == expected


def test_the_tricky_texts_tell_windows_apart(tricky: tuple[SearchEngine, Library]) -> None:
    """The cases above are worth having: some texts match and some only seem to."""
    engine, library = tricky
    found = set(engine.search('abstract:"state of the art"', limit=None, with_facets=False).ids)
    names = {paper.id: name for paper, name in zip(library.papers, TRICKY, strict=True)}
    assert {names[paper_id] for paper_id in found} >= {"capitals", "accents", "hyphen", "later", "split"}
    assert not {"inside", "none"} & {names[paper_id] for paper_id in found}


@pytest.mark.parametrize(
    "phrase", ["state of the art", "machine translation", "studies show", "f1 score", "end to end"]
)
def test_real_abstracts_match_as_whole_texts_do(acl_engine: SearchEngine, acl: Library, phrase: str) -> None:
    extractor = TermExtractor()
    expected = {p.id for p in acl.papers if has_in_a_row(extractor, p.abstract.text, phrase)}
    assert expected
    found = set(acl_engine.search(f'abstract:"{phrase}"', limit=None, with_facets=False).ids)
    assert found == expected
