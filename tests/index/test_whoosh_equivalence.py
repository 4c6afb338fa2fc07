"""The build's shortcuts around Whoosh give exactly what Whoosh itself gives.

The fast term extractor against Whoosh's analyzers, the direct segment writer against Whoosh's
own `IndexWriter`, and the bulk posting reader against Whoosh's matchers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC

from tuireader.corpus.library import Library
from tuireader.index import postings as postings_module
from tuireader.index.analysis import TermExtractor, name_analyzer, text_analyzer
from tuireader.index.build import INDEX_NAME, whoosh_codec
from tuireader.index.documents import DocumentMaker, record_of
from tuireader.index.highlight import Highlighter
from tuireader.index.postings import PostingReader, _read_one_by_one, read_postings
from tuireader.index.schema import paper_schema
from tuireader.index.segments import write_segment

TRICKY = [
    "İstanbul naïve Café SÖREN ǅemal straße",
    "state-of-the-art 3,000 0.38% e.g. U-SOPHISTRY v1.2.3 a*b gen* x.y.",
    "The the THE of a an running runs ran generalization generalizing",
    "",
    "  \t\n ",
    "a b c d e f g",
    "日本語のテキスト and English",
]


def texts(library: Library) -> list[str]:
    found = TRICKY[:]
    for paper in library.papers:
        found += [paper.title or "", paper.abstract.text, paper.venue or ""]
    return found


def test_term_extractor_matches_the_language_analyzer(bundled: Library) -> None:
    analyzer = text_analyzer()
    extractor = TermExtractor()
    for text in texts(bundled):
        expected: dict[str, list[int]] = {}
        for token in analyzer(text, positions=True):
            expected.setdefault(token.text, []).append(token.pos)
        positions, _ = extractor.text_positions(text)
        assert positions == expected, text
        assert [t.term for t in extractor.text_tokens(text)] == [t.text for t in analyzer(text)]


def test_name_extractor_matches_the_name_analyzer(bundled: Library) -> None:
    analyzer = name_analyzer()
    extractor = TermExtractor()
    bylines = [" ; ".join(a.natural_name for a in p.authors) for p in bundled.papers] + TRICKY
    for text in bylines:
        expected: dict[str, list[int]] = {}
        for token in analyzer(text, positions=True):
            expected.setdefault(token.text, []).append(token.pos)
        assert extractor.name_positions(text) == expected, text


def _everything(folder: Path) -> dict[str, object]:
    """Every term's postings (ids, weights, values), stored fields and lengths of an index."""
    ix = whoosh_index.open_dir(str(folder), indexname=INDEX_NAME)
    with ix.reader() as reader:
        postings = {}
        for field_name, term in reader.all_terms():
            matcher = reader.postings(field_name, term)
            items = []
            while matcher.is_active():
                items.append((matcher.id(), matcher.weight(), matcher.value()))
                matcher.next()
            info = reader.term_info(field_name, term)
            statistics = (
                info.weight(),
                info.doc_frequency(),
                info.max_weight(),
                info.min_id(),
                info.max_id(),
            )
            postings[(field_name, term)] = (items, statistics, info.min_length(), info.max_length())
        stored = [reader.stored_fields(d) for d in range(reader.doc_count_all())]
        lengths = {
            name: [reader.doc_field_length(d, name) for d in range(reader.doc_count_all())]
            for name in ("title", "abstract", "author", "venue", "id")
        }
        totals = {name: reader.field_length(name) for name in ("title", "abstract", "author")}
    return {"postings": postings, "stored": stored, "lengths": lengths, "totals": totals}


def written_both_ways(records: list[Any], tmp_path: Path) -> tuple[dict[str, object], dict[str, object]]:
    """Everything in a segment of `records` written by our direct writer, and by Whoosh's own."""
    by_whoosh, direct = tmp_path / "whoosh", tmp_path / "direct"
    by_whoosh.mkdir()
    direct.mkdir()

    ix = whoosh_index.create_in(str(by_whoosh), paper_schema(), indexname=INDEX_NAME)
    writer = ix.writer(codec=whoosh_codec())
    maker = DocumentMaker()
    for record in records:
        writer.add_document(**maker.whoosh_fields(record))
    writer.commit()

    storage = FileStorage(str(direct))
    maker = DocumentMaker()
    segment = write_segment(
        storage, paper_schema(), whoosh_codec(), INDEX_NAME, (maker.analyze(r) for r in records)
    )
    TOC(paper_schema(), [segment], 0).write(storage, INDEX_NAME)
    return _everything(direct), _everything(by_whoosh)


def test_the_direct_segment_writer_writes_what_whoosh_writes(bundled: Library, tmp_path: Path) -> None:
    records = [record_of(paper) for paper in bundled.papers]
    direct, by_whoosh = written_both_ways(records, tmp_path)
    assert direct == by_whoosh


@pytest.mark.parametrize("field_name", ["title", "abstract", "author", "id", "spelling", "key"])
def test_bulk_posting_reads_match_whoosh_matchers(engine, field_name: str) -> None:
    reader = engine._searcher.reader()
    postings = PostingReader(reader)
    terms = [term.decode() for term in reader.lexicon(field_name)]
    assert terms
    for term in terms:
        ids, weights = postings.postings(field_name, term)
        one_by_one = _read_one_by_one(reader.postings(field_name, term))
        assert (list(ids), list(weights)) == one_by_one, term
        bulk = (list(ids), list(weights))
        assert bulk == read_postings(reader.postings(field_name, term))


def test_cached_posting_lists_are_the_same(engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(postings_module, "_CACHE_FROM", 1)
    reader = engine._searcher.reader()
    postings = PostingReader(reader, cache_postings=400)  # small: evictions happen
    for term in [term.decode() for term in reader.lexicon("abstract")]:
        expected = _read_one_by_one(reader.postings("abstract", term))
        for _ in range(2):
            ids, weights = postings.postings("abstract", term)
            assert (list(ids), list(weights)) == expected, term
        assert postings._cached <= 400


def test_searches_answer_the_same_from_the_caches(
    engine, open_engine, bundled: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(postings_module, "_CACHE_FROM", 1)
    caching = open_engine(bundled, cache_dir=tmp_path)
    for query in ["language", "language models", "jail", "title:jailbreak OR neurons", "models -language"]:
        expected = engine.search(query, limit=None)
        for _ in range(2):  # from disk, then from the caches
            found = caching.search(query, limit=None)
            assert list(found.ids) == list(expected.ids), query
            assert [h.score for h in found.hits] == pytest.approx([h.score for h in expected.hits])


def test_highlighting_through_written_forms_finds_what_tokenising_finds(engine, bundled: Library) -> None:
    engine.wait_until_ready()
    fast = engine._highlighter
    assert fast._forms is not None
    slow = Highlighter(TermExtractor())
    tricky = "Models, model.v2 e.g. models* v1.models (models) MODELS-based pre.models models."
    for query in ["models", "language model", "jail", "explain*", "deployment scale", "rlhf"]:
        terms = engine.search(query).terms
        for text in [
            *(p.abstract.text for p in bundled.papers),
            *(p.title or "" for p in bundled.papers),
            tricky,
        ]:
            for field_name in ("title", "abstract"):
                expected = slow.text_spans(text, terms.of(field_name))
                assert fast.text_spans(text, terms.of(field_name)) == expected, (query, text[:40])
