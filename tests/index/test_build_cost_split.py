"""A full build shares its papers among worker processes by their estimated cost, not their
count: the ranges follow the weights, stay contiguous, and the index is the same however the
papers were shared. A library kept in the cache is indexed without rebuilding its records."""

from __future__ import annotations

import itertools
import pickle
from pathlib import Path

import pytest
from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC

from tests.conftest import acl_slice
from tuireader.corpus.library import Library, kept_library, load_library
from tuireader.corpus.snapshot import PaperTable
from tuireader.index import build
from tuireader.index.build import INDEX_NAME, PARALLEL_FROM, _cut, _plan, build_generation
from tuireader.index.documents import (
    DocumentMaker,
    Facts,
    IndexRecord,
    paper_weight,
    record_of,
    record_weight,
)
from tuireader.index.opening import _PaperRecords
from tuireader.index.sidecar import SideData

PAPERS = PARALLEL_FROM + 500


def test_a_cut_gives_each_range_an_equal_share_of_the_weight() -> None:
    # Four heavy papers weigh as much as the forty light ones after them.
    assert _cut([10] * 4 + [1] * 40, 2) == [4, 44]
    assert _cut([1] * 9, 3) == [3, 6, 9]
    # A paper astride a share's end goes where it leaves the nearer total.
    assert _cut([1, 1, 1, 5, 1, 1], 2) == [3, 6]
    assert _cut([1, 1, 5, 1, 1, 1, 1, 1], 2) == [3, 8]


def test_a_cut_never_leaves_a_range_empty() -> None:
    assert _cut([100, 1, 1], 3) == [1, 2, 3]
    assert _cut([1, 1, 100], 3) == [2, 3]  # fewer ranges rather than a worse balance
    assert _cut([5, 5], 4) == [1, 2]
    assert _cut([7], 2) == [1]


