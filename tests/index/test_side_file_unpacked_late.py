"""The side file's content hashes and spellings, which only a refresh or an author filter reads,
are unpacked when first asked for, and are then as saved."""

from __future__ import annotations

import pytest

from tuireader.corpus.names import People
from tuireader.index.documents import Facts
from tuireader.index.sidecar import SideData


def _side() -> SideData:
    documents = [
        ("a", Facts("hash-a", 2020, "ACL", (("Doe", "Jane", ""),), (3, 10, 1, 1))),
        ("", None),
        ("c", Facts("hash-c", 2021, "", (("Roe", "R.", ""), ("Doe", "Jane", "")), (2, 0, 2, 0))),
    ]
    side = SideData.from_facts(documents)
    side.assign_people(People([]))
    return side


def test_hashes_and_spellings_are_unpacked_on_first_use(tmp_path):
    saved = _side()
    path = tmp_path / "side-1.bin"
    saved.save(path, 1)
    loaded = SideData.load(path, 1)
    assert loaded is not None
    assert isinstance(loaded._hashes, bytes) and isinstance(loaded._spellings, bytes)
    assert loaded.keys == ["a", "", "c"]
    assert loaded.hashes == ["hash-a", "", "hash-c"]
    assert loaded.spellings == [("Doe", "Jane", ""), ("Roe", "R.", "")]
    assert loaded.spelling_numbers([]) == []
    assert list(loaded.doc_spellings(2)) == [1, 0]


def test_a_side_file_whose_spellings_disagree_with_its_people_is_refused_when_unpacked(tmp_path):
    side = _side()
    side.spellings.append(("Poe", "E.", ""))  # a spelling nobody was assigned
    path = tmp_path / "side-1.bin"
    side.save(path, 1)
    loaded = SideData.load(path, 1)
    assert loaded is not None
    with pytest.raises(ValueError, match="spellings"):
        _ = loaded.spellings
