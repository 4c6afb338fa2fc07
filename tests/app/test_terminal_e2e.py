"""The installed `tuireader` in a real terminal (tmux): start it, type a search, read the screen."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

TUIREADER = Path(sys.executable).parent / "tuireader"
TMUX = ("tmux", "-L", f"tuireader-test-{os.getpid()}")  # a server of our own, shared with nobody

if shutil.which("tmux") is None:
    if os.environ.get("CI"):
        raise RuntimeError("tmux is required for the end-to-end test; .ci/run installs it")
    pytest.skip("tmux is not installed", allow_module_level=True)


def _screen(session: str) -> str:
    return subprocess.run(
        [*TMUX, "capture-pane", "-p", "-t", session], capture_output=True, text=True, check=True
    ).stdout


def _wait_for(session: str, text: str, timeout: float = 30.0) -> str:
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = _screen(session)
        if text in screen:
            return screen
        time.sleep(0.2)
    raise AssertionError(f"{text!r} never appeared; the screen was:\n{screen}")


@pytest.fixture
def session(isolated_user_dirs: Path):
    name = f"tuireader-test-{uuid.uuid4().hex[:8]}"
    env = " ".join(
        f"{key}={isolated_user_dirs / folder}"
        for key, folder in (
            ("XDG_CACHE_HOME", "cache"),
            ("XDG_CONFIG_HOME", "config"),
            ("XDG_DATA_HOME", "data"),
        )
    )
    command = f"env {env} TERM=xterm-256color {TUIREADER}"
    subprocess.run([*TMUX, "new-session", "-d", "-s", name, "-x", "140", "-y", "40", command], check=True)
    try:
        yield name
    finally:
        subprocess.run([*TMUX, "kill-server"], capture_output=True)


def test_search_in_a_real_terminal(session: str) -> None:
    # Some tmux servers keep new detached windows at 80x24: every check below fits that width.
    screen = _wait_for(session, "18 of 18 papers")
    assert "Forecasting Rare Language" in screen

    subprocess.run([*TMUX, "send-keys", "-t", session, "/"], check=True)
    subprocess.run([*TMUX, "send-keys", "-t", session, "-l", "jailbreak"], check=True)
    screen = _wait_for(session, "2 of 18 papers")
    assert "Constitutional Classifiers" in screen
    assert "Jailbreak Defense in a Narrow" in screen
    assert "Forecasting Rare Language" not in screen

    subprocess.run([*TMUX, "send-keys", "-t", session, "Escape"], check=True)
    time.sleep(0.5)  # Esc followed at once by q would arrive as Alt+Q
    subprocess.run([*TMUX, "send-keys", "-t", session, "q"], check=True)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if subprocess.run([*TMUX, "has-session", "-t", session], capture_output=True).returncode != 0:
            break  # the reader exited, and its tmux session with it
        time.sleep(0.2)
    else:
        raise AssertionError("q did not quit the reader")
