"""Facets of results kept to a state filter count only the papers kept (`is:starred` lists the
starred papers' authors, years and venues), on a real slice of the ACL Anthology."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import acl_slice
from tuireader.app.annotating import kept_by_state
from tuireader.corpus.library import load_library
from tuireader.index import SearchEngine
from tuireader.state import PaperState, split_state_terms


def test_facets_count_only_the_starred_papers(tmp_path: Path) -> None:
    library = load_library([acl_slice(tmp_path, 400)], cache=False)
    starred = [paper for paper in library.papers[::37] if paper.authors][:5]
    states = {paper.id: PaperState(starred=True) for paper in starred}
    _, state_filter = split_state_terms("is:starred")
    with SearchEngine.open(library, cache_dir=tmp_path / "index") as engine:
        assert engine.wait_until_ready(60)
        everything = engine.search("", limit=None)
    kept = kept_by_state(everything, states, state_filter, library)
    assert sorted(kept.ids) == sorted(paper.id for paper in starred)
    assert sum(count for _, count in kept.year_facets) == len(starred)
    authors = {person.key for person, _ in kept.author_facets}
    wrote = {person.key for paper in starred for person in library.people.people_of(paper)}
    assert authors == wrote
    assert sum(count for _, count in everything.year_facets) == len(library.papers)

    # Without the library the ids are kept but the facets still count every match.
    unchanged = kept_by_state(everything, states, state_filter)
    assert unchanged.total == len(starred) and unchanged.year_facets == everything.year_facets
