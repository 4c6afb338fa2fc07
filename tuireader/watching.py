"""Noticing that a library's files changed on disk, so that a running reader can follow them.

A file's stamp is its size and modification time, as the parse cache keys it: a stamp that
differs means the file must be read again, and `load_library` then reads only those files. Folders
are listed again on every look, so a file added to a library folder counts as a change too. Looking
costs one `stat` per file (and a listing per folder), cheap enough every couple of seconds.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from tuireader.corpus.files import library_files
from tuireader.corpus.library import BUNDLED_LABEL, bundled_paths

POLL_SECONDS = 2.0

Stamps = Mapping[str, tuple[int, int]]  # the file as the user names it → (size, mtime in ns)


def library_stamps(paths: Sequence[str | Path] | None) -> dict[str, tuple[int, int]]:
    """Every library file's stamp (the bundled documents when `paths` is None); a file that cannot
    be read or found has none, so its coming back counts as a change."""
    if paths is None:
        stamps = {}
        for path in bundled_paths():
            try:
                status = path.stat()
            except OSError:
                continue
            stamps[f"{BUNDLED_LABEL}/{path.name}"] = (status.st_size, status.st_mtime_ns)
        return stamps
    files, _ = library_files(paths)
    return {file.shown: (file.size, file.mtime_ns) for file in files}


@dataclass(frozen=True, slots=True)
class Changes:
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)

    def describe(self) -> str:
        """`refs.bib changed; new.bib added`, naming at most three files per kind."""
        parts = []
        for names, what in ((self.changed, "changed"), (self.added, "added"), (self.removed, "removed")):
            if names:
                shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
                parts.append(f"{shown} {what}")
        return "; ".join(parts)


def changes(before: Stamps, after: Stamps) -> Changes:
    """What differs between two looks at the same library."""
    return Changes(
        added=tuple(sorted(name for name in after if name not in before)),
        removed=tuple(sorted(name for name in before if name not in after)),
        changed=tuple(sorted(name for name in after if name in before and before[name] != after[name])),
    )


class Follower:
    """Looks at a library's files every `interval` seconds, and calls `changed` with what changed
    (and on `reload_now`, with what changed or nothing). Runs in the caller's thread until
    `stop`; `changed` returning False keeps the old stamps, so a failed reload is tried again."""

    def __init__(
        self,
        paths: Sequence[str | Path] | None,
        changed: Callable[[Changes], bool],
        *,
        interval: float = POLL_SECONDS,
        stamps: Callable[[Sequence[str | Path] | None], Stamps] = library_stamps,
    ) -> None:
        self.paths = paths
        self._changed = changed
        self._interval = interval
        self._stamps = stamps
        self._wake = threading.Event()
        self._stopped = False
        self._forced = False
        self.started = threading.Event()  # set once the first look is taken

    def reload_now(self) -> None:
        """Load the library again now, whether or not its files changed."""
        self._forced = True
        self._wake.set()

    def look_now(self) -> None:
        """Look at the files now rather than at the next tick (after an edit, say)."""
        self._wake.set()

    def stop(self) -> None:
        self._stopped = True
        self._wake.set()

    def run(self, cancelled: Callable[[], bool] = lambda: False) -> None:
        seen = self._stamps(self.paths)
        self.started.set()
        while not (self._stopped or cancelled()):
            self._wake.wait(self._interval)
            self._wake.clear()
            if self._stopped or cancelled():
                return
            now = self._stamps(self.paths)
            found = changes(seen, now)
            forced, self._forced = self._forced, False
            if (found or forced) and self._changed(found):
                seen = now
