"""An index refreshed in place answers exactly as one built afresh from the same library.

A real .bib file is indexed, then rewritten on disk with a few papers removed, changed and added;
opening it again refreshes the index (deleting and adding only those papers). Every query, filter,
order, facet and related-papers list must then equal a fresh build's, scores included: equal
scores prove that BM25's statistics (document count, document frequencies, average field
lengths) count the live documents only, not the deleted ones still inside the index."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import acl_slice
from tuireader.corpus.library import Library, load_library
from tuireader.index import SORTS, SearchEngine, SearchResults
from tuireader.index.build import open_whoosh
from tuireader.index.documents import content_hash

PAPERS = 400
REMOVED = (10, 50, 51, 200, 333)  # entry numbers in the file
CHANGED = (20, 120, 300)
ADDED_FROM = (5, 7)  # entries copied under a new key


def _entries(text: str) -> list[str]:
    return re.split(r"(?m)^(?=@)", text)


def _edit(text: str) -> str:
    entries = _entries(text)
    edited = []
    for number, entry in enumerate(entries):
        if number in REMOVED:
            continue
        if number in CHANGED:
            entry = entry.replace('title = "', 'title = "Zebra crossings and ', 1)
            entry = entry.replace('abstract = "', 'abstract = "Zebra language, zebra models. ', 1)
        edited.append(entry)
    for number in ADDED_FROM:
        copied = re.sub(r"^(@\w+\{)([^,]+),", r"\1\2-copy,", entries[number], count=1)
        edited.append(copied.replace('title = "', 'title = "Striped ', 1))
    return "".join(edited)


class Pair:
    def __init__(self, refreshed: SearchEngine, fresh: SearchEngine, before: Library, after: Library):
        self.refreshed = refreshed
        self.fresh = fresh
        self.before = before
        self.after = after


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pair]:
    folder = tmp_path_factory.mktemp("library")
    bib = acl_slice(folder, PAPERS)
    before = load_library([str(bib)], cache=False)
    with SearchEngine.open(before, cache_dir=folder / "index") as first:
        assert first.action == "built"

    bib.write_text(_edit(bib.read_text(encoding="utf-8")), encoding="utf-8")
    status = bib.stat()
    os.utime(bib, ns=(status.st_atime_ns, status.st_mtime_ns + 2_000_000_000))
    after = load_library([str(bib)], cache=False)

    refreshed = SearchEngine.open(after, cache_dir=folder / "index")
    fresh = SearchEngine.open(after, cache_dir=folder / "fresh", rebuild=True)
    try:
        assert refreshed.action == "refreshed"
        assert fresh.action == "built"
        yield Pair(refreshed, fresh, before, after)
    finally:
        refreshed.close()
        fresh.close()


def _removed(pair: Pair) -> list[str]:
    return sorted({p.id for p in pair.before.papers} - {p.id for p in pair.after.papers})


def _changed(pair: Pair) -> list[str]:
    return sorted(
        paper.id
        for paper in pair.after.papers
        if (old := pair.before.get(paper.id)) is not None and content_hash(old) != content_hash(paper)
    )


def _author_of(library: Library, paper_ids: list[str]) -> str:
    """An author of one of these papers who has others in `library` too."""
    counts = {person.key: count for person, count in library.people.counts(library.papers)}
    for paper_id in paper_ids:
        paper = library.get(paper_id)
        assert paper is not None
        for person in library.people.people_of(paper):
            if counts.get(person.key, 0) > 1:
                return person.key
    raise AssertionError("no such author in this slice of the library")


@pytest.fixture(scope="module")
def people(pair: Pair) -> dict[str, str]:
    """Authors whose papers were removed or changed, and who have others left."""
    assert len(_removed(pair)) == len(REMOVED) and len(_changed(pair)) == len(CHANGED)
    return {
        "removed": _author_of(pair.before, _removed(pair)),
        "changed": _author_of(pair.before, _changed(pair)),
    }


def _same(refreshed: SearchResults, fresh: SearchResults) -> None:
    assert refreshed.total == fresh.total
    assert list(refreshed.ids) == list(fresh.ids)
    assert "" not in list(refreshed.ids)
    assert [hit.paper_id for hit in refreshed.hits] == [hit.paper_id for hit in fresh.hits]
    for ours, theirs in zip(refreshed.hits, fresh.hits, strict=True):
        assert ours.score == pytest.approx(theirs.score, abs=1e-9, rel=0)
        assert ours.matched_fields == theirs.matched_fields
    assert [(p.key, n) for p, n in refreshed.author_facets] == [(p.key, n) for p, n in fresh.author_facets]
    assert refreshed.year_facets == fresh.year_facets
    assert refreshed.venue_facets == fresh.venue_facets


QUERIES = [
    pytest.param("", {"authors": "removed"}, id="blank, author of a removed paper"),
    pytest.param("", {"authors": "changed"}, id="blank, author of a changed paper"),
    pytest.param("", {"years": (2021, 2021)}, id="blank, one year"),
    pytest.param("", {"years": (None, 2020)}, id="blank, open range"),
    pytest.param("", {}, id="blank"),
    pytest.param("language", {}, id="a word being typed"),
    pytest.param("machine translation ", {}, id="words"),
    pytest.param("zebra", {}, id="a word only the changed papers have"),
    pytest.param("zebra language", {"years": (2020, 2021)}, id="words, filtered"),
    pytest.param('"machine translation"', {}, id="a phrase"),
    pytest.param('title:"language identification"', {}, id="a phrase in titles"),
    pytest.param("translation OR wordnet", {}, id="or"),
    pytest.param("-language year:2020..2021", {}, id="not"),
    pytest.param("transl* author:bojar", {}, id="prefix and field"),
    pytest.param("", {"authors": "removed", "years": (2020, 2021)}, id="blank, two filters"),
]


@pytest.mark.parametrize("sort", SORTS)
@pytest.mark.parametrize(("query", "filters"), QUERIES)
def test_a_refreshed_index_answers_as_a_fresh_one(
    pair: Pair, people: dict[str, str], query: str, filters: dict[str, Any], sort: str
) -> None:
    options = dict(filters)
    if "authors" in options:
        options["authors"] = [people[options["authors"]]]
    refreshed = pair.refreshed.search(query, sort=sort, limit=None, **options)
    fresh = pair.fresh.search(query, sort=sort, limit=None, **options)
    assert fresh.total > 0
    _same(refreshed, fresh)
    first_page = pair.refreshed.search(query, sort=sort, limit=10, **options)
    assert list(first_page.ids[:10]) == list(fresh.ids[:10])  # ranked without the full order


def test_the_refresh_left_deleted_documents_in_the_index(pair: Pair) -> None:
    """What the comparisons above are about: the refreshed index still holds the old versions."""
    assert pair.refreshed.paper_count == pair.fresh.paper_count == len(pair.after.papers)
    with open_whoosh(pair.refreshed.folder).reader() as reader:
        assert reader.doc_count_all() - reader.doc_count() == len(REMOVED) + len(CHANGED)


def test_related_papers_match(pair: Pair) -> None:
    for paper_id in [*_changed(pair), *(p.id for p in pair.after.papers[:40])]:
        refreshed = pair.refreshed.related(paper_id)
        fresh = pair.fresh.related(paper_id)
        assert fresh
        assert [hit.paper_id for hit in refreshed] == [hit.paper_id for hit in fresh]
        for ours, theirs in zip(refreshed, fresh, strict=True):
            assert ours.score == pytest.approx(theirs.score, abs=1e-9, rel=0)
