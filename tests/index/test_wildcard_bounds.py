"""Terms read in place from the segments' files give exactly what Whoosh's own lookups give.

A leading wildcard looks up a few hundred words in every segment; `TermTable` reads the term
table and postings through memory maps instead of Whoosh's lookup. Checked on an index refreshed
in place: several segments, deleted documents, and a segment written by Whoosh itself (which keeps
one-document lists inside the term table)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from whoosh import index as whoosh_index
from whoosh.analysis import StandardAnalyzer
from whoosh.fields import TEXT, Schema
from whoosh.reading import ReaderClosed

from tests.conftest import acl_slice
from tuireader.corpus.library import load_library
from tuireader.index import SearchEngine
from tuireader.index.postings import PostingReader
from tuireader.index.whoosh_internals import TermTable, term_table

PAPERS = 300
REMOVED = (3, 40, 41, 150)


def _edited(text: str) -> str:
    entries = re.split(r"(?m)^(?=@)", text)
    kept = [entry for number, entry in enumerate(entries) if number not in REMOVED]
    added = re.sub(r"^(@\w+\{)([^,]+),", r"\1\2-again,", entries[5], count=1)
    added = added.replace('title = "', 'title = "Zyxwvuting wordings ', 1)
    return "".join(kept) + added


@pytest.fixture(scope="module")
def refreshed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchEngine]:
    folder = tmp_path_factory.mktemp("library")
    bib = acl_slice(folder, PAPERS)
    with SearchEngine.open(load_library([str(bib)], cache=False), cache_dir=folder / "index") as first:
        assert first.action == "built"
    bib.write_text(_edited(bib.read_text(encoding="utf-8")), encoding="utf-8")
    status = bib.stat()
    os.utime(bib, ns=(status.st_atime_ns, status.st_mtime_ns + 2_000_000_000))
    with SearchEngine.open(load_library([str(bib)], cache=False), cache_dir=folder / "index") as engine:
        assert engine.action == "refreshed"
        engine.wait_until_ready()
        yield engine


def _through_whoosh(reader: PostingReader) -> PostingReader:
    """The same reader with every term looked up by Whoosh's own matchers."""
    reader._tables = [None] * len(reader._tables)
    return reader


def test_every_term_reads_the_same_in_place_as_through_whoosh(refreshed: SearchEngine) -> None:
    whoosh_reader = refreshed._searcher.reader()
    deleted = [docnum for docnum, key in enumerate(refreshed._side.keys) if not key]
    in_place = PostingReader(whoosh_reader, deleted=deleted)
    by_whoosh = _through_whoosh(PostingReader(whoosh_reader, deleted=deleted))
    assert len(in_place._tables) > 1 and all(table is not None for table in in_place._tables)
    assert any(in_place._deleted), "the refresh deleted no documents"
    for field_name in ("words", "author", "title", "abstract", "venue", "id", "pairs"):
        terms = sorted({term.decode() for term in whoosh_reader.lexicon(field_name)})
        assert terms, field_name
        for term in [*terms, "absent-term", terms[0] + "x", ""]:
            expected = by_whoosh.postings(field_name, term)
            assert in_place.postings(field_name, term) == expected, (field_name, term)
            assert list(in_place.document_ids(field_name, term)) == list(expected[0]), (field_name, term)
    in_place.clear_cache()  # lists read for their documents first, then with their weights
    for term in [term.decode() for term in whoosh_reader.lexicon("words")]:
        ids = list(in_place.document_ids("words", term))
        expected = by_whoosh.postings("words", term)
        assert (ids, in_place.postings("words", term)) == (list(expected[0]), expected), term
    assert list(map(list, in_place.postings("no such field", "model"))) == [[], []]


@pytest.mark.parametrize(
    "query",
    [
        "*ing",
        "*tion",
        "*s",
        "*ation",
        "lang*",
        "title:*ing",
        "abstract:*ed",
        "author:*son",
        "langauge~",
        "*ings -model",
    ],
)
def test_wildcards_rank_the_same_in_place_as_through_whoosh(refreshed: SearchEngine, query: str) -> None:
    refreshed.clear_caches()
    found = refreshed.search(query, limit=None, with_facets=False)
    postings = refreshed._view.postings
    tables = postings._tables
    try:
        _through_whoosh(postings)
        refreshed.clear_caches()
        expected = refreshed.search(query, limit=None, with_facets=False)
    finally:
        postings._tables = tables
    assert found.total == expected.total
    assert found.total > 0, query
    assert list(found.ids) == list(expected.ids)
    assert [hit.score for hit in found.hits] == [hit.score for hit in expected.hits]
    assert found.terms == expected.terms


@pytest.mark.parametrize("compound", [False, True])
def test_segments_whoosh_writes_read_the_same(tmp_path: Path, compound: bool) -> None:
    """Segments Whoosh writes itself; by default it packs a segment's files into one, whose
    terms are left to Whoosh to read."""
    schema = Schema(body=TEXT(analyzer=StandardAnalyzer(stoplist=None)), name=TEXT(phrase=True))
    created = whoosh_index.create_in(str(tmp_path), schema)
    for batch in (["alpha beta beta", "beta gamma", "delta"], ["alpha epsilon", "zeta zeta zeta"]):
        writer = created.writer(compound=compound)
        for number, text in enumerate(batch):
            writer.add_document(body=text, name=f"person{number} {text}")
        writer.commit(merge=False)
    with created.reader() as reader:
        in_place = PostingReader(reader)
        by_whoosh = _through_whoosh(PostingReader(reader))
        assert len(in_place._tables) == 2
        if compound:
            assert in_place._tables == [None, None]
        else:
            assert all(isinstance(table, TermTable) for table in in_place._tables)
        for field_name in ("body", "name"):
            for term in [t.decode() for t in reader.lexicon(field_name)] + ["absent"]:
                expected = by_whoosh.postings(field_name, term)
                assert in_place.postings(field_name, term) == expected, term
                assert list(in_place.document_ids(field_name, term)) == list(expected[0]), term


def test_a_segment_not_readable_in_place_is_left_to_whoosh() -> None:
    class NotWhoosh3:
        _terms = object()

    assert term_table(NotWhoosh3()) is None


def test_closing_the_engine_lets_go_of_the_files_read_in_place(open_engine, tmp_path: Path) -> None:
    library = load_library()
    engine = open_engine(library, cache_dir=tmp_path)
    assert engine.search("*ing").total > 0
    tables = list(engine._view.postings._tables)
    assert tables and all(isinstance(table, TermTable) for table in tables)
    engine.close()
    assert engine._view.postings._tables == [None] * len(tables)
    assert all(table._table_bytes.closed and table._posting_bytes.closed for table in tables)
    with pytest.raises(ReaderClosed):  # as before: not an answer from files let go of
        engine.search("*tion")