def test_a_plan_gives_each_worker_consecutive_equal_segments(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(build, "_SEGMENT_SIZE", 25)
    monkeypatch.setattr(build, "_SEGMENT_MOST", 50)
    weights = [4] * 20 + [1] * 80  # 100 papers: four segments by count, two a worker
    assert _plan(weights, 2) == [
        [range(0, 10), range(10, 20)],  # the heavy papers' segments hold fewer of them
        [range(20, 60), range(60, 100)],
    ]
    assert _plan(weights, 4) == [[range(0, 10)], [range(10, 20)], [range(20, 60)], [range(60, 100)]]
    assert _plan(weights, 1) == [[range(0, 10), range(10, 20), range(20, 60), range(60, 100)]]


def test_a_run_of_light_papers_is_still_cut_into_bounded_segments(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(build, "_SEGMENT_SIZE", 10)
    monkeypatch.setattr(build, "_SEGMENT_MOST", 20)
    weights = [1000] * 2 + [1] * 100
    plan = _plan(weights, 2)
    segments = [segment for part in plan for segment in part]
    assert max(len(segment) for segment in segments) <= 20
    assert sum(map(len, segments)) == len(weights)
    assert all(a.stop == b.start for a, b in itertools.pairwise(segments))
    assert len(plan) == 2


@pytest.fixture(scope="module")
def acl(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return acl_slice(tmp_path_factory.mktemp("acl"), PAPERS)


@pytest.fixture(scope="module")
def records(acl: Path) -> list[IndexRecord]:
    return [record_of(paper) for paper in load_library([acl]).papers]


def _documents(folder: Path) -> list[dict[str, object]]:
    ix = whoosh_index.open_dir(str(folder), indexname=INDEX_NAME)
    with ix.reader() as reader:
        return [reader.stored_fields(number) for number in range(reader.doc_count_all())]


def _segment_sizes(folder: Path) -> list[int]:
    return [segment.doc_count_all() for segment in TOC.read(FileStorage(str(folder)), INDEX_NAME).segments]


def test_uneven_weights_build_the_index_a_count_split_builds(
    records: list[IndexRecord], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(build, "_SEGMENT_SIZE", 1_000)
    by_count, by_weight = tmp_path / "count", tmp_path / "weight"
    by_count.mkdir()
    by_weight.mkdir()
    side_by_count = build_generation(by_count, records, workers=2, weights=[1] * len(records))
    # The first hundred papers weigh as much as all the others: a part, and segments, of their own.
    uneven = [len(records)] * 100 + [1] * (len(records) - 100)
    side_by_weight = build_generation(by_weight, records, workers=2, weights=uneven)

    # As many segments as by count (1,000 papers a segment, two a worker), each a quarter of the weight
    assert _segment_sizes(by_count) == [625, 625, 625, 625]
    assert _segment_sizes(by_weight) == [25, 25, 26, 2424]
    assert side_by_weight.keys == side_by_count.keys == [record.key for record in records]
    assert side_by_weight.hashes == side_by_count.hashes
    assert _documents(by_weight) == _documents(by_count)


def test_weights_must_match_the_papers(records: list[IndexRecord], tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        build_generation(tmp_path, records, workers=2, weights=[1, 2, 3])


def test_a_kept_library_is_indexed_from_what_it_keeps(acl: Path, records: list[IndexRecord]) -> None:
    load_library([acl])  # kept in this test's cache
    kept = kept_library([acl])
    assert kept is not None and isinstance(kept.papers, PaperTable)
    made = _PaperRecords(kept, None)
    assert made[0 : len(made)] == records  # the records as written are not needed
    weights = made.weights()
    assert len(weights) == len(records)
    heaviest = max(range(len(records)), key=weights.__getitem__)
    lightest = min(range(len(records)), key=weights.__getitem__)
    assert record_weight(records[heaviest]) > record_weight(records[lightest])
    # Rebuilt without their records, the papers let go are whole again when asked for.
    assert kept.papers[0].records


def test_a_library_in_memory_is_weighed_like_its_records(acl: Path, records: list[IndexRecord]) -> None:
    library = load_library([acl])
    assert not isinstance(library.papers, PaperTable)
    weights = _PaperRecords(Library(library.papers), None).weights()
    assert weights == [paper_weight(paper) for paper in library.papers]
    for paper, record, weight in zip(library.papers[:200], records, weights, strict=False):
        assert abs(weight - record_weight(record)) <= 3 * len(paper.authors) + 1


def _described(side: SideData) -> dict[str, object]:
    """What a side file holds (its bytes differ with how marshal shares equal values)."""
    described = {name: getattr(side, name) for name in ("keys", "hashes", "years", "venue_names", "venue_of")}
    described |= {
        name: getattr(side, name) for name in ("spellings", "spelling_starts", "spelling_ids", "lengths")
    }
    for name in ("categories", "keywords", "collections"):
        values = getattr(side, name)
        described[name] = (values.names, values.starts, values.ids)
    return described


def test_a_side_extended_at_once_is_the_side_appended_to(records: list[IndexRecord]) -> None:
    maker = DocumentMaker()
    stored = [(record.key, maker.analyze(record).stored["facts"]) for record in records[:300]]
    # Values some papers have and ACL's lack; spellings as lists, as Whoosh's stored fields give them
    spelled = [["Family", "Given", ""], ["Family", "Given", ""], ["", "", "A Group"]]
    stored.append(
        ("x", ("ab", 2001, "Venue", spelled, (1, 2, 3, 4), ("cs.CL", "CS.cl"), ("k",), ("A", "A / B")))
    )
    appended, extended = SideData(), SideData()
    for key, facts in stored:
        appended.append(key, Facts.from_stored(facts))
    extended.extend(stored)
    # In two halves, the second sent to another process as a part's result is
    halves = SideData(), SideData()
    halves[0].extend(stored[:150])
    halves[1].extend(stored[150:])
    halves[0].concatenate(pickle.loads(pickle.dumps(halves[1])))
    assert _described(appended) == _described(extended) == _described(halves[0])
    assert extended.categories.names == ["cs.CL"]
    assert list(extended.doc_spellings(len(stored) - 1))[:2] == [len(extended.spellings) - 2] * 2
