"""The quick expression for a phrase as it is usually written may only ever say yes where the
word-by-word check says yes: searches find the same papers with it as without it."""

from __future__ import annotations

import pytest

from tests.conftest import acl_slice
from tuireader.corpus.library import Library, load_library
from tuireader.index import SearchEngine
from tuireader.index import evaluate as evaluate_module
from tuireader.index.evaluate import Evaluator

PHRASES = (
    '"state of the art"',
    '"state-of-the-art"',
    '"neural machine translation"',
    '"machine translation"',
    '"we propose a new"',
    '"to the best of our knowledge"',
    '"the results show that"',
    '"word embeddings"',
    '"part of speech"',
    '"named entity recognition"',
    'title:"machine translation"',
    'abstract:"language model"',
    'venue:"computational linguistics"',
    '"large scale"',
)


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Library:
    return load_library([acl_slice(tmp_path_factory.mktemp("acl"), 4_000)])


@pytest.fixture(scope="module")
def engine(library: Library, tmp_path_factory: pytest.TempPathFactory) -> SearchEngine:
    opened = SearchEngine.open(library, cache_dir=tmp_path_factory.mktemp("index"), workers=1)
    opened.wait_until_ready()
    return opened


def test_searches_find_the_same_papers_without_the_quick_expression(
    engine: SearchEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    quick = {phrase: engine.search(phrase, limit=None, with_facets=False) for phrase in PHRASES}
    assert sum(found.total for found in quick.values()) > 500
    monkeypatch.setattr(evaluate_module, "_written_phrase", lambda *arguments: None)
    for phrase, expected in quick.items():
        slow = engine.search(phrase, limit=None, with_facets=False)
        assert list(slow.ids) == list(expected.ids), phrase


def test_the_expression_says_yes_only_where_the_check_does(engine: SearchEngine, library: Library) -> None:
    view = engine._view
    evaluator = Evaluator(view)
    extractor = view.extractor
    said_yes = 0
    for phrase in (
        "state of the art",
        "machine translation",
        "to the best of our knowledge",
        "part of speech",
    ):
        terms = [extractor.stem(word) for word in extractor.words(phrase)]
        written = evaluate_module._written_phrase(extractor, view.vocabulary, terms)
        assert written is not None
        for paper in library.papers:
            text = paper.abstract.text
            if text.isascii() and evaluate_module.written_in(written, text):
                said_yes += 1
                assert evaluator._phrase_near_forms(
                    text, text.lower(), terms, view.vocabulary.forms_of(terms[0])
                )
    assert said_yes > 100
