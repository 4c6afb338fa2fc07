"""The build's lean paths give what the plain ones give: postings held in two-byte arrays widen
when a number needs it, venues analysed once read the same for every paper, and a real library's
long posting lists (many blocks, counts above one) come back from Whoosh as its own writer
wrote them."""

from __future__ import annotations

from pathlib import Path

import pytest
from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC

from tests.conftest import acl_slice
from tests.index.test_whoosh_equivalence import written_both_ways
from tuireader.corpus.library import load_library
from tuireader.index import documents as documents_module
from tuireader.index.build import INDEX_NAME, whoosh_codec
from tuireader.index.documents import AnalyzedDocument, DocumentMaker, IndexRecord, record_of
from tuireader.index.schema import paper_schema
from tuireader.index.segments import write_segment


@pytest.fixture(scope="module")
def acl_records(tmp_path_factory: pytest.TempPathFactory) -> list[IndexRecord]:
    library = load_library([acl_slice(tmp_path_factory.mktemp("acl"), 1200)])
    return [record_of(paper) for paper in library.papers]


def test_a_real_library_is_written_as_whoosh_writes_it(
    acl_records: list[IndexRecord], tmp_path: Path
) -> None:
    direct, by_whoosh = written_both_ways(acl_records, tmp_path)
    postings = direct["postings"]
    assert isinstance(postings, dict)
    # The slice exercises what the bundled corpus does not: lists of several blocks, and counts.
    assert max(len(items) for items, *_ in postings.values()) > 3 * 128
    assert any(weight > 1 for items, *_ in postings.values() for _, weight, _ in items)
    assert direct == by_whoosh


def _documents(count: int, heavy: int) -> list[AnalyzedDocument]:
    """`count` small documents, all with year 2020; the first and the last with the word `early`,
    and the `heavy`-th with `word` some 70,000 times (more than two bytes hold)."""
    made = []
    for number in range(count):
        counted: dict[str, dict[str, int]] = {"key": {f"p{number}": 1}, "year": {"2020": 1}}
        if number in (0, count - 1):
            counted["abstract"] = {"early": 2}
        if number == heavy:
            counted["abstract"] = {"early": 1, "word": 70_000}
        lengths = {name: sum(counts.values()) for name, counts in counted.items() if name != "key"}
        made.append(AnalyzedDocument({"key": f"p{number}"}, counted, {}, lengths))
    return made


def _postings(folder: Path, field: str, term: str) -> list[tuple[int, float]]:
    ix = whoosh_index.open_dir(str(folder), indexname=INDEX_NAME)
    with ix.reader() as reader:
        matcher = reader.postings(field, term)
        found = []
        while matcher.is_active():
            found.append((matcher.id(), matcher.weight()))
            matcher.next()
    return found


def _write(folder: Path, documents: list[AnalyzedDocument]) -> None:
    storage = FileStorage(str(folder))
    segment = write_segment(storage, paper_schema(), whoosh_codec(), INDEX_NAME, iter(documents))
    TOC(paper_schema(), [segment], 0).write(storage, INDEX_NAME)


def test_a_count_beyond_two_bytes_is_kept_whole(tmp_path: Path) -> None:
    _write(tmp_path, _documents(10, heavy=5))
    assert _postings(tmp_path, "abstract", "word") == [(5, 70_000.0)]
    # Postings added before the field's numbers widened are kept, in order.
    assert _postings(tmp_path, "abstract", "early") == [(0, 2.0), (5, 1.0), (9, 2.0)]


def test_document_numbers_beyond_two_bytes_are_kept_whole(tmp_path: Path) -> None:
    count = 65_540
    _write(tmp_path, _documents(count, heavy=-1))
    assert [docnum for docnum, _ in _postings(tmp_path, "year", "2020")] == list(range(count))
    assert _postings(tmp_path, "abstract", "early") == [(0, 2.0), (count - 1, 2.0)]


@pytest.mark.parametrize("kept", [documents_module._REPEATED_TEXTS, 2])
def test_a_paper_is_analysed_alike_whatever_came_before(
    acl_records: list[IndexRecord], kept: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(documents_module, "_REPEATED_TEXTS", kept)
    # Some papers whose venue is written as its facet names it: one text, two fields.
    records = acl_records[:300] + [record._replace(venue_name=record.venue) for record in acl_records[:20]]
    assert len({record.venue for record in records}) > 2  # venues recur, and the kept ones change
    maker = DocumentMaker()
    together = [maker.analyze(record) for record in records]
    alone = [DocumentMaker().analyze(record) for record in records]
    assert together == alone
    extractor = DocumentMaker().extractor
    for record, document in zip(records, together, strict=True):
        for field, text, code in (("venue", record.venue, "v"), ("venue_name", record.venue_name, "n")):
            positions, words = extractor.text_positions(text)
            assert {term: count for term, count, _ in document.positional[field]} == {
                term: len(found) for term, found in positions.items()
            }
            assert document.lengths[field] == len(words)
            pairs = document.counted["pairs"]
            assert all(pairs[term] >= 1 for term in extractor.pair_terms(code, words))
