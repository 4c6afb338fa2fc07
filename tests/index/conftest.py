"""An engine over the bundled corpus, built once per test module in its own folder."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.conftest import acl_slice
from tuireader.corpus.library import Library, load_library
from tuireader.index import SearchEngine


@pytest.fixture(scope="module")
def bundled() -> Library:
    return load_library()


@pytest.fixture(scope="module")
def engine(bundled: Library, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchEngine]:
    with SearchEngine.open(bundled, cache_dir=tmp_path_factory.mktemp("index")) as opened:
        yield opened


@pytest.fixture
def open_engine() -> Iterator[Callable[..., SearchEngine]]:
    """`SearchEngine.open`, with every engine closed after the test."""
    engines: list[SearchEngine] = []

    def open_and_remember(library: Library, **options: Any) -> SearchEngine:
        engine = SearchEngine.open(library, **options)
        engines.append(engine)
        return engine

    yield open_and_remember
    for engine in engines:
        engine.close()


@pytest.fixture(scope="session")
def acl(tmp_path_factory: pytest.TempPathFactory) -> Library:
    """A fixed 3,000-entry slice of the ACL Anthology, read once for every test that asks."""
    return load_library([acl_slice(tmp_path_factory.mktemp("acl"), 3_000)], cache=False)


@pytest.fixture(scope="session")
def acl_engine(acl: Library, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchEngine]:
    with SearchEngine.open(acl, cache_dir=tmp_path_factory.mktemp("index")) as opened:
        opened.wait_until_ready()
        yield opened
