"""The clipboard chain: OSC 52 through the terminal, pyperclip for the system clipboard, and a
report that says which worked — without hanging where no clipboard can be reached."""

from __future__ import annotations

import base64
import importlib.util
import io
import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tuireader.clipboard import (
    SYSTEM_CLIPBOARD,
    TERMINAL,
    CopyReport,
    copy_to_clipboard,
    osc52_sequence,
    terminal_route,
)
from tuireader.clipboard import (
    system_clipboard_problem as problem,
)

posix_only = pytest.mark.skipif(os.name != "posix", reason="fake clipboard tools are shell scripts")


def run_copy(env: dict[str, str], *, timeout_seconds: float = 1.0, limit: float = 20) -> tuple[str, float]:
    """Copy in a fresh interpreter with exactly `env`; the message it prints, and how long it took."""
    program = textwrap.dedent(
        f"""
        from tuireader.clipboard import copy_to_clipboard
        report = copy_to_clipboard("héllo “world”", what="test text", timeout={timeout_seconds})
        print(report.message)
        """
    )
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-c", program], env=env, capture_output=True, text=True, timeout=limit
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip(), time.monotonic() - started


def bare_environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    """No display server, and a PATH holding only `tmp_path/bin` (no xclip, xsel or wl-copy)."""
    (tmp_path / "bin").mkdir(exist_ok=True)
    env = {"PATH": str(tmp_path / "bin"), "HOME": str(tmp_path), "LANG": "C.UTF-8"}
    env.update(extra)
    return env


def folder_of(program: str) -> str:
    """The folder of a system program a fake tool needs, and nothing else from the real PATH."""
    found = shutil.which(program)
    if found is None:
        pytest.skip(f"{program} is not installed")
    return str(Path(found).parent)


def fake_tool(tmp_path: Path, name: str, script: str) -> None:
    tool = tmp_path / "bin" / name
    tool.parent.mkdir(exist_ok=True)
    tool.write_text("#!/bin/sh\n" + script + "\n")
    tool.chmod(0o755)


@posix_only
def test_without_a_display_server_or_a_clipboard_tool_copying_reports_clearly(tmp_path) -> None:
    message, seconds = run_copy(bare_environment(tmp_path))
    assert message == (
        "Could not copy test text — terminal: output is not a terminal; "
        "system clipboard: no display server (DISPLAY and WAYLAND_DISPLAY are not set)"
    )
    assert seconds < 10


@posix_only
@pytest.mark.skipif(
    any(importlib.util.find_spec(name) for name in ("qtpy", "PyQt5")),
    reason="with a Qt binding installed, pyperclip has a clipboard without any tool",
)
def test_with_a_display_but_no_clipboard_tool_copying_reports_clearly(tmp_path) -> None:
    message, _ = run_copy(bare_environment(tmp_path, DISPLAY=":99", WAYLAND_DISPLAY="wayland-9"))
    assert message.endswith("system clipboard: no clipboard tool found (install wl-clipboard, xclip or xsel)")


@posix_only
def test_a_clipboard_tool_that_never_answers_is_abandoned_after_the_timeout(tmp_path) -> None:
    # xclip blocks like this when DISPLAY names an X server that has gone away (a dead SSH forward).
    fake_tool(tmp_path, "xclip", "exec sleep 60")
    env = bare_environment(tmp_path, DISPLAY=":99")
    env["PATH"] += os.pathsep + folder_of("sleep")
    message, seconds = run_copy(env, timeout_seconds=1)
    assert message == (
        "Could not copy test text — terminal: output is not a terminal; "
        "system clipboard: no answer within 1 s (is the display server reachable?)"
    )
    assert seconds < 10  # and the blocked tool did not keep the pipes open either


@posix_only
def test_a_working_clipboard_tool_receives_the_text_as_utf8(tmp_path) -> None:
    received = tmp_path / "received"
    fake_tool(tmp_path, "xclip", f'cat > "{received}"')
    env = bare_environment(tmp_path, DISPLAY=":99")
    env["PATH"] += os.pathsep + folder_of("cat")
    message, _ = run_copy(env, timeout_seconds=5)
    assert message == "Copied test text (system clipboard)"
    assert received.read_text(encoding="utf-8") == "héllo “world”"


def test_the_terminal_route_sends_the_text(monkeypatch) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    sent: list[str] = []
    report = copy_to_clipboard("x", what="a key", terminal=sent.append, system=False)
    assert sent == ["x"]
    assert report == CopyReport("a key", (TERMINAL,), ())
    assert report.copied
    assert report.message == "Copied a key (terminal)"


def test_a_failing_terminal_route_is_reported_and_does_not_raise() -> None:
    def closed(text: str) -> None:
        raise OSError("stream closed")

    report = copy_to_clipboard("x", what="a key", terminal=closed, system=False)
    assert not report.copied
    assert report.message == "Could not copy a key — terminal: stream closed"


def test_both_routes_are_named_when_both_work(monkeypatch) -> None:
    import tuireader.clipboard as clipboard

    monkeypatch.setattr(clipboard, "copy_to_system_clipboard", lambda text, timeout: None)
    report = copy_to_clipboard("x", what="APA citation of “T”", terminal=lambda text: None)
    assert report.routes == (TERMINAL, SYSTEM_CLIPBOARD)
    assert report.message == "Copied APA citation of “T” (terminal + system clipboard)"


def test_a_partial_copy_says_what_failed(monkeypatch) -> None:
    import tuireader.clipboard as clipboard

    monkeypatch.setattr(clipboard, "copy_to_system_clipboard", lambda text, timeout: "no display server")
    report = copy_to_clipboard("x", what="a key", terminal=lambda text: None)
    assert report.message == "Copied a key (terminal) — system clipboard: no display server"


def test_osc52_carries_the_text_in_base64() -> None:
    sequence = osc52_sequence("héllo")
    assert sequence.startswith("\x1b]52;c;") and sequence.endswith("\a")
    assert base64.b64decode(sequence[7:-1]).decode("utf-8") == "héllo"


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_command_line_sends_osc52_only_to_a_terminal() -> None:
    assert terminal_route((io.StringIO(), io.StringIO())) is None
    screen = FakeTerminal()
    route = terminal_route((io.StringIO(), screen))
    assert route is not None
    route("abc")
    assert screen.getvalue() == osc52_sequence("abc")


def test_no_display_is_detected_before_anything_is_started(monkeypatch) -> None:
    if sys.platform in ("darwin", "win32", "cygwin"):
        pytest.skip("display servers are a concern of X11 and Wayland systems")
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setattr("tuireader.clipboard._is_wsl", lambda: False)
    assert problem() == "no display server (DISPLAY and WAYLAND_DISPLAY are not set)"
