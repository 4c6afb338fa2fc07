"""A large file's first read shared out so that the processes finish together: parts cut by the
cost of scanning them, and a child's papers rebuilt while this process evaluates its own run. The
results stay those of one pass."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import acl_slice
from tests.corpus.test_parallel_eval import _assert_same_both_ways, _tricky_entry
from tuireader.corpus import bibtex_evaluation, bibtex_parts
from tuireader.corpus.bibtex_parts import ChildStream, PartFailed, balanced_cut
from tuireader.corpus.files import library_files, read_text
from tuireader.corpus.library import load_library
from tuireader.corpus.readers.bibtex_scan import cut, joined, scan, scan_part

SHORT = "@misc{{s{n}, title = {{Short {n}}}}}\n"
LONG = "@article{{l{n},\n" + "".join(f"  field{i} = {{{{Value {i}}}}},\n" for i in range(12)) + "}}\n"


def _uneven(short: int, long: int) -> str:
    """Few lines per character first, many after: equal sizes would not cost the same to scan."""
    return (
        "% head\n"
        + "".join(SHORT.format(n=n) for n in range(short))
        + "".join(LONG.format(n=n) for n in range(long))
    )


@pytest.mark.parametrize("count", [1, 2, 3, 5])
def test_balanced_parts_keep_every_character_and_count_lines(count: int) -> None:
    text = _uneven(400, 60)
    parts = balanced_cut(text, count)
    assert len(parts) == count
    assert "".join(part for _, part in parts) == text
    lines = text.splitlines()
    for first_line, part in parts:
        assert lines[first_line] == part.splitlines()[0]


def test_balanced_parts_are_of_a_cost_not_of_a_size() -> None:
    text = _uneven(3000, 300)

    def cost(part: str) -> int:
        return len(part) + bibtex_parts._LINE_CHARS * part.count("\n")

    even = [cost(part) for _, part in cut(text, 2)]
    balanced = [cost(part) for _, part in balanced_cut(text, 2)]
    assert max(even) > 1.2 * min(even)  # the file is uneven enough to tell
    assert max(balanced) < 1.1 * min(balanced)


def test_balanced_parts_scan_as_the_whole() -> None:
    text = _uneven(500, 80) + "@article{broken, title = {Never closed\n" + _uneven(100, 10)
    whole = scan(text, "uneven.bib")
    parts = [scan_part(part, "uneven.bib", first_line, None) for first_line, part in balanced_cut(text, 3)]
    parted = joined(parts, "uneven.bib", [])
    assert parted.entries == whole.entries
    assert list(parted.problems) == list(whole.problems)
    assert any("is also used" in problem.message for problem in parted.problems)  # keys across parts


# A child sending its events in small pieces, with pauses between, as a busy one would.
_SENDER = r"""
import marshal, sys, time
out = sys.stdout.buffer
blob = marshal.dumps(list(range(5000)))
message = b"progress 0.500\n" + b"batch %d\n" % len(blob) + blob + b"done %d\n" % len(blob) + blob
for start in range(0, len(message), 4096):
    out.write(message[start:start + 4096]); out.flush(); time.sleep(0.002)
"""


def _sender(code: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE)


def test_a_childs_events_come_whole_however_its_pipe_cuts_them() -> None:
    child = _sender(_SENDER)
    try:
        stream = ChildStream(child)
        events = stream.ready()  # without waiting: what has come, perhaps nothing
        while not stream.finished:
            events += list(stream.rest())
        assert [event for event, _ in events] == ["progress", "batch", "done"]
        assert events[0][1] == 0.5
        assert events[1][1] == events[2][1] and len(events[2][1]) > 4096
    finally:
        child.wait()
        assert child.stdout is not None
        child.stdout.close()


def test_a_child_that_stops_midway_is_a_failed_part() -> None:
    child = _sender(r"import sys; sys.stdout.buffer.write(b'batch 100\nshort'); sys.exit(3)")
    try:
        with pytest.raises(PartFailed):
            list(ChildStream(child).rest())
    finally:
        assert child.stdout is not None
        child.stdout.close()


def _tricky_files(folder: Path) -> list[Path]:
    """Macros, crossref parents and problems across runs (see test_parallel_eval)."""
    main = folder / "main.bib"
    main.write_text("".join(_tricky_entry(number) for number in range(700)) + "@string{later = {Later}}\n")
    other = folder / "other.bib"
    other.write_text("@string{other = {Other}}\n@proceedings{outside1, title = {Outside One}}\n")
    return [main, other]


@pytest.mark.parametrize("own_share", [0.05, 1.0, 1.9])
def test_a_childs_run_rebuilt_early_or_late_gives_one_passs_result(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, own_share: float
) -> None:
    """A short own run takes the child's papers once it has ended; a long one takes them as they
    come, a look between two entries, crossref parents and problems waiting for the run's end."""
    monkeypatch.setattr(bibtex_evaluation, "_OWN_SHARE", own_share)
    monkeypatch.setattr(bibtex_evaluation, "_LOOK_EVERY", 1)
    assert _assert_same_both_ways(_tricky_files(tmp_path), children=1) > 600
    # Batches of a child's run (one per 2,000 entries) arriving while this process evaluates.
    path = acl_slice(tmp_path, 4_500)
    assert _assert_same_both_ways([path], children=1) == 4_500


def test_loading_unfreezes_what_it_froze_and_only_that(tmp_path: Path) -> None:
    path = acl_slice(tmp_path, 300)
    before = gc.get_freeze_count()  # 0, unless a test before this one froze objects
    assert len(load_library([path], cache=False).papers) == 300
    assert gc.get_freeze_count() == before  # nothing left out of later collections
    kept = [object() for _ in range(10)]
    gc.freeze()  # as the reader does with what it made before: loading must leave it frozen
    try:
        frozen = gc.get_freeze_count()
        assert len(load_library([path], cache=False).papers) == 300
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()
    assert kept


def _children_of_this_process() -> list[str]:
    tasks = Path(f"/proc/{os.getpid()}/task")
    return [child for task in tasks.iterdir() for child in (task / "children").read_text().split()]


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="children are listed from /proc")
def test_children_started_for_a_file_that_proves_small_are_stopped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = acl_slice(tmp_path, 200)
    [file], _ = library_files([path])
    whole = scan(read_text(file)[0], file.shown)
    started: list[subprocess.Popen[bytes]] = []
    starting = bibtex_parts._child
    monkeypatch.setattr(bibtex_parts, "_child", lambda: started.append(starting()) or started[-1])
    monkeypatch.setattr(bibtex_parts, "_likely_parted", lambda _: True)  # started before reading
    scanned = bibtex_parts.scan_file(file, children=2)  # its text is below PARALLEL_CHARS
    assert len(started) == 2
    assert all(child.returncode is not None for child in started)
    assert _children_of_this_process() == []
    assert scanned.entries == whole.entries and list(scanned.problems) == list(whole.problems)
