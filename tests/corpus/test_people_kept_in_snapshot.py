"""A library opened from its snapshot has its people as they were grouped when it was written:
the same person for every spelling, the same counts, the same answers to a typed name, without
grouping the bylines again."""

from __future__ import annotations

from tests.conftest import acl_slice
from tuireader.corpus.library import load_library
from tuireader.corpus.snapshot import PaperTable


def test_people_from_the_snapshot_are_the_people_grouped(tmp_path):
    library_file = acl_slice(tmp_path, 1_500)
    fresh = load_library([library_file], cache=False)
    load_library([library_file])
    kept = load_library([library_file])
    assert isinstance(kept.papers, PaperTable)
    people = kept.people
    grouped = fresh.people
    spellings = {author for byline in fresh.bylines() for author in byline}
    assert len(spellings) > 2_000
    assert all(people.person(author) == grouped.person(author) for author in spellings)
    merged = [author for author in spellings if grouped.person(author).name != author.display_name]
    assert merged  # some spellings are named by a fuller form: the grouping itself was kept
    assert people.counts_of_bylines(kept.bylines()) == grouped.counts_of_bylines(fresh.bylines())
    for name in ("Goodman", "Smith, Noah", "Noah A. Smith", "Zhang", "nobody such"):
        assert people.find(name) == grouped.find(name)
    assert all(paper is None for paper in kept.papers._papers)  # no paper rebuilt for it
