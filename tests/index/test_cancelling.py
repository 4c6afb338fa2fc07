"""A search no longer wanted stops part-way, frees the engine, and is not taken for damage."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import acl_slice
from tuireader.corpus.library import load_library
from tuireader.index import SearchCancelled, SearchEngine


def test_a_cancelled_phrase_search_stops_and_the_engine_goes_on(tmp_path: Path) -> None:
    library = load_library([acl_slice(tmp_path, 1_000)])
    with SearchEngine.open(library, cache_dir=tmp_path / "index") as engine:
        asked = 0

        def cancelled() -> bool:
            nonlocal asked
            asked += 1
            return asked > 2  # wanted at first, then no longer: while checking the phrase

        with pytest.raises(SearchCancelled):
            engine.search('"neural machine translation"', cancelled=cancelled)
        assert asked > 2
        # Not mistaken for a damaged index: the next search answers in full.
        whole = engine.search('"neural machine translation"', limit=None)
        assert whole.total > 0
        assert engine.search('"neural machine translation"', cancelled=lambda: False).total == whole.total
