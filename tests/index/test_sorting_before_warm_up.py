"""A search sorted by title or author as the engine's first: it must not wait for the warm-up.

Ranking a sort order asks for the library positions under the same lock that guards the rank;
with the positions not yet worked out by the warm-up (which now waits for the first search),
the first title-sorted search locked itself out and the reader hung on its first list."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from tuireader.corpus.library import Library
from tuireader.index import SearchEngine


@pytest.mark.parametrize("sort", ["title", "author"])
def test_a_first_search_sorted_by_title_or_author_returns(
    sort: str, bundled: Library, open_engine: Callable[..., SearchEngine], tmp_path: Path
) -> None:
    engine = open_engine(bundled, cache_dir=tmp_path)
    found: list[int] = []
    search = threading.Thread(target=lambda: found.append(engine.search("", sort=sort).total), daemon=True)
    search.start()
    search.join(60)
    assert not search.is_alive(), f"a first search sorted by {sort} never returned"
    assert found == [len(bundled.papers)]
