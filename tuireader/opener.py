"""Opening a paper outside the reader: its local file, else its DOI, URL or arXiv page.

The reader runs full-screen in a terminal, so whatever opens the paper must be a program with its
own window. A console browser (lynx, w3m, elinks…) started from here would fight the reader for the
terminal, so one named by `$BROWSER` or registered as the desktop's handler is refused, and the
link is copied instead; so is any launch with no display to show a window on (an SSH session).
Launched programs get a session of their own and no terminal at all (stdin, stdout and stderr go
to /dev/null): even a console handler that slipped past the checks cannot take the terminal.

Everything that decides is a pure function of the paper, the environment and what is on PATH, so
it is tested without a screen; `launch` is the one place a process is started. Nothing here
raises: every outcome is a value the caller reports.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from tuireader.corpus.model import Paper

# Browsers that draw in the terminal they were started from. `www-browser` is Debian's name for
# "the console browser" (x-www-browser is the graphical one).
CONSOLE_BROWSERS = frozenset(
    {
        "lynx",
        "w3m",
        "elinks",
        "links",
        "links2",
        "browsh",
        "carbonyl",
        "cha",
        "chawan",
        "edbrowse",
        "netrik",
        "retawq",
        "www-browser",
        "amfora",
    }
)
# How long a launched opener is watched for a quick failure (no handler, a missing file). Openers
# that hand over to a running program exit well within it; one still running has opened.
WATCH_SECONDS = 1.5

Which = Callable[[str], str | None]


@dataclass(frozen=True, slots=True)
class Target:
    """Something to open: a local file (`is_file`) or a link, and how to name it to the user."""

    location: str
    label: str
    is_file: bool = False


@dataclass(frozen=True, slots=True)
class Choice:
    """What a paper offers: the attached files that exist, those that do not, and its best link."""

    files: tuple[Target, ...]
    missing: tuple[str, ...]
    link: Target | None


@dataclass(frozen=True, slots=True)
class Plan:
    """How to open a target: a command to start, or why not and what to copy instead."""

    target: Target
    argv: tuple[str, ...] = ()
    program: str = ""
    refusal: str = ""  # why it is not opened; the target's location is copied instead

    @property
    def opens(self) -> bool:
        return bool(self.argv)


@dataclass(frozen=True, slots=True)
class Launched:
    """How a launch went: `started` when the program was running or ended well; else `problem`."""

    plan: Plan
    started: bool
    problem: str = ""


# --- the paper's file field ---------------------------------------------------------------------


def _split_unescaped(text: str, separator: str) -> list[str]:
    """`text` split at each `separator` not preceded by a backslash; escapes are kept."""
    parts, current, escaped = [], [], False
    for character in text:
        if escaped:
            current.append("\\" + character)
            escaped = False
        elif character == "\\":
            escaped = True
        elif character == separator:
            parts.append("".join(current))
            current = []
        else:
            current.append(character)
    if escaped:
        current.append("\\")
    parts.append("".join(current))
    return parts


def _unescaped(text: str) -> str:
    # JabRef escapes `:` and `;` (and `\` itself) inside a path; other backslashes are kept as they
    # are, because a Windows path is full of them.
    for escaped, plain in (("\\:", ":"), ("\\;", ";"), ("\\\\", "\\")):
        text = text.replace(escaped, plain)
    return text


def _is_drive(text: str) -> bool:
    return len(text) == 1 and text.isalpha()


def _looks_like_type(text: str) -> bool:
    """A JabRef/Mendeley file type (`PDF`, `application/pdf`), not a path."""
    return bool(text) and len(text) <= 40 and "." not in text and "\\" not in text and " " not in text


def file_paths(field: str) -> list[str]:
    """The paths a BibTeX `file` field lists, in order.

    Understood: JabRef's `description:path:type` (and `:path:PDF`), several joined by `;`, with
    `\\:` and `\\;` escaped; Zotero/Better BibTeX's plain paths joined by `;`; Windows paths with
    a drive letter, escaped or not.
    """
    paths = []
    for entry in _split_unescaped(field, ";"):
        entry = entry.strip()
        if _is_link(_unescaped(entry)):  # a bare link, as Zotero writes one
            paths.append(_unescaped(entry))
            continue
        fields = _split_unescaped(entry, ":")
        if len(fields) == 1:
            path = fields[0]
        elif len(fields) == 2:
            if _is_drive(fields[0]):
                path = fields[0] + ":" + fields[1]
            else:  # `path:type` or `description:path`
                path = fields[0] if _looks_like_type(fields[1]) else fields[1]
        elif len(fields) == 3 and _is_drive(fields[0]) and fields[1][:1] in ("\\", "/"):
            path = fields[0] + ":" + fields[1]  # `C:\\x.pdf:PDF`
        elif len(fields) == 4 and _is_drive(fields[1]):
            path = fields[1] + ":" + fields[2]  # `description:C:\\x.pdf:PDF`
        else:
            path = ":".join(fields[1:-1])  # `description:path:type`; a split link joins again
        path = _unescaped(path).strip()
        if path:
            paths.append(path)
    return paths


def _is_link(path: str) -> bool:
    return path.startswith(("http://", "https://"))


def resolved(path: str, folders: Sequence[Path]) -> Path:
    """A listed path as a file: `~` expanded, `file://` dropped, a relative one found beside the
    library file that lists it (the first folder that has it; the first folder when none does)."""
    if path.startswith("file://"):
        path = path[len("file://") :]
    candidate = Path(path).expanduser()
    if candidate.is_absolute() or not folders:
        return candidate
    for folder in folders:
        if (folder / candidate).exists():
            return folder / candidate
    return folders[0] / candidate


def source_folders(paper: Paper) -> list[Path]:
    """The folders of the library files the paper was read from, in the order read."""
    folders: list[Path] = []
    for source in paper.sources:
        folder = Path(source.path).expanduser().parent
        if folder not in folders:
            folders.append(folder)
    return folders


def best_link(paper: Paper) -> Target | None:
    """The DOI, else the URL, else the arXiv page."""
    if paper.doi:
        doi = paper.doi.strip()
        for prefix in ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "doi:"):
            if doi.lower().startswith(prefix):
                doi = doi[len(prefix) :]
        return Target(f"https://doi.org/{doi}", f"DOI {doi}")
    if paper.url and paper.url.strip():
        return Target(paper.url.strip(), paper.url.strip())
    if paper.arxiv_url:
        return Target(paper.arxiv_url, f"arXiv:{paper.arxiv_id}")
    return None


def choices(paper: Paper) -> Choice:
    """What opening `paper` can show: its existing files first, then its best link."""
    folders = source_folders(paper)
    files: list[Target] = []
    missing: list[str] = []
    links: list[Target] = []
    for listed in file_paths(paper.file or ""):
        if _is_link(listed):
            links.append(Target(listed, listed))
            continue
        path = resolved(listed, folders)
        if path.is_file():
            if all(target.location != str(path) for target in files):
                files.append(Target(str(path), path.name, is_file=True))
        else:
            missing.append(str(path))
    return Choice(tuple(files), tuple(missing), best_link(paper) or (links[0] if links else None))


# --- how to open it -----------------------------------------------------------------------------


def has_display(env: Mapping[str, str], platform: str = sys.platform) -> bool:
    """Whether a window opened now would be seen by the user."""
    if platform == "darwin":
        return not (env.get("SSH_CONNECTION") or env.get("SSH_TTY"))
    if platform in ("win32", "cygwin"):
        return True
    return bool(env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"))


def _program_name(command: str, which: Which) -> str:
    """The program's own name, following a link such as `www-browser` → `/usr/bin/w3m` only when
    the link's name says nothing itself."""
    name = Path(command).name
    if name in CONSOLE_BROWSERS and name != "www-browser":
        return name
    found = which(command)
    if found:
        real = Path(os.path.realpath(found)).name
        if real in CONSOLE_BROWSERS:
            return real
    return name


