"""Zotero's "Linked Attachment Base Directory", from the Zotero profile's `prefs.js`.

Zotero stores a linked file below that folder as `attachments:Papers/x.pdf`, and keeps the folder
itself in its preferences (`extensions.zotero.baseAttachmentPath`), not in the database: one
library can then move between machines whose folders differ. The preferences live in the
profile folder, apart from the data folder holding `zotero.sqlite`; a profile saying which data
folder it uses (`extensions.zotero.dataDir`) is matched to the database, and otherwise the
profile is taken to use the default data folder, `~/Zotero`.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path

LINKED_PREFIX = "attachments:"
_PREF = re.compile(r'user_pref\(\s*"([\w.]+)"\s*,\s*("(?:[^"\\]|\\.)*")\s*\)\s*;')
_BASE = "extensions.zotero.baseAttachmentPath"
_DATA_DIR = "extensions.zotero.dataDir"


def profile_roots() -> list[Path]:
    """Where Zotero keeps its profiles on Linux, macOS and Windows."""
    home = Path.home()
    roots = [home / ".zotero" / "zotero", home / "Library" / "Application Support" / "Zotero" / "Profiles"]
    appdata = os.environ.get("APPDATA")
    if appdata:
        roots.append(Path(appdata) / "Zotero" / "Zotero" / "Profiles")
    return roots


def read_prefs(path: Path) -> dict[str, str]:
    """The string preferences a `prefs.js` sets (a missing or unreadable one sets none)."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return {}
    found = {}
    for name, quoted in _PREF.findall(text):
        try:
            found[name] = str(json.loads(quoted))
        except ValueError:
            continue
    return found


def _profile_prefs(roots: list[Path] | None) -> Iterator[dict[str, str]]:
    """The preferences of every profile that sets a base folder."""
    for root in profile_roots() if roots is None else roots:
        try:
            profiles = sorted(root.glob("*/prefs.js"))
        except OSError:
            continue
        for prefs_file in profiles:
            prefs = read_prefs(prefs_file)
            if prefs.get(_BASE):
                yield prefs


def base_folder(data_folder: Path | None, roots: list[Path] | None = None) -> Path | None:
    """The base folder set by the profile using `data_folder` (None: any profile), if any."""
    default = Path.home() / "Zotero"
    for prefs in _profile_prefs(roots):
        uses = Path(prefs.get(_DATA_DIR) or default).expanduser()
        if data_folder is None or _same(uses, data_folder):
            return Path(prefs[_BASE]).expanduser()
    return None


def settings_stamp(roots: list[Path] | None = None) -> str:
    """Every profile's base folder and the data folder it is for: what linked paths were
    resolved against. Part of the parse cache's stamp, so that a library read before the base
    folder was set or moved is read again (the database itself does not change)."""
    return "|".join(f"{prefs.get(_DATA_DIR, '')}>{prefs[_BASE]}" for prefs in _profile_prefs(roots))


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return a == b


def resolved(stored: str, base: Path | None) -> str:
    """A linked file's path: below `base` for `attachments:…`, else as Zotero wrote it (a linked
    file under an unknown base stays `attachments:…`, for `tuireader check` to name)."""
    if stored.startswith(LINKED_PREFIX) and base is not None:
        return str(base.joinpath(*stored[len(LINKED_PREFIX) :].split("/")))
    return stored
