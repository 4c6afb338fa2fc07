"""A full build's progress keeps moving while segments are written, and the build is the same
whichever way its papers travel: in worker processes (sent in batches) or in one process."""

from __future__ import annotations

from pathlib import Path

import pytest
from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC

from tests.conftest import acl_slice
from tuireader.corpus.library import load_library
from tuireader.index import build
from tuireader.index.build import INDEX_NAME, build_generation
from tuireader.index.documents import IndexRecord, record_of
from tuireader.index.parallel import _BATCH
from tuireader.index.vocabulary import Vocabulary

PAPERS = 4_500  # two workers get more than one batch each


@pytest.fixture(scope="module")
def records(tmp_path_factory: pytest.TempPathFactory) -> list[IndexRecord]:
    library = load_library([acl_slice(tmp_path_factory.mktemp("acl"), PAPERS)])
    found = [record_of(paper) for paper in library.papers]
    assert len(found) // 2 > _BATCH
    return found


def _contents(
    folder: Path,
) -> tuple[dict[tuple[str, bytes], list[tuple[int, bytes]]], list[dict[str, object]]]:
    """Every term's postings (ids and values), and every document's stored fields."""
    ix = whoosh_index.open_dir(str(folder), indexname=INDEX_NAME)
    with ix.reader() as reader:
        postings = {
            (field, term): list(reader.postings(field, term).all_items())
            for field, term in reader.all_terms()
        }
        return postings, [reader.stored_fields(number) for number in range(reader.doc_count_all())]


def test_progress_moves_while_the_postings_are_written(records: list[IndexRecord], tmp_path: Path) -> None:
    reports: list[tuple[int, int]] = []
    build_generation(tmp_path, records, progress=lambda done, total: reports.append((done, total)), workers=2)
    total = len(records)
    assert {seen for _, seen in reports} == {total}
    done = [value for value, _ in reports]
    assert done == sorted(done)
    assert done[-1] == total
    # Every paper added counts for 60% of it: what lies above that comes from segments written.
    while_writing = {value for value in done if value > total * 0.6}
    assert len(while_writing) >= 3, done


def test_worker_processes_build_what_one_process_builds(
    records: list[IndexRecord], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    in_workers, alone = tmp_path / "workers", tmp_path / "alone"
    in_workers.mkdir()
    alone.mkdir()
    side_in_workers = build_generation(in_workers, records, workers=2)
    monkeypatch.setattr(build, "_SEGMENT_SIZE", 1_000)  # several segments in one process
    side_alone = build_generation(alone, records, workers=1)

    assert len(TOC.read(FileStorage(str(alone)), INDEX_NAME).segments) == -(-len(records) // 1_000)
    assert side_in_workers.hashes == side_alone.hashes == [record.content_hash for record in records]
    vocabularies = [Vocabulary.load(folder) for folder in (in_workers, alone)]
    assert [(v.words, v.stems, v.documents) for v in vocabularies if v is not None] == [
        (vocabularies[1].words, vocabularies[1].stems, vocabularies[1].documents)
    ] * 2
    assert _contents(in_workers) == _contents(alone)