def browser_command(env: Mapping[str, str], which: Which) -> list[str] | None:
    """`$BROWSER`'s first entry that is installed, split into words (`%s` kept for the link)."""
    for entry in env.get("BROWSER", "").split(os.pathsep):
        try:
            words = shlex.split(entry)
        except ValueError:
            continue
        if words and which(words[0]):
            return words
    return None


def is_console_program(command: str, which: Which) -> bool:
    return _program_name(command, which) in CONSOLE_BROWSERS


def desktop_entry_is_console(name: str, env: Mapping[str, str]) -> bool | None:
    """Whether a .desktop entry runs in a terminal (`Terminal=true`, or a console browser as its
    program); None when the entry cannot be found."""
    home = env.get("XDG_DATA_HOME") or str(Path(env.get("HOME", "~")) / ".local" / "share")
    folders = [home, *(env.get("XDG_DATA_DIRS") or "/usr/local/share:/usr/share").split(":")]
    for folder in folders:
        entry = Path(folder).expanduser() / "applications" / name
        try:
            text = entry.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        for line in text.splitlines():
            key, _, value = line.partition("=")
            if key.strip() == "Terminal" and value.strip().lower() == "true":
                return True
            if key.strip() == "Exec" and value.split() and Path(value.split()[0]).name in CONSOLE_BROWSERS:
                return True
        return False
    return None


