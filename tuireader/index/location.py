"""Where an index lives on disk, the lock that lets one process at a time change it, and the
manifest that tells a whole generation from a damaged one.

Layout, under the user cache directory, one folder per set of library files:

    index/<library key>/
        lock              held (flock) while a process checks, refreshes or builds
        CURRENT           the name of the generation folder in use, replaced atomically
        gen-…/            a complete Whoosh index with its side files and manifest
        building-<pid>-…/ a build in progress; left behind only by a crash, then removed

A build writes a whole new generation folder and only then points CURRENT at it, so a crash or
Ctrl+C at any moment leaves the previous index usable. When the cache folder cannot hold an
index at all (it is a file, or not writable), a private folder under the system's temporary
directory stands in for it.

Each generation's manifest records the size and CRC-32 of every file the index reads, written
last. Opening compares sizes (one stat per file) and the checksums of the small files; the large
segment files are checksummed in the background once the engine is open (see engine.py). A
crash mid-write, a truncated or deleted file, or damage that would otherwise only show as a
search that silently finds nothing is thus noticed, and the generation rebuilt.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import hashlib
import os
import secrets
import shutil
import stat
import sys
import tempfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from platformdirs import user_cache_dir

import tuireader
import tuireader.corpus
from tuireader.atomic import write_atomically
from tuireader.corpus.library import Library
from tuireader.index.schema import INDEX_FORMAT

_CURRENT = "CURRENT"
_LOCK = "lock"
_BUILDING = "building-"
_GENERATION = "gen-"
_IN_USE = "in-use"  # in a generation: held (shared) by every process searching it
MANIFEST_FILE = "manifest.txt"
_MANIFEST_HEADER = "tuireader-index-manifest 1"
_FULL_DISK = {errno.ENOSPC, errno.EFBIG, errno.EDQUOT}


class IndexUnavailable(OSError):
    """The index can neither be used nor written; `str()` is one line to show the user."""


class IndexDamaged(IndexUnavailable):
    """A search met damaged index files; the next open of the library rebuilds them."""


def index_root() -> Path:
    return Path(user_cache_dir("tuireader")) / "index"


def fallback_root() -> Path:
    """A folder of this user's under the system temporary directory, for when the cache folder
    cannot be used. One stable name, so that the next command finds the index again, taken only
    when it is a real folder of ours that nobody else can write; otherwise a fresh one."""
    uid = os.getuid() if hasattr(os, "getuid") else 0
    folder = Path(tempfile.gettempdir()) / f"tuireader-{uid}"
    with contextlib.suppress(FileExistsError):
        folder.mkdir(mode=0o700)
    status = folder.lstat()
    private = (
        stat.S_ISDIR(status.st_mode)
        and (not hasattr(os, "getuid") or status.st_uid == uid)
        and not status.st_mode & 0o077
    )
    if not private:
        folder = Path(tempfile.mkdtemp(prefix="tuireader-"))
    return folder / "index"


def is_full_disk(error: BaseException) -> bool:
    return isinstance(error, OSError) and error.errno in _FULL_DISK


def library_key(library: Library) -> str:
    """Names the set of files a library was read from (or, for one made in memory, its papers)."""
    if library.files_read:
        parts = sorted(_resolved(shown) for shown in library.files_read)
        text = "files\n" + "\n".join(parts)
    else:
        text = "papers\n" + "\n".join(library.paper_ids)
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
    ids = zlib.crc32("\n".join(library.paper_ids).encode("utf-8", "surrogatepass"))
    return f"{source}\ncode {_code_stamp()}\npapers {len(library.papers)} {ids:08x}\n"


@functools.lru_cache(maxsize=1)
def _code_stamp() -> str:
    """Changes when tuireader, its corpus readers or the index format change. The readers'
    source is hashed, not dated: installing the same code again (which dates every file anew)
    must not make every paper be hashed again."""
    corpus = Path(tuireader.corpus.__file__).parent
    digest = hashlib.blake2b(digest_size=10)
    for path in sorted(corpus.rglob("*.py")):
        digest.update(f"{path.relative_to(corpus).as_posix()}\n".encode())
        digest.update(path.read_bytes())
    return f"{tuireader.__version__} {INDEX_FORMAT} {digest.hexdigest()}"


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
        path = self.folder / _LOCK
        try:
            handle = path.open("a+b")
        except IsADirectoryError:
            # Not a lock anyone can hold: a folder cannot be opened, let alone locked.
            _remove_folder(path)
            handle = path.open("a+b")
        with handle:
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
        try:
            pointer.write_text(generation.name + "\n", encoding="utf-8")
            _remove_folder(self.folder / _CURRENT)  # a folder there would refuse the rename
            pointer.replace(self.folder / _CURRENT)
        except BaseException:
            pointer.unlink(missing_ok=True)
            shutil.rmtree(generation, ignore_errors=True)
            raise
        return generation

    def remove_stale(self) -> None:
        """Old generations, abandoned builds and pointers. The caller holds the lock, so no build
        of a live process is under way here; a generation another process still searches is
        kept (its `in-use` lock is held) until a later call finds it free."""
        current = self.current()
        try:
            entries = list(self.folder.iterdir())
        except OSError:
            return
        for entry in entries:
            name = entry.name
            if name.startswith(f"{_CURRENT}.") and name.endswith(".tmp") and _pid_of(name) != os.getpid():
                entry.unlink(missing_ok=True)
            if entry == current or not entry.is_dir() or entry.is_symlink():
                continue
            if name.startswith(_BUILDING) and not _process_alive(_pid_of(name)):
                shutil.rmtree(entry, ignore_errors=True)
            elif name.startswith(_GENERATION):
                _remove_unused_generation(entry)


def use_generation(folder: Path) -> IO[bytes] | None:
    """Hold a shared lock on a generation for as long as the returned file is open, so that no
    other process removes it meanwhile (None when it cannot be taken: nothing is then promised)."""
    try:
        handle = (folder / _IN_USE).open("a+b")
    except OSError:
        return None
    try:
        _share(handle.fileno())
    except OSError:
        handle.close()
        return None
    return handle


def _remove_unused_generation(folder: Path) -> None:
    try:
        handle = (folder / _IN_USE).open("a+b")
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)
        return
    with handle:
        if _try_exclusive(handle.fileno()):
            shutil.rmtree(folder, ignore_errors=True)


def _remove_folder(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)


def _pid_of(name: str) -> int | None:
    """The process id in `building-<pid>-…` or `CURRENT.<pid>.tmp`."""
    for part in name.replace(".", "-").split("-"):
        if part.isdigit():
            return int(part)
    return None


def _process_alive(pid: int | None) -> bool:
    """Whether a build folder may still be written to by its process (never this one: a build
    of this process that is not under way any more was abandoned)."""
    if pid is None or pid == os.getpid() or sys.platform == "win32":
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists, but belongs to someone else
        return True
    return True


# The manifest


@dataclass(frozen=True)
class FileStamp:
    size: int
    crc: int
    modified: int  # st_mtime_ns: lets a refresh reuse the checksums of files it did not touch


@dataclass(frozen=True)
class Manifest:
    generation: int  # the Whoosh table of contents the files belong to
    files: dict[str, FileStamp]


def write_manifest(
    folder: Path, generation: int, names: Iterable[str], previous: Manifest | None = None
) -> Manifest:
    """Record `names` (files of `folder`) as they are now; the checksum of a file that has not
    changed since `previous` is taken from it rather than read again."""
    files: dict[str, FileStamp] = {}
    for name in sorted(set(names)):
        status = (folder / name).stat()
        known = previous.files.get(name) if previous is not None else None
        if known is not None and (known.size, known.modified) == (status.st_size, status.st_mtime_ns):
            files[name] = known
        else:
            files[name] = FileStamp(status.st_size, file_crc(folder / name), status.st_mtime_ns)
    lines = [_MANIFEST_HEADER, f"generation {generation}"]
    lines += [f"{s.crc:08x} {s.size} {s.modified} {name}" for name, s in files.items()]
    text = "\n".join(lines) + "\n"
    text += f"end {zlib.crc32(text.encode('utf-8')):08x}\n"
    write_atomically(folder / MANIFEST_FILE, text.encode("utf-8"))
    return Manifest(generation, files)


def read_manifest(folder: Path) -> Manifest | None:
    """The folder's manifest, or None when it is missing or damaged."""
    try:
        data = (folder / MANIFEST_FILE).read_bytes()
        body, end, checksum = data.rpartition(b"end ")
        if not end or int(checksum.strip(), 16) != zlib.crc32(body):
            return None
        header, generation_line, *entries = body.decode("utf-8").splitlines()
        label, generation = generation_line.split(" ")
        if header != _MANIFEST_HEADER or label != "generation":
            return None
        files = {}
        for entry in entries:
            crc, size, modified, name = entry.split(" ", 3)
            files[name] = FileStamp(int(size), int(crc, 16), int(modified))
        return Manifest(int(generation), files)
    except (OSError, ValueError):
        return None


