"""The index on disk: reused, refreshed in place, rebuilt atomically, shared by two processes,
repaired when damaged. Real indexes in temporary folders, no mocks."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest

from tests.conftest import REPO
from tuireader.corpus.library import Library
from tuireader.corpus.model import Paper, StyledText
from tuireader.index.location import IndexHome, library_key


def in_memory(library: Library) -> Library:
    """The same papers without source files: its index is then named by its paper ids."""
    return Library(papers=library.papers)


def from_file(papers: tuple[Paper, ...] | list[Paper]) -> Library:
    """Papers as if read from one file: its index is named by that file, whatever it holds."""
    return Library(papers=tuple(papers), files_read=("library.bib",))


def test_a_second_open_reuses_the_index(open_engine, bundled: Library, tmp_path: Path) -> None:
    first = open_engine(bundled, cache_dir=tmp_path)
    second = open_engine(bundled, cache_dir=tmp_path)
    assert (first.action, second.action) == ("built", "opened")
    assert second.folder == first.folder
    assert list(second.search("jailbreak").ids) == list(first.search("jailbreak").ids)


def test_the_default_location_is_the_user_cache(open_engine, bundled: Library) -> None:
    engine = open_engine(bundled)
    assert Path(os.environ["XDG_CACHE_HOME"]) in engine.folder.parents


def test_only_changed_papers_are_reindexed(open_engine, bundled: Library, tmp_path: Path) -> None:
    library = from_file(bundled.papers)
    open_engine(library, cache_dir=tmp_path)
    papers = list(library.papers)
    papers[0] = replace(papers[0], abstract=StyledText("Zebras forecast rare behaviours."))
    removed = papers.pop(5)
    edited = from_file(papers)
    engine = open_engine(edited, cache_dir=tmp_path)
    assert engine.action == "refreshed"
    assert list(engine.search("zebras").ids) == [papers[0].id]
    assert removed.id not in engine.search("").ids
    assert engine.search("").total == len(papers) == engine.paper_count
    assert engine.search('"deployment scale"').total == 0  # the old abstract of papers[0] is gone
    assert open_engine(edited, cache_dir=tmp_path).action == "opened"


def test_a_big_change_rebuilds_a_new_generation(open_engine, bundled: Library, tmp_path: Path) -> None:
    library = from_file(bundled.papers)
    first = open_engine(library, cache_dir=tmp_path)
    changed = from_file([replace(p, title=f"{p.title} zebra") for p in library.papers])
    second = open_engine(changed, cache_dir=tmp_path)
    assert second.action == "built" and second.folder != first.folder
    assert not first.folder.exists()  # the old generation is cleaned up
    assert second.search("zebra").total == len(library.papers)
    assert first.search("jailbreak").total == 2  # a process still using the old one is unharmed


@pytest.mark.parametrize("damage", ["segments", "table of contents", "side file", "pointer", "format"])
def test_a_damaged_index_is_repaired(open_engine, bundled: Library, tmp_path: Path, damage: str) -> None:
    engine = open_engine(bundled, cache_dir=tmp_path)
    folder = engine.folder
    engine.close()
    if damage == "segments":
        for segment in folder.glob("*.seg"):
            segment.write_bytes(b"\x00garbage" * 100)
    elif damage == "table of contents":
        for toc in folder.glob("*.toc"):
            toc.write_bytes(os.urandom(64))
    elif damage == "side file":
        for side in folder.glob("side-*.bin"):
            side.write_bytes(b"not marshal")
    elif damage == "pointer":
        (folder.parent / "CURRENT").write_text("../../../etc\n")
    else:
        (folder / "format.txt").write_text("some other program's index\n")
    repaired = open_engine(bundled, cache_dir=tmp_path)
    assert repaired.action in ("built", "opened")
    assert sorted(repaired.search("jailbreaks").ids) == ["2501.18837", "wangjailbreak"]
    assert open_engine(bundled, cache_dir=tmp_path).action == "opened"


_OPEN_SCRIPT = textwrap.dedent(
    """
    import sys
    sys.path.insert(0, sys.argv[1])
    from pathlib import Path
    from dataclasses import replace
    from benchmarks.synthetic import synthetic_library
    from tuireader.corpus.library import Library
    from tuireader.corpus.model import Paper, StyledText
    from tuireader.index import SearchEngine

    if __name__ == "__main__":
        library = synthetic_library(int(sys.argv[3]))
        if sys.argv[4] == "edited":
            library = Library(papers=tuple(
                replace(p, abstract=StyledText(p.abstract.text + " zebra")) for p in library.papers
            ))
        def progress(done, total):
            print("progress", done, total, flush=True)
        engine = SearchEngine.open(library, cache_dir=Path(sys.argv[2]), progress=progress)
        print("action", engine.action, flush=True)
        print("found", engine.search("zebra").total, engine.search("").total, flush=True)
    """
)


def _open_in_process(tmp_path: Path, papers: int, variant: str) -> subprocess.Popen[str]:
    script = tmp_path / "open_index.py"
    script.write_text(_OPEN_SCRIPT)
    return subprocess.Popen(
        [sys.executable, str(script), str(REPO), str(tmp_path / "cache"), str(papers), variant],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # so that killing it kills its worker processes too
    )


def test_a_build_killed_midway_leaves_the_previous_index_usable(tmp_path: Path) -> None:
    papers = 2_500  # enough for the build to run in worker processes
    first = _open_in_process(tmp_path, papers, "original")
    out, err = first.communicate(timeout=120)
    assert "action built" in out, err
    home = IndexHome(next((tmp_path / "cache").iterdir()))
    before = home.current()

    killed = _open_in_process(tmp_path, papers, "edited")  # every paper changed: a full rebuild
    assert killed.stdout is not None
    for line in killed.stdout:
        if line.startswith("progress") and int(line.split()[1]) > 0:
            break
    os.killpg(killed.pid, signal.SIGKILL)
    killed.wait(timeout=30)
    assert home.current() == before
    assert any(p.name.startswith("building-") for p in home.folder.iterdir())

    reopened = _open_in_process(tmp_path, papers, "original")
    out, err = reopened.communicate(timeout=120)
    assert "action opened" in out, err
    assert f"found 0 {papers}" in out
    assert not any(p.name.startswith("building-") for p in home.folder.iterdir())

    rebuilt = _open_in_process(tmp_path, papers, "edited")
    out, err = rebuilt.communicate(timeout=120)
    assert "action built" in out, err
    assert f"found {papers} {papers}" in out


def test_two_processes_at_once_both_work(tmp_path: Path) -> None:
    processes = [_open_in_process(tmp_path, 1_500, "original") for _ in range(2)]
    outputs = []
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        outputs.append(out)
    actions = sorted(
        line.split()[1] for out in outputs for line in out.splitlines() if line.startswith("action")
    )
    assert actions == ["built", "opened"]  # one built it while the other waited, then used it
    assert all("found 0 1500" in out for out in outputs)


def test_library_key_names_the_files_or_the_papers(bundled: Library) -> None:
    assert library_key(bundled) == library_key(bundled)
    assert library_key(bundled) != library_key(in_memory(bundled))
    assert library_key(in_memory(bundled)) != library_key(Library(papers=bundled.papers[1:]))


def test_searching_from_another_thread_while_one_is_abandoned(
    open_engine, bundled: Library, tmp_path: Path
) -> None:
    import threading

    engine = open_engine(bundled, cache_dir=tmp_path)
    expected = sorted(engine.search("language model").ids)
    errors: list[BaseException] = []

    def search_repeatedly() -> None:
        try:
            for _ in range(30):
                assert sorted(engine.search("language model").ids) == expected
                engine.search("jail")
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=search_repeatedly) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
