"""A snapshot opens by reading its table only: papers (facts and records as written) are read from
the file when first asked for, each checked against its own checksum."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import acl_slice
from tuireader.corpus.cache import default_folder
from tuireader.corpus.library import load_library
from tuireader.corpus.snapshot import PaperTable, SnapshotDamaged


def _snapshot_of() -> Path:
    return max(default_folder().glob("*.library"), key=lambda path: path.stat().st_size)


def test_records_as_written_come_back_from_the_snapshot(tmp_path):
    library_file = acl_slice(tmp_path, 200)
    fresh = load_library([library_file], cache=False)
    load_library([library_file])
    kept = load_library([library_file])
    assert isinstance(kept.papers, PaperTable)
    assert all(paper.records for paper in fresh.papers)
    for ours, theirs in zip(kept.papers, fresh.papers, strict=True):
        assert ours.records == theirs.records
        assert ours == theirs and ours.id == theirs.id


def test_opening_reads_less_than_the_papers(tmp_path):
    library_file = acl_slice(tmp_path, 200)
    load_library([library_file])
    snapshot = _snapshot_of()
    size = snapshot.stat().st_size
    kept = load_library([library_file])
    assert isinstance(kept.papers, PaperTable)
    # The last paper ends where the table begins: everything before it is papers, not yet read.
    assert kept.papers._starts[-1] > size // 2
    assert all(paper is None for paper in kept.papers._papers)


def test_a_damaged_paper_is_told_and_the_library_is_read_again(tmp_path):
    library_file = acl_slice(tmp_path, 200)
    expected = load_library([library_file], cache=False)
    load_library([library_file])
    snapshot = _snapshot_of()
    kept = load_library([library_file])
    assert isinstance(kept.papers, PaperTable)
    middle = (kept.papers._starts[100] + kept.papers._starts[101]) // 2
    with snapshot.open("r+b") as stream:  # damage inside paper 100, as a failing disk would
        stream.seek(middle)
        byte = stream.read(1)
        stream.seek(middle)
        stream.write(bytes([byte[0] ^ 0xFF]))
    assert kept.papers[99] == expected.papers[99]
    with pytest.raises(SnapshotDamaged, match="damaged"):
        kept.papers[100]
    assert not snapshot.exists()  # so the next start reads the library files again
    again = load_library([library_file])
    assert list(again.papers) == list(expected.papers)