def damaged_files(folder: Path, manifest: Manifest, names: Iterable[str]) -> list[str]:
    """Which of `names` (all in the manifest) differ in size or checksum from what it says."""
    damaged = []
    for name in names:
        expected = manifest.files[name]
        try:
            whole = (folder / name).stat().st_size == expected.size
            if not whole or file_crc(folder / name) != expected.crc:
                damaged.append(name)
        except OSError:
            damaged.append(name)
    return damaged


def wrong_sizes(folder: Path, manifest: Manifest) -> list[str]:
    """Files missing or of another size than the manifest says (a stat each)."""
    wrong = []
    for name, expected in manifest.files.items():
        try:
            if (folder / name).stat().st_size != expected.size:
                wrong.append(name)
        except OSError:
            wrong.append(name)
    return wrong


def file_crc(path: Path) -> int:
    crc = 0
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            crc = zlib.crc32(chunk, crc)
    return crc


def forget_generation(folder: Path, generation: int) -> None:
    """Have the next open rebuild this generation (found damaged), unless it has changed since."""
    manifest = read_manifest(folder)
    if manifest is not None and manifest.generation == generation:
        (folder / MANIFEST_FILE).unlink(missing_ok=True)


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

    def _share(fd: int) -> None:
        """Windows refuses to delete open files: holding one open is the protection."""

    def _try_exclusive(fd: int) -> bool:
        return True

else:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)

    # Record locks (lockf), not flock: they belong to the process, so a process never keeps
    # itself from tidying away a generation it no longer uses, and another process's engine
    # still searching an old generation does. (Closing any handle of the file drops all of the
    # process's locks on it; an engine whose lock went so still reads the files it has open.)
    def _share(fd: int) -> None:
        fcntl.lockf(fd, fcntl.LOCK_SH)

    def _try_exclusive(fd: int) -> bool:
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        return True


def describe(error: BaseException) -> str:
    """An OS error's reason without its errno and path (those are said around it)."""
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error) or type(error).__name__
