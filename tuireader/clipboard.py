"""Copying text where the user is: through the terminal (OSC 52) and to the system clipboard.

Two routes, tried together, each reported for what it is known to have done:

* **terminal** — an OSC 52 escape sequence asks the terminal emulator itself to set the clipboard.
  It works over SSH and inside tmux (with `set-clipboard on`), where no local clipboard exists.
  The caller passes how to send it: in the app, Textual's `App.copy_to_clipboard`; on the
  command line, `terminal_route()` writes it to whichever of stdout/stderr is a terminal. A
  terminal never answers the sequence, and many ignore it, so this route can only ever be "sent to
  the terminal", never "copied".
* **system clipboard** — pyperclip, which drives pbcopy, xclip, xsel, wl-copy or Windows' API.
  Before it is tried, `system_clipboard_problem()` checks that a display server and a tool exist;
  then pyperclip runs in a child process with a time limit, because xclip can block for a long
  time on an X server that has gone away (a dead SSH forward), and a blocked call inside this
  process could never be abandoned cleanly. pyperclip does not look at how its tools end: xclip
  with no X server to talk to prints an error and exits 1, and pyperclip returns as if all went
  well. So the child watches every process pyperclip starts, and a copy counts only when each
  ended with status 0 and printed no error.

Nothing here raises: every failure becomes a line in the `CopyReport`. The system route can take
up to `timeout` seconds when a display server does not answer, so an event loop should call
`copy_to_clipboard` from a worker thread (passing a terminal route that hops back to the loop).
"""

from __future__ import annotations

import base64
import contextlib
import functools
import importlib.util
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

TERMINAL = "terminal"
SYSTEM_CLIPBOARD = "system clipboard"
DEFAULT_TIMEOUT = 3.0

# Run in a child interpreter. Its stdout is pointed at /dev/null and its stderr at an unnamed file
# before pyperclip starts xclip or wl-copy: those stay in the background serving the clipboard, and
# must not hold a pipe the parent reads, while whatever they print on the way is still caught.
# `subprocess.Popen` is replaced by a subclass that remembers each process, because pyperclip
# drops the exit status. The report goes through a private duplicate, which is not inherited.
_SYSTEM_COPY_PROGRAM = """
import os, subprocess, sys, tempfile
report = os.fdopen(os.dup(1), "w", encoding="utf-8")
said = tempfile.TemporaryFile()
quiet = os.open(os.devnull, os.O_WRONLY)
os.dup2(quiet, 1)
os.dup2(said.fileno(), 2)
started = []

class Watched(subprocess.Popen):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        started.append(self)

subprocess.Popen = Watched

def fail(reason):
    report.write(reason)
    report.flush()
    sys.exit(1)

def program(process):
    args = process.args
    first = args[0] if isinstance(args, (list, tuple)) else args
    return os.path.basename(os.fsdecode(first))

text = sys.stdin.buffer.read().decode("utf-8")
try:
    import pyperclip
    pyperclip.copy(text)
except Exception as error:
    fail(type(error).__name__ + ": " + str(error))
said.seek(0)
lines = [line.strip() for line in said.read().decode("utf-8", "replace").splitlines()]
first_line = next((line for line in lines if line), "")
name = program(started[-1]) if started else "pyperclip"
for process in started:
    status = process.wait()
    if status != 0:
        name = program(process)
        ending = f"killed by signal {-status}" if status < 0 else f"exit status {status}"
        fail(f"{name} failed ({ending})" + (f": {first_line}" if first_line else ""))
if first_line:
    fail(f"{name} reported an error: {first_line}")
"""

# A reason is one line of a message; a tool may print a whole paragraph.
MAX_REASON = 200


@dataclass(frozen=True, slots=True)
class CopyReport:
    """What was copied and where to, what was only sent to the terminal, and why the rest failed."""

    what: str
    copied_by: tuple[str, ...] = ()  # routes that confirmed the copy
    sent_to_terminal: bool = False  # OSC 52 went out; no terminal ever says whether it obeyed
    problems: tuple[tuple[str, str], ...] = ()  # (route, reason)

    @property
    def copied(self) -> bool:
        """True when a route confirmed the copy; OSC 52 alone never does."""
        return bool(self.copied_by)

    @property
    def sent(self) -> bool:
        """True when the text went somewhere, confirmed or not."""
        return self.copied or self.sent_to_terminal

    @property
    def message(self) -> str:
        """One line: `Copied … (system clipboard)`, `Sent … to the terminal (OSC 52)`, or
        `Could not copy …`, followed by why each route that failed did."""
        reasons = "; ".join(f"{route}: {reason}" for route, reason in self.problems)
        if self.copied:
            head = f"Copied {self.what} ({' + '.join(self.copied_by)})"
            if self.sent_to_terminal:
                head += "; also sent to the terminal (OSC 52)"
        elif self.sent_to_terminal:
            head = f"Sent {self.what} to the terminal (OSC 52)"
        else:
            return f"Could not copy {self.what} — {reasons or 'no route to a clipboard was tried'}"
        return f"{head} — {reasons}" if reasons else head


