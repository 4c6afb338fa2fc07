"""The slow shapes of query ask whether they are still wanted as they go, not only between
clauses: a phrase of common words while its candidates are checked, a leading wildcard while its
words' posting lists are read. Counted, not timed."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.synthetic import synthetic_library
from tuireader.index import SearchCancelled, SearchEngine

# One clause each: the first question is asked before the clause, any later one inside it.
_PHRASE = '"state of the art"'
_LEADING_WILDCARD = "*ing"


class _Asked:
    """A `cancelled` callback counting its questions; it says yes from the `yes_from`th on."""

    def __init__(self, yes_from: int | None = None) -> None:
        self.count = 0
        self.yes_from = yes_from

    def __call__(self) -> bool:
        self.count += 1
        return self.yes_from is not None and self.count >= self.yes_from


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> SearchEngine:
    library = synthetic_library(3_000, stock_phrases=True)
    folder: Path = tmp_path_factory.mktemp("index")
    opened = SearchEngine.open(library, cache_dir=folder, fingerprint="bounded 3000", workers=1)
    opened.wait_until_ready()
    return opened


def test_a_phrase_asks_while_checking_its_candidates(engine: SearchEngine) -> None:
    asked = _Asked()
    found = engine.search(_PHRASE, limit=10, with_facets=False, cancelled=asked)
    assert found.total > 300  # a sixth of the abstracts have it
    assert found.phrase_checks > 300
    # Once before the clause, then once every few dozen candidates.
    assert asked.count >= 1 + found.phrase_checks // 64

    with pytest.raises(SearchCancelled):
        engine.search(_PHRASE, limit=10, with_facets=False, cancelled=_Asked(yes_from=2))
    again = engine.search(_PHRASE, limit=10, with_facets=False)
    assert again.total == found.total


def test_a_leading_wildcard_asks_between_the_lists_it_reads(engine: SearchEngine) -> None:
    asked = _Asked()
    found = engine.search(_LEADING_WILDCARD, limit=10, with_facets=False, cancelled=asked)
    assert found.total > 1_000
    assert found.notice is not None  # more words end in -ing than are searched, and it says so
    assert asked.count > 100  # a question for each word's list, not one for the clause

    with pytest.raises(SearchCancelled):
        engine.search(_LEADING_WILDCARD, limit=10, with_facets=False, cancelled=_Asked(yes_from=2))
    assert engine.search(_LEADING_WILDCARD, limit=10, with_facets=False).total == found.total
