"""Everyone's paper counts, as the palette lists them, counted from the index's side file: the
same people, counts and order as counting every byline with the library's `People`."""

from __future__ import annotations

import marshal
from pathlib import Path

from tuireader.corpus.library import Library
from tuireader.corpus.names import fold
from tuireader.index import SearchEngine
from tuireader.index.facets import Facets
from tuireader.index.sidecar import SideData, sidecar_path


def from_bylines(library: Library) -> list[tuple[str, str, int]]:
    counts = library.people.counts_of_bylines(library.bylines())
    return [(fold(person.name), person.key, count) for person, count in counts]


def listed(counts: list[tuple[str, object, int]]) -> list[tuple[str, str, int]]:
    return [(folded, person.key, count) for folded, person, count in counts]  # type: ignore[attr-defined]


def test_side_file_counts_match_the_bylines(acl: Library, acl_engine: SearchEngine) -> None:
    expected = from_bylines(acl)
    assert len(expected) > 1_000
    assert listed(acl_engine.author_counts()) == expected


def test_bundled_counts_match_the_bylines(bundled: Library, engine: SearchEngine) -> None:
    counts = engine.author_counts()
    assert listed(counts) == from_bylines(bundled)
    assert counts[0][1].name == "Mu, Jesse" and counts[0][2] == 9


def test_side_file_without_folded_names_still_counts(engine: SearchEngine, bundled: Library) -> None:
    folder = engine.folder
    side_files = list(Path(folder).glob("side-*.bin"))
    assert len(side_files) == 1
    generation = int(side_files[0].stem.removeprefix("side-"))
    data = marshal.loads(side_files[0].read_bytes())
    assert len(data["person_folded"]) == len(data["person_keys"])
    del data["person_folded"]  # as written before folded names were kept
    older = folder / "older-side.bin"
    older.write_bytes(marshal.dumps(data))
    side = SideData.load(older, generation)
    assert side is not None and side.person_folded == []
    assert sidecar_path(folder, generation) == side_files[0]
    live = [docnum for docnum, key in enumerate(side.keys) if key]
    assert listed(Facets(side, live).everyone()) == from_bylines(bundled)