def osc52_sequence(text: str) -> str:
    """The escape sequence that asks a terminal to put `text` on the clipboard."""
    payload = base64.b64encode(text.encode("utf-8", errors="replace")).decode("ascii")
    return f"\x1b]52;c;{payload}\a"


def terminal_route(
    streams: tuple[TextIO, ...] | None = None,
) -> Callable[[str], None] | None:
    """For the command line: OSC 52 written to stdout or stderr, whichever is a terminal first;
    None when neither is (a pipe or a file must never receive escape sequences)."""
    candidates = streams if streams is not None else (sys.stdout, sys.stderr)
    stream = next((stream for stream in candidates if _is_terminal(stream)), None)
    return None if stream is None else functools.partial(_write_osc52, stream)


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError, OSError):
        return False


def _write_osc52(stream: TextIO, text: str) -> None:
    stream.write(osc52_sequence(text))
    stream.flush()


def _is_wsl() -> bool:
    try:
        return "microsoft" in Path("/proc/version").read_text(encoding="utf-8", errors="replace").lower()
    except OSError:
        return False


def _has_any(*programs: str) -> bool:
    return any(shutil.which(program) for program in programs)


def _has_qt_binding() -> bool:
    return any(importlib.util.find_spec(name) is not None for name in ("qtpy", "PyQt5"))


def system_clipboard_problem() -> str | None:
    """Why pyperclip cannot reach a clipboard here, or None when it should (mirrors its choices)."""
    if sys.platform in ("win32", "cygwin"):
        return None
    if sys.platform == "darwin":
        return None if _has_any("pbcopy") else "pbcopy not found"
    if _is_wsl():
        return None if _has_any("clip.exe") else "clip.exe not found"
    wayland, x11 = os.environ.get("WAYLAND_DISPLAY"), os.environ.get("DISPLAY")
    if not wayland and not x11:
        return "no display server (DISPLAY and WAYLAND_DISPLAY are not set)"
    if wayland and shutil.which("wl-copy") and shutil.which("wl-paste"):
        return None
    if x11 and (
        _has_any("xclip", "xsel") or (_has_any("klipper") and _has_any("qdbus")) or _has_qt_binding()
    ):
        return None
    return "no clipboard tool found (install wl-clipboard, xclip or xsel)"


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Kill the child and everything it started (its own session), then reap it."""
    with contextlib.suppress(OSError):
        if os.name == "posix":
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        process.communicate(timeout=1)


def copy_to_system_clipboard(text: str, *, timeout: float = DEFAULT_TIMEOUT) -> str | None:
    """Put `text` on the system clipboard. None on success, otherwise the reason it failed."""
    problem = system_clipboard_problem()
    if problem is not None:
        return problem
    try:
        process = subprocess.Popen(
            [sys.executable, "-P", "-c", _SYSTEM_COPY_PROGRAM],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            start_new_session=os.name == "posix",
        )
    except OSError as error:
        return f"could not start the copy: {error.strerror or error}"
    try:
        output, _ = process.communicate(text.encode("utf-8", errors="replace"), timeout=timeout)
    except subprocess.TimeoutExpired:
        _stop(process)
        return f"no answer within {timeout:g} s (is the display server reachable?)"
    if process.returncode == 0:
        return None
    reason = output.decode("utf-8", errors="replace").strip()
    if reason.startswith("PyperclipException") and "could not find a copy/paste mechanism" in reason:
        return "no clipboard tool found (install wl-clipboard, xclip or xsel)"
    return _one_line(reason) or f"the copy failed (exit status {process.returncode})"


def _one_line(reason: str) -> str:
    line = next((line.strip() for line in reason.splitlines() if line.strip()), "")
    return line if len(line) <= MAX_REASON else line[: MAX_REASON - 1] + "…"


def copy_to_clipboard(
    text: str,
    *,
    what: str = "text",
    terminal: Callable[[str], None] | None = None,
    system: bool = True,
    timeout: float = DEFAULT_TIMEOUT,
) -> CopyReport:
    """Copy `text` by every route available and report what each did; never raises, never hangs
    for longer than about `timeout` seconds.

    `what` names the copy in the message (`APA citation of “…”`). `terminal` sends OSC 52 — in
    the app `app.copy_to_clipboard`, on the command line `terminal_route()`; None skips it.
    """
    copied_by: list[str] = []
    sent_to_terminal = False
    problems: list[tuple[str, str]] = []
    if terminal is not None:
        try:
            terminal(text)
            sent_to_terminal = True
        except Exception as error:  # a closed stream or a stopped app must not lose the other route
            problems.append((TERMINAL, _one_line(str(error)) or type(error).__name__))
    if system:
        try:
            reason = copy_to_system_clipboard(text, timeout=timeout)
        except Exception as error:  # whatever goes wrong, the user gets a report, not a traceback
            reason = _one_line(str(error)) or type(error).__name__
        if reason is None:
            copied_by.append(SYSTEM_CLIPBOARD)
        else:
            problems.append((SYSTEM_CLIPBOARD, reason))
    if terminal is None and not copied_by:
        # Said only when it matters: with no terminal to talk to, the terminal route was not tried.
        problems.insert(0, (TERMINAL, "output is not a terminal"))
    return CopyReport(what, tuple(copied_by), sent_to_terminal, tuple(problems))
