"""Bringing the index of a library kept encoded up to date reads each paper once, for one pass:
the reader is not left holding the whole library rebuilt (hundreds of MiB at 60,000 papers)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import acl_slice
from tuireader.corpus.library import kept_library, load_library
from tuireader.corpus.snapshot import PaperTable
from tuireader.index import SearchEngine

_ADDED = """
@article{added-paper,
  title = {Refreshing a kept library},
  author = {Doe, Jane},
  year = 2024
}
"""


def _rebuilt(table: PaperTable) -> int:
    return sum(paper is not None for paper in table._papers)


def test_a_refresh_keeps_only_the_changed_papers_rebuilt(tmp_path: Path) -> None:
    path = acl_slice(tmp_path, 300)
    load_library([str(path)])  # read, and kept in the cache
    first = kept_library([str(path)], merge=True)
    assert first is not None and isinstance(first.papers, PaperTable)
    SearchEngine.open(first).close()

    with path.open("a", encoding="utf-8") as stream:
        stream.write(_ADDED)
    load_library([str(path)])
    library = kept_library([str(path)], merge=True)
    assert library is not None and isinstance(library.papers, PaperTable)
    engine = SearchEngine.open(library)
    try:
        assert engine.action == "refreshed"
        assert _rebuilt(library.papers) <= 1  # the added paper, made into a record
        assert engine.search("refreshing kept").ids[:1] == ["added-paper"]
    finally:
        engine.close()
