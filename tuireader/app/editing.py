"""Editing a paper's entry where it was read: the library file in `$EDITOR`, at the entry's line.

The reader suspends itself while the editor runs, and the change comes back the way any change
to a library file does, through the file follower. Only plain-text sources are offered: a JSON
export (Zotero's CSL JSON, arXiv metadata) or a compressed file is better changed with the program
that made it, and an editor opened at a line of one would mislead.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import SuspendNotSupported

from tuireader.corpus.model import Paper, Source

if TYPE_CHECKING:
    from tuireader.app.app import ReaderApp

PACKED_SUFFIXES = (".gz", ".bz2", ".xz", ".zst", ".zip")
# Editors that take the line as `+N` before the file, and those that take `file:N`.
PLUS_LINE = frozenset(
    {
        "vi",
        "vim",
        "nvim",
        "gvim",
        "view",
        "nano",
        "pico",
        "emacs",
        "emacsclient",
        "micro",
        "kak",
        "joe",
        "jed",
        "ne",
        "mg",
        "mcedit",
    }
)
COLON_LINE = frozenset({"hx", "helix", "subl", "zed"})
GOTO_LINE = frozenset({"code", "codium", "code-insiders"})


@dataclass(frozen=True, slots=True)
class EditPlace:
    path: Path
    line: int


def _source(paper: Paper) -> Source | None:
    """The BibTeX record's source first (an entry as written), else the first source."""
    for record in paper.records:
        if record.format == "bibtex" and record.source is not None:
            return record.source
    return paper.sources[0] if paper.sources else None


def _head(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(4096)
    except OSError:
        return b""


def edit_place(paper: Paper) -> EditPlace | str:
    """Where to edit `paper`, or why it cannot be edited in a text editor."""
    source = _source(paper)
    if source is None:
        return "the paper's source file is not known"
    path = Path(source.path).expanduser()
    if not path.is_file():
        return f"{source.path} is not a file that can be edited here"
    if path.name.lower().endswith(PACKED_SUFFIXES):
        return f"{source.path} is compressed: unpack it to edit it"
    head = _head(path)
    if b"\0" in head:
        return f"{source.path} is a database (Zotero's, say): change the entry in the program that keeps it"
    if path.suffix.lower() in (".json", ".jsonl", ".ndjson") or head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (
        b"{",
        b"[",
    ):
        return (
            f"{source.path} is a JSON export (Zotero, CSL JSON): change the entry in the program that made it"
        )
    return EditPlace(path, max(source.line, 1))


def editor_command(place: EditPlace, env: Mapping[str, str] | None = None) -> list[str] | str:
    """`$EDITOR` (or `$VISUAL`), split into words, opened at the entry's line where the editor is
    known to take one; why not, when neither is set."""
    env = os.environ if env is None else env
    command = (env.get("EDITOR") or env.get("VISUAL") or "").strip()
    if not command:
        return "neither $EDITOR nor $VISUAL is set"
    try:
        words = shlex.split(command)
    except ValueError as error:
        return f"$EDITOR cannot be read: {error}"
    name = Path(words[0]).name
    path, line = str(place.path), place.line
    if name in PLUS_LINE:
        return [*words, f"+{line}", path]
    if name in COLON_LINE:
        return [*words, f"{path}:{line}"]
    if name in GOTO_LINE:
        return [*words, "--goto", f"{path}:{line}"]
    return [*words, path]


def edit_in_editor(app: ReaderApp, paper: Paper) -> None:
    """Suspend the reader, run the editor on the paper's entry, and say how it went."""
    place = edit_place(paper)
    if isinstance(place, str):
        app.notify(f"Cannot edit this entry: {place}", title="Edit", severity="warning")
        return
    command = editor_command(place)
    if isinstance(command, str):
        app.notify(f"Cannot edit: {command}", title="Edit", severity="warning")
        return
    try:
        with app.suspend():
            status = subprocess.run(command, check=False).returncode
    except SuspendNotSupported:
        app.notify("This terminal cannot hand itself to an editor", title="Edit", severity="warning")
        return
    except OSError as error:
        app.notify(f"Could not start {command[0]}: {error.strerror or error}", title="Edit", severity="error")
        return
    if status != 0:
        app.notify(f"{command[0]} ended with exit status {status}", title="Edit", severity="warning")
    else:
        app.notify(f"Edited {place.path}:{place.line}; saved changes are read back", title="Edit", timeout=4)
    from tuireader.app.screens.main import MainScreen

    screen = app.screen
    if isinstance(screen, MainScreen):
        screen.look_at_files()