def _query(argv: list[str], env: Mapping[str, str]) -> str:
    try:
        done = subprocess.run(
            argv,
            capture_output=True,
            text=True,
            timeout=3,
            env=dict(env),
            stdin=subprocess.DEVNULL,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


def xdg_handler(target: Target, env: Mapping[str, str], which: Which) -> str:
    """The .desktop entry xdg-open would use for `target` ("" when xdg-mime cannot say)."""
    xdg_mime = which("xdg-mime")
    if not xdg_mime:
        return ""
    if target.is_file:
        kind = _query([xdg_mime, "query", "filetype", target.location], env)
    else:
        scheme = target.location.split(":", 1)[0].lower()
        kind = f"x-scheme-handler/{scheme}"
    return _query([xdg_mime, "query", "default", kind], env) if kind else ""


def plan(
    target: Target,
    env: Mapping[str, str] | None = None,
    *,
    platform: str = sys.platform,
    which: Which = shutil.which,
) -> Plan:
    """How to open `target` here: the desktop's opener, or a graphical `$BROWSER` for a link; or,
    when that would show nothing or take over the terminal, why not (the caller copies instead)."""
    env = os.environ if env is None else env
    if not has_display(env, platform):
        return Plan(
            target, refusal="no display to open a window on (DISPLAY and WAYLAND_DISPLAY are not set)"
        )
    browser = None if target.is_file else browser_command(env, which)
    if browser is not None:
        name = _program_name(browser[0], which)
        if name in CONSOLE_BROWSERS:
            return Plan(
                target,
                refusal=f"$BROWSER is {name}, a console browser, which would take over the reader's terminal",
            )
        if any("%s" in word for word in browser):
            argv = [word.replace("%s", target.location) for word in browser]
        else:
            argv = [*browser, target.location]
        return Plan(target, tuple(argv), name)
    if platform == "darwin":
        opener = which("open")
        if opener:
            return Plan(target, (opener, target.location), "open")
        return Plan(target, refusal="the `open` command was not found")
    if platform in ("win32", "cygwin"):
        return Plan(target, refusal="opening files and links is not supported on Windows yet")
    opener = which("xdg-open")
    if not opener:
        return Plan(target, refusal="xdg-open was not found (install xdg-utils)")
    handler = xdg_handler(target, env, which)
    if handler and desktop_entry_is_console(handler, env):
        return Plan(
            target,
            refusal=f"xdg-open would use {handler.removesuffix('.desktop')}, which runs in the terminal",
        )
    shown = f"xdg-open ({handler.removesuffix('.desktop')})" if handler else "xdg-open"
    return Plan(target, (opener, target.location), shown)


def launch(chosen: Plan, env: Mapping[str, str] | None = None, *, watch: float = WATCH_SECONDS) -> Launched:
    """Start the plan's program detached from the reader's terminal, and watch it for `watch`
    seconds: a quick exit with a failure status is reported; a program still running has opened
    (a thread reaps it later). Call it from a worker: it waits."""
    if not chosen.opens:
        return Launched(chosen, False, chosen.refusal)
    try:
        process = subprocess.Popen(
            chosen.argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=os.name == "posix",
            env=None if env is None else dict(env),
            close_fds=True,
        )
    except OSError as error:
        return Launched(chosen, False, f"could not start {chosen.program}: {error.strerror or error}")
    try:
        status = process.wait(timeout=watch)
    except subprocess.TimeoutExpired:
        threading.Thread(target=process.wait, name="opener-reaper", daemon=True).start()
        return Launched(chosen, True)
    if status == 0:
        return Launched(chosen, True)
    return Launched(chosen, False, f"{chosen.program} failed (exit status {status})")
