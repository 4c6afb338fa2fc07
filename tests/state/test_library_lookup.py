"""Reading the state of a library kept encoded finds the same states as matching every paper,
while rebuilding only the papers that have state."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import acl_slice
from tuireader.corpus.library import load_library
from tuireader.corpus.snapshot import PaperTable
from tuireader.state import StateStore


def test_a_libraries_states_are_found_by_key_without_rebuilding_every_paper(tmp_path: Path) -> None:
    library_file = acl_slice(tmp_path, 400)
    fresh = load_library([library_file])
    with StateStore.open(tmp_path / "state.sqlite3") as store:
        for number in (3, 50, 120, 399):
            store.set_star(fresh.papers[number])
        store.add_tag(fresh.papers[50], "to cite")
        kept = load_library([library_file])
        table = kept.papers
        assert isinstance(table, PaperTable)
        found = store.states_for_library(kept)
        assert found == store.states_for(fresh.papers)
        assert len(found) == 4
        assert sum(paper is not None for paper in table._papers) <= 8  # the candidates, not all 400


def test_a_record_found_no_other_way_falls_back_to_matching_every_paper(tmp_path: Path) -> None:
    library_file = acl_slice(tmp_path, 100)
    library = load_library([library_file])
    paper = next(p for p in library.papers if p.doi and p.citation_key)
    with StateStore.open(tmp_path / "state.sqlite3") as store:
        store.set_star(paper)
        renamed = library_file.read_text(encoding="utf-8").replace(
            "{" + str(paper.citation_key) + ",", "{renamed-key,", 1
        )
        library_file.write_text(renamed, encoding="utf-8")
        again = load_library([library_file])
        found = store.states_for_library(again)
        assert found == store.states_for(again.papers)
        assert [paper_id for paper_id, state in found.items() if state.starred] == [
            "renamed-key"
        ] or paper.doi is None
