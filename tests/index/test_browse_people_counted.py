"""The author facet of a list counts the people of its papers as `People.counts` does, though it
sorts by name only those who can be listed."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import acl_slice
from tuireader.corpus.library import load_library
from tuireader.index import browse
from tuireader.index.results import SearchResults


@pytest.mark.parametrize("limit", [1, 7, 100, 10**6])
def test_the_author_facet_is_the_head_of_every_persons_count(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, limit: int
) -> None:
    library = load_library([acl_slice(tmp_path, 2_000)], cache=False)
    monkeypatch.setattr(browse, "FACET_LIMIT", limit)
    papers = list(library.papers)
    every = library.people.counts(papers)
    listed = browse.counted(SearchResults(query="", total=len(papers), ids=[], hits=[]), library, papers)
    assert listed.author_facets == every[:limit]
    # Ties at the last place listed: the people sharing its count are ordered by name too.
    assert limit >= len(every) or every[limit - 1][1] == every[limit][1] or limit == 1
