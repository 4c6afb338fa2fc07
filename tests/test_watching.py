"""Noticing changed library files: stamps, what changed, and the follower's loop."""

from __future__ import annotations

import os
import threading
from pathlib import Path

from tuireader.watching import Changes, Follower, changes, library_stamps


def test_stamps_follow_edits_new_files_and_removals(tmp_path: Path) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text("@misc{a, title={A}}\n", encoding="utf-8")
    first = library_stamps([str(tmp_path)])
    assert list(first) == [str(tmp_path / "refs.bib")]
    assert changes(first, library_stamps([str(tmp_path)])) == Changes()

    with bib.open("a", encoding="utf-8") as handle:
        handle.write("@misc{b, title={B}}\n")
    (tmp_path / "more.bib").write_text("@misc{c, title={C}}\n", encoding="utf-8")
    second = library_stamps([str(tmp_path)])
    found = changes(first, second)
    assert found.changed == (str(bib),)
    assert found.added == (str(tmp_path / "more.bib"),)
    assert "refs.bib changed" in found.describe() and "more.bib added" in found.describe()

    (tmp_path / "more.bib").unlink()
    assert changes(second, library_stamps([str(tmp_path)])).removed == (str(tmp_path / "more.bib"),)


def test_same_size_with_a_new_time_is_a_change(tmp_path: Path) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text("@misc{a, title={A}}\n", encoding="utf-8")
    before = library_stamps([str(bib)])
    os.utime(bib, ns=(0, before[str(bib)][1] + 1_000_000))
    assert changes(before, library_stamps([str(bib)])).changed == (str(bib),)


def test_the_bundled_library_has_stamps() -> None:
    assert library_stamps(None)


def test_the_follower_reports_changes_retries_failures_and_stops(tmp_path: Path) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text("one\n", encoding="utf-8")
    seen: list[Changes] = []
    answers = [False, True]  # the first reload fails: the same change is offered again
    called = threading.Event()

    def changed(found: Changes) -> bool:
        seen.append(found)
        called.set()
        return answers.pop(0) if answers else True

    follower = Follower([str(bib)], changed, interval=0.05)
    thread = threading.Thread(target=follower.run)
    thread.start()
    assert follower.started.wait(5)
    try:
        bib.write_text("one\ntwo\n", encoding="utf-8")
        for _ in range(100):
            if len(seen) >= 2:
                break
            called.wait(0.1)
            called.clear()
        assert len(seen) >= 2
        assert seen[0].changed == seen[1].changed == (str(bib),)
        count = len(seen)
        follower.reload_now()  # nothing changed, and still read again
        for _ in range(50):
            if len(seen) > count:
                break
            called.wait(0.1)
        assert seen[-1] == Changes()
    finally:
        follower.stop()
        thread.join(2)
    assert not thread.is_alive()
