"""The installed `tuireader` in a real terminal (tmux): open libraries, type searches, read the screen.

Every wait is for a whole condition on one captured screen (the count and the abstract together,
say), never the first line that matches: the status line is drawn a frame before the abstract, and
on a loaded machine frames arrive late.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import acl_slice

TUIREADER = Path(sys.executable).parent / "tuireader"
TMUX = ("tmux", "-L", f"tuireader-test-{os.getpid()}")  # a server of our own, shared with nobody
PATIENCE = 180.0  # seconds before a missing screen fails the test: a hang, not a slow machine

if shutil.which("tmux") is None:
    if os.environ.get("CI"):
        raise RuntimeError("tmux is required for the end-to-end tests; .ci/run installs it")
    pytest.skip("tmux is not installed", allow_module_level=True)


def _screen(session: str) -> str:
    return subprocess.run(
        [*TMUX, "capture-pane", "-p", "-t", session], capture_output=True, text=True, check=True
    ).stdout


def _wait_until(session: str, condition: Callable[[str], bool], what: str) -> str:
    deadline = time.monotonic() + PATIENCE
    screen = ""
    while time.monotonic() < deadline:
        screen = _screen(session)
        if condition(screen):
            return screen
        time.sleep(0.2)
    raise AssertionError(f"never saw {what}; the screen was:\n{screen}")


def _showing(*texts: str, absent: tuple[str, ...] = ()) -> Callable[[str], bool]:
    return lambda screen: all(t in screen for t in texts) and not any(t in screen for t in absent)


def _keys(session: str, *keys: str, literal: bool = False) -> None:
    subprocess.run([*TMUX, "send-keys", "-t", session, *(["-l"] if literal else []), *keys], check=True)


def _ended(session: str) -> bool:
    return subprocess.run([*TMUX, "has-session", "-t", session], capture_output=True).returncode != 0


def _quit(session: str) -> None:
    _keys(session, "Escape")
    time.sleep(0.5)  # Esc followed at once by q would arrive as Alt+Q
    _keys(session, "q")
    deadline = time.monotonic() + PATIENCE
    while not _ended(session):
        if time.monotonic() > deadline:
            raise AssertionError(f"q did not quit the reader; the screen was:\n{_screen(session)}")
        time.sleep(0.1)


@pytest.fixture
def start(isolated_user_dirs: Path) -> Iterator[Callable[..., str]]:
    """Starts the reader on the given paths in a new tmux session, with the test's own folders."""
    env = " ".join(
        f"{key}={isolated_user_dirs / folder}"
        for key, folder in (
            ("XDG_CACHE_HOME", "cache"),
            ("XDG_CONFIG_HOME", "config"),
            ("XDG_DATA_HOME", "data"),
            ("XDG_STATE_HOME", "state"),
        )
    )

    def started(*paths: str) -> str:
        name = f"tuireader-test-{uuid.uuid4().hex[:8]}"
        command = " ".join([f"env {env} TERM=xterm-256color {TUIREADER}", *paths])
        subprocess.run([*TMUX, "new-session", "-d", "-s", name, "-x", "140", "-y", "40", command], check=True)
        return name

    try:
        yield started
    finally:
        subprocess.run([*TMUX, "kill-server"], capture_output=True)


def _cli_search(library: Path, query: str) -> dict[str, object]:
    result = subprocess.run(
        [str(TUIREADER), "--corpus", str(library), "search", "--json", "--limit", "1", query],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_search_in_a_real_terminal(start: Callable[..., str]) -> None:
    # Some tmux servers keep new detached windows at 80x24: every check below fits that width.
    session = start()
    _wait_until(
        session,
        _showing("18 of 18 papers", "Forecasting Rare Language", absent=("Indexing",)),
        "the bundled corpus listed, with its index ready",
    )
    _keys(session, "/")
    _keys(session, "jailbreak", literal=True)
    screen = _wait_until(
        session,
        _showing("2 of 18 papers", "Constitutional Classifiers", "Jailbreak Defense in a Narrow"),
        "the two jailbreak papers",
    )
    assert "Forecasting Rare Language" not in screen
    _quit(session)


def test_a_real_library_opens_cold_and_searches(start: Callable[..., str], tmp_path: Path) -> None:
    library = acl_slice(tmp_path, 2_000)
    session = start(str(library))
    # The first entry of the file (a proceedings volume, named by its editors) listed and shown in
    # the abstract pane, and the index ready.
    _wait_until(
        session,
        _showing("2,000 of 2,000 papers from 1 file", "(editors)", absent=("Indexing",)),
        "the library listed with the first paper's details, and the index ready",
    )
    found = _cli_search(library, "machine translation")
    total, top_title = found["total"], found["results"][0]["title"]
    _keys(session, "/")
    _keys(session, "machine translation", literal=True)
    screen = _wait_until(
        session,
        lambda screen: f"{total:,} of 2,000 papers" in screen and screen.count(top_title[:20]) >= 2,
        f"{total} results, the best one highlighted in the list and shown in the abstract pane",
    )
    assert "Search failed" not in screen
    _quit(session)


def test_quitting_while_indexing_is_at_once_and_keeps_the_cache_clean(
    start: Callable[..., str], tmp_path: Path, isolated_user_dirs: Path
) -> None:
    library = acl_slice(tmp_path, 10_000)
    session = start(str(library))
    # The list is there while the index is built.
    _wait_until(
        session,
        lambda screen: (
            "papers from 1 file" in screen and re.search(r"Indexing [\d,]+ papers", screen) is not None
        ),
        "indexing under way",
    )
    _quit(session)
    index_root = isolated_user_dirs / "cache" / "tuireader" / "index"
    leftovers = [path.name for path in index_root.glob("*/*") if path.name.startswith("building-")]
    assert leftovers == []
    # The build's worker processes name their folder, under this test's cache, on their command line.
    children = subprocess.run(["pgrep", "-f", str(index_root)], capture_output=True, text=True)
    assert children.stdout == ""
