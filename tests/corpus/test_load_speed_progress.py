"""Progress is reported at most every PROGRESS_INTERVAL, never leaving out a new stage or the end."""

from __future__ import annotations

from pathlib import Path

from tuireader.corpus.files import library_files
from tuireader.corpus.library import PROGRESS_INTERVAL, LoadProgress, _Tracker


def test_progress_is_throttled_but_keeps_new_stages_and_the_end(tmp_path: Path) -> None:
    (tmp_path / "a.bib").write_text("@misc{a, title = {A}}\n" * 100)
    files, _ = library_files([tmp_path])
    now = [0.0]
    seen: list[LoadProgress] = []
    tracker = _Tracker(files, seen.append, clock=lambda: now[0])
    size = files[0].size
    for step in range(100):  # a hundred reports within one interval: only the first is passed on
        tracker.report(files[0].shown, partial=size * step / 200)
    assert len(seen) == 1
    now[0] += PROGRESS_INTERVAL
    tracker.report(files[0].shown, partial=size / 2)
    assert [p.bytes_done for p in seen] == [0, size // 2]
    tracker.report(stage="merging")  # a new stage at once
    tracker.advance(files[0], file_done=True)  # and all of the bytes at once
    assert [p.stage for p in seen] == ["reading", "reading", "merging", "reading"]
    assert (seen[-1].bytes_done, seen[-1].files_done) == (size, 1)
