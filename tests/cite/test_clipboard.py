"""The clipboard chain: OSC 52 through the terminal, pyperclip for the system clipboard, and a
report that says what each did — "copied" only where a copy was confirmed, never by a tool that
failed, and without hanging where no clipboard can be reached."""

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
    CopyReport,
    copy_to_clipboard,
    osc52_sequence,
    terminal_route,
)
from tuireader.clipboard import (
    system_clipboard_problem as problem,
)

posix_only = pytest.mark.skipif(os.name != "posix", reason="fake clipboard tools are shell scripts")


def run_copy(env: dict[str, str], *, timeout_seconds: float = 1.0, limit: float = 60) -> str:
    """Copy in a fresh interpreter with exactly `env`; the message it prints. A copy that hangs
    (a blocked tool, pipes kept open) fails the test through `limit`, the subprocess's timeout."""
    program = textwrap.dedent(
        f"""
        from tuireader.clipboard import copy_to_clipboard
        report = copy_to_clipboard("héllo “world”", what="test text", timeout={timeout_seconds})
        print(report.message)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", program], env=env, capture_output=True, text=True, timeout=limit
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


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
    message = run_copy(bare_environment(tmp_path))
    assert message == (
        "Could not copy test text — terminal: output is not a terminal; "
        "system clipboard: no display server (DISPLAY and WAYLAND_DISPLAY are not set)"
    )


@posix_only
@pytest.mark.skipif(
    any(importlib.util.find_spec(name) for name in ("qtpy", "PyQt5")),
    reason="with a Qt binding installed, pyperclip has a clipboard without any tool",
)
def test_with_a_display_but_no_clipboard_tool_copying_reports_clearly(tmp_path) -> None:
    message = run_copy(bare_environment(tmp_path, DISPLAY=":99", WAYLAND_DISPLAY="wayland-9"))
    assert message.endswith("system clipboard: no clipboard tool found (install wl-clipboard, xclip or xsel)")


@posix_only
def test_a_clipboard_tool_that_never_answers_is_abandoned_after_the_timeout(tmp_path) -> None:
    # xclip blocks like this when DISPLAY names an X server that has gone away (a dead SSH forward).
    fake_tool(tmp_path, "xclip", "exec sleep 60")
    env = bare_environment(tmp_path, DISPLAY=":99")
    env["PATH"] += os.pathsep + folder_of("sleep")
    message = run_copy(env, timeout_seconds=1)
    assert message == (
        "Could not copy test text — terminal: output is not a terminal; "
        "system clipboard: no answer within 1 s (is the display server reachable?)"
    )


@posix_only
def test_a_working_clipboard_tool_receives_the_text_as_utf8(tmp_path) -> None:
    received = tmp_path / "received"
    fake_tool(tmp_path, "xclip", f'cat > "{received}"')
    env = bare_environment(tmp_path, DISPLAY=":99")
    env["PATH"] += os.pathsep + folder_of("cat")
    message = run_copy(env, timeout_seconds=5)
    assert message == "Copied test text (system clipboard)"
    assert received.read_text(encoding="utf-8") == "héllo “world”"


# Each tool pyperclip drives on Linux, and what makes pyperclip choose it.
TOOLS = {
    "xclip": {"DISPLAY": ":99"},
    "xsel": {"DISPLAY": ":99"},
    "wl-copy": {"WAYLAND_DISPLAY": "wayland-9"},
}


def program_path(program: str) -> str:
    found = shutil.which(program)
    if found is None:
        pytest.skip(f"{program} is not installed")
    return found


def tool_environment(tmp_path: Path, tool: str, script: str) -> dict[str, str]:
    """Only the fake `tool` on PATH (scripts name other programs by their full path), and the
    display variable that makes pyperclip pick it."""
    fake_tool(tmp_path, tool, script)
    if tool == "wl-copy":
        fake_tool(tmp_path, "wl-paste", "exit 0")  # pyperclip wants both before choosing wl-copy
    return bare_environment(tmp_path, **TOOLS[tool])


def no_x_server_at_99() -> None:
    if Path("/tmp/.X11-unix/X99").exists():
        pytest.skip("an X server is running on display :99")


@posix_only
def test_a_real_xclip_with_no_x_server_is_reported_as_failed(tmp_path) -> None:
    no_x_server_at_99()
    env = bare_environment(tmp_path, DISPLAY=":99")
    (tmp_path / "bin" / "xclip").symlink_to(program_path("xclip"))
    message = run_copy(env, timeout_seconds=5)
    assert message.startswith(
        "Could not copy test text — terminal: output is not a terminal; "
        "system clipboard: xclip failed (exit status 1): "
    )
    assert ":99" in message  # xclip's own words: "Error: Can't open display: :99"


@posix_only
@pytest.mark.parametrize("tool", list(TOOLS))
@pytest.mark.parametrize(
    ("script", "reason"),
    [
        (
            'echo "cannot reach the clipboard" >&2; exit 1',
            "{tool} failed (exit status 1): cannot reach the clipboard",
        ),
        ("exit 4", "{tool} failed (exit status 4)"),
        ("kill -9 $$", "{tool} failed (killed by signal 9)"),
        (
            'echo "" >&2; echo "  no owner for the selection" >&2',
            "{tool} reported an error: no owner for the selection",
        ),
    ],
    ids=["error-and-status", "status-only", "killed", "error-output-only"],
)
def test_a_failing_clipboard_tool_is_reported_as_failed(tmp_path, tool, script, reason) -> None:
    message = run_copy(tool_environment(tmp_path, tool, script), timeout_seconds=5)
    assert message == (
        "Could not copy test text — terminal: output is not a terminal; "
        f"system clipboard: {reason.format(tool=tool)}"
    )


@posix_only
@pytest.mark.parametrize("tool", list(TOOLS))
def test_a_succeeding_clipboard_tool_is_reported_as_copied(tmp_path, tool) -> None:
    received = tmp_path / "received"
    env = tool_environment(tmp_path, tool, f'exec "{program_path("cat")}" > "{received}"')
    message = run_copy(env, timeout_seconds=5)
    assert message == "Copied test text (system clipboard)"
    assert received.read_text(encoding="utf-8") == "héllo “world”"


# --- `--copy` on the command line -----------------------------------------------------------------


def cite_with_copy(env: dict[str, str], *, terminal_stderr: bool = False) -> tuple[int, str, str]:
    """`tuireader cite muemergent --style key --copy`: exit status, stdout, and stderr, which is
    a pseudo-terminal when `terminal_stderr` (as it is for someone typing the command)."""
    command = [sys.executable, "-m", "tuireader", "cite", "muemergent", "--style", "key", "--copy"]
    if not terminal_stderr:
        result = subprocess.run(
            command, env=env, capture_output=True, text=True, encoding="utf-8", timeout=60
        )
        return result.returncode, result.stdout, result.stderr
    import pty  # POSIX only, like every test that asks for a terminal
    import select

    screen, terminal = pty.openpty()
    try:
        process = subprocess.Popen(
            command, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=terminal
        )
    finally:
        os.close(terminal)
    shown = b""
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            if not select.select([screen], [], [], 1)[0]:
                continue
            try:
                chunk = os.read(screen, 4096)
            except OSError:  # the command has exited and closed its end
                break
            if not chunk:
                break
            shown += chunk
        output = process.communicate(timeout=60)[0]
    finally:
        os.close(screen)
    text = shown.decode("utf-8", errors="replace").replace("\r\n", "\n")
    return process.returncode, output.decode("utf-8"), text


EMERGENT = "citation key of “Emergent Communication of Generalizations”"


@posix_only
def test_cite_copy_exits_nonzero_when_xclip_cannot_reach_an_x_server(tmp_path) -> None:
    no_x_server_at_99()
    env = bare_environment(tmp_path, DISPLAY=":99")
    (tmp_path / "bin" / "xclip").symlink_to(program_path("xclip"))
    status, output, said = cite_with_copy(env)
    assert (status, output) == (3, "muemergent\n")
    assert said.startswith(
        f"tuireader: Could not copy {EMERGENT} — terminal: output is not a terminal; "
        "system clipboard: xclip failed (exit status 1): "
    )


@posix_only
def test_cite_copy_sent_only_to_the_terminal_says_so_and_exits_nonzero(tmp_path) -> None:
    env = tool_environment(tmp_path, "xclip", 'echo "Error: Can\'t open display: :99" >&2; exit 1')
    status, output, shown = cite_with_copy(env, terminal_stderr=True)
    assert (status, output) == (3, "muemergent\n")
    assert osc52_sequence("muemergent") in shown  # the terminal was asked…
    assert (
        f"tuireader: Sent {EMERGENT} to the terminal (OSC 52) — "
        "system clipboard: xclip failed (exit status 1): Error: Can't open display: :99\n"
    ) in shown  # …but no copy is claimed


@posix_only
@pytest.mark.parametrize("terminal_stderr", [False, True], ids=["piped", "terminal"])
def test_cite_copy_confirmed_by_the_system_clipboard_exits_zero(tmp_path, terminal_stderr) -> None:
    received = tmp_path / "received"
    env = tool_environment(tmp_path, "xclip", f'exec "{program_path("cat")}" > "{received}"')
    status, output, said = cite_with_copy(env, terminal_stderr=terminal_stderr)
    assert (status, output) == (0, "muemergent\n")
    assert received.read_text(encoding="utf-8") == "muemergent"
    also = "; also sent to the terminal (OSC 52)" if terminal_stderr else ""
    assert said.endswith(f"tuireader: Copied {EMERGENT} (system clipboard){also}\n")


def test_the_terminal_route_sends_the_text_but_never_claims_a_copy(monkeypatch) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    sent: list[str] = []
    report = copy_to_clipboard("x", what="a key", terminal=sent.append, system=False)
    assert sent == ["x"]
    assert report == CopyReport("a key", (), sent_to_terminal=True)
    assert report.sent and not report.copied  # no terminal ever confirms OSC 52
    assert report.message == "Sent a key to the terminal (OSC 52)"


def test_a_failing_terminal_route_is_reported_and_does_not_raise() -> None:
    def closed(text: str) -> None:
        raise OSError("stream closed")

    report = copy_to_clipboard("x", what="a key", terminal=closed, system=False)
    assert not report.sent
    assert report.message == "Could not copy a key — terminal: stream closed"


def test_both_routes_are_named_when_both_work(monkeypatch) -> None:
    import tuireader.clipboard as clipboard

    monkeypatch.setattr(clipboard, "copy_to_system_clipboard", lambda text, timeout: None)
    report = copy_to_clipboard("x", what="APA citation of “T”", terminal=lambda text: None)
    assert report.copied_by == (SYSTEM_CLIPBOARD,) and report.sent_to_terminal
    assert (
        report.message == "Copied APA citation of “T” (system clipboard); also sent to the terminal (OSC 52)"
    )


def test_a_partial_copy_says_what_failed(monkeypatch) -> None:
    import tuireader.clipboard as clipboard

    monkeypatch.setattr(clipboard, "copy_to_system_clipboard", lambda text, timeout: "no display server")
    report = copy_to_clipboard("x", what="a key", terminal=lambda text: None)
    assert not report.copied
    assert report.message == "Sent a key to the terminal (OSC 52) — system clipboard: no display server"


def test_a_copy_that_raises_is_reported_on_one_line(monkeypatch) -> None:
    import tuireader.clipboard as clipboard

    def broken(text: str, timeout: float) -> None:
        raise RuntimeError("first line\nsecond line")

    monkeypatch.setattr(clipboard, "copy_to_system_clipboard", broken)
    report = copy_to_clipboard("x", what="a key")
    assert not report.copied
    assert (
        report.message
        == "Could not copy a key — terminal: output is not a terminal; system clipboard: first line"
    )


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
