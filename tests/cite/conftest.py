"""The bundled library, read once for all citation tests."""

from __future__ import annotations

import pytest

from tuireader.corpus.library import Library, load_library
from tuireader.corpus.model import Paper


@pytest.fixture(scope="session")
def library() -> Library:
    return load_library()


@pytest.fixture(scope="session")
def paper(library: Library):
    def by_id(paper_id: str) -> Paper:
        found = library.get(paper_id)
        assert found is not None, paper_id
        return found

    return by_id
