"""Two processes writing at once, and damaged database files."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

from tuireader.corpus.model import Paper
from tuireader.state import StateStore

WRITES = 150

WRITER = """
import sys
from tuireader.corpus.model import Paper
from tuireader.state import StateStore

path, name, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
sys.stdin.readline()  # both writers start together
with StateStore.open(path) as store:
    shared = Paper(title="Shared", year=2020, citation_key="shared")
    for n in range(count):
        store.set_star(Paper(title=f"{name} {n}", year=2020, citation_key=f"{name}-{n}"))
        store.add_tag(shared, f"{name}-{n}")
print("done")
"""


def test_two_processes_writing_at_once_both_succeed_and_nothing_is_lost(tmp_path):
    path = tmp_path / "state.sqlite3"  # not created yet: the two processes also race to make it
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), name, str(WRITES)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("left", "right")
    ]
    for writer in writers:
        assert writer.stdin is not None
        writer.stdin.write("go\n")
        writer.stdin.flush()
    results = [writer.communicate(timeout=120) for writer in writers]
    for writer, (out, err) in zip(writers, results, strict=True):
        assert writer.returncode == 0, err
        assert out.strip() == "done"
    with StateStore.open(path) as store:
        shared = store.state_of(Paper(title="Shared", year=2020, citation_key="shared"))
        assert shared.tags == {f"{name}-{n}" for name in ("left", "right") for n in range(WRITES)}
        papers = [
            Paper(title=f"{name} {n}", year=2020, citation_key=f"{name}-{n}", id=f"{name}-{n}")
            for name in ("left", "right")
            for n in range(WRITES)
        ]
        states = store.states_for(papers)
        assert len(states) == 2 * WRITES
        assert all(state.starred for state in states.values())


PAPER = Paper(title="Kept", year=2021, citation_key="kept")


def _assert_moved_aside(tmp_path, path, original: bytes):
    store = StateStore.open(path)
    try:
        assert store.notice is not None
        assert "\n" not in store.notice
        assert "damaged" in store.notice
        aside = [
            file
            for file in tmp_path.iterdir()
            if ".damaged-" in file.name and not file.name.endswith(("-wal", "-shm"))
        ]
        assert len(aside) == 1
        assert str(aside[0]) in store.notice
        assert aside[0].read_bytes() == original  # moved, never changed or deleted
        store.set_star(PAPER)  # the fresh database works
        assert store.state_of(PAPER).starred
    finally:
        store.close()
    with StateStore.open(path) as again:
        assert again.notice is None
        assert again.state_of(PAPER).starred


def test_a_file_of_garbage_is_moved_aside_and_a_fresh_database_started(tmp_path):
    path = tmp_path / "state.sqlite3"
    garbage = bytes(range(256)) * 64
    path.write_bytes(garbage)
    _assert_moved_aside(tmp_path, path, garbage)


def test_a_truncated_database_is_moved_aside(tmp_path):
    path = tmp_path / "state.sqlite3"
    with StateStore.open(path) as store:
        papers = [Paper(title=f"Paper {n}", year=2000, citation_key=f"k{n}") for n in range(400)]
        for paper in papers[:50]:
            store.set_note(paper, "a long note " * 50)
    db = sqlite3.connect(path)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.execute("PRAGMA journal_mode = DELETE")  # everything in the main file, no WAL beside it
    db.close()
    data = path.read_bytes()
    truncated = data[: len(data) // 3]
    path.write_bytes(truncated)
    _assert_moved_aside(tmp_path, path, truncated)


def test_a_damaged_page_inside_the_file_is_found(tmp_path):
    path = tmp_path / "state.sqlite3"
    with StateStore.open(path) as store:
        for n in range(200):
            store.set_note(Paper(title=f"Paper {n}", year=2000, citation_key=f"k{n}"), "note " * 100)
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode = DELETE")
    db.close()
    data = bytearray(path.read_bytes())
    page = 4096
    data[page * 3 : page * 3 + 200] = b"\xff" * 200  # a b-tree page header overwritten
    path.write_bytes(bytes(data))
    _assert_moved_aside(tmp_path, path, bytes(data))


def test_an_empty_file_is_simply_a_new_database(tmp_path):
    path = tmp_path / "state.sqlite3"
    path.write_bytes(b"")
    with StateStore.open(path) as store:
        assert store.notice is None
        store.set_star(PAPER)
    assert [file.name for file in tmp_path.iterdir() if "damaged" in file.name] == []
