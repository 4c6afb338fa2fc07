"""Where an index lives on disk, and the lock that lets one process at a time change it.

Layout, under the user cache directory, one folder per set of library files:

    index/<library key>/
        lock              held (flock) while a process checks, refreshes or builds
        CURRENT           the name of the generation folder in use, replaced atomically
        gen-…/            a complete Whoosh index with its side files
        building-<pid>-…/ a build in progress; left behind only by a crash, then removed

A build writes a whole new generation folder and only then points CURRENT at it, so a crash or
Ctrl+C at any moment leaves the previous index usable.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import shutil
import sys
import zlib
from collections.abc import Iterator
from pathlib import Path

from platformdirs import user_cache_dir

import tuireader
import tuireader.corpus
from tuireader.corpus.library import Library
from tuireader.index.schema import INDEX_FORMAT

_CURRENT = "CURRENT"
_BUILDING = "building-"
_GENERATION = "gen-"


def index_root() -> Path:
    return Path(user_cache_dir("tuireader")) / "index"


def library_key(library: Library) -> str:
    """Names the set of files a library was read from (or, for one made in memory, its papers)."""
    if library.files_read:
        parts = sorted(_resolved(shown) for shown in library.files_read)
        text = "files\n" + "\n".join(parts)
    else:
        text = "papers\n" + "\n".join(paper.id for paper in library.papers)
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=10).hexdigest()


def library_signature(library: Library, fingerprint: str | None = None) -> str | None:
    """What must be unchanged for a library to be taken as unchanged without hashing its papers:
    its files (size, time), the code that read them, the index format and its paper ids. None
    when that cannot be told (a library made in memory, with no `fingerprint` from its maker)."""
    if fingerprint is not None:
        source = f"given {fingerprint}"
    elif library.files_read:
        stats = []
        for shown in sorted(library.files_read):
            try:
                status = Path(shown).stat()
            except OSError:
                return None  # e.g. the bundled corpus, named by a label
            stats.append(f"{_resolved(shown)} {status.st_size} {status.st_mtime_ns}")
        source = "files " + "\n".join(stats)
    else:
        return None
    ids = zlib.crc32("\n".join(paper.id for paper in library.papers).encode("utf-8", "surrogatepass"))
    return f"{source}\ncode {_code_stamp()}\npapers {len(library.papers)} {ids:08x}\n"


def _code_stamp() -> str:
    """Changes when tuireader, its corpus readers or the index format change."""
    corpus = Path(tuireader.corpus.__file__).parent
    newest = max((path.stat().st_mtime_ns for path in corpus.rglob("*.py")), default=0)
    return f"{tuireader.__version__} {INDEX_FORMAT} {newest}"


def _resolved(shown: str) -> str:
    path = Path(shown)
    try:
        return str(path.resolve()) if path.exists() else shown
    except OSError:
        return shown


class IndexHome:
    """The folder of one library's index: its generations and its lock."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Exclusive for the duration; another process waits (it is building or refreshing)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        with (self.folder / "lock").open("a+b") as handle:
            _lock(handle.fileno())
            try:
                yield
            finally:
                _unlock(handle.fileno())

    def current(self) -> Path | None:
        try:
            name = (self.folder / _CURRENT).read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError):
            return None
        if not name.startswith(_GENERATION) or "/" in name or "\\" in name:
            return None
        folder = self.folder / name
        return folder if folder.is_dir() else None

    def new_build_folder(self) -> Path:
        folder = self.folder / f"{_BUILDING}{os.getpid()}-{secrets.token_hex(4)}"
        folder.mkdir(parents=True)
        return folder

    def publish(self, build_folder: Path) -> Path:
        """Make a finished build the current generation (two atomic renames)."""
        generation = self.folder / f"{_GENERATION}{secrets.token_hex(6)}"
        build_folder.rename(generation)
        pointer = self.folder / f"{_CURRENT}.{os.getpid()}.tmp"
        pointer.write_text(generation.name + "\n", encoding="utf-8")
        pointer.replace(self.folder / _CURRENT)
        return generation

    def remove_stale(self) -> None:
        """Old generations and abandoned builds. The caller holds the lock, so no build is under
        way anywhere; a process still reading an old generation keeps the files it has open."""
        current = self.current()
        for entry in self.folder.iterdir():
            if entry != current and entry.is_dir() and entry.name.startswith((_GENERATION, _BUILDING)):
                shutil.rmtree(entry, ignore_errors=True)


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _lock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        while True:
            try:
                msvcrt.locking(fd, msvcrt.LK_LOCK, 1)
                return
            except OSError:
                continue

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
