"""Finding a library's files and reading their text.

Folders are searched recursively; gzip-compressed files are opened by their magic bytes, whatever
their name; text is UTF-8 (with or without a byte-order mark), UTF-16 with a mark, or else
Windows-1252, the usual encoding of old bibliographies.

Only regular files are read, and none beyond MAX_FILE_BYTES, compressed or not: a named pipe would
block forever, a device or a decompression bomb would fill memory. Files are opened without
blocking and checked again once open, so a file swapped for a pipe after it was listed cannot
hang the reader either. Links to folders are not followed, so a link loop, or a link to `/`,
cannot make the search endless.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import io
import os
import stat
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from tuireader.corpus.model import Problem

HEAD_BYTES = 64 * 1024
# Far above any real bibliography (the whole ACL Anthology with abstracts is 55 MB), and low
# enough that the text, held several times over while it is parsed, still fits in memory.
MAX_FILE_BYTES = 256 * 1024 * 1024
_CHUNK = 1024 * 1024
_GZIP_MAGIC = b"\x1f\x8b"
SQLITE_MAGIC = b"SQLite format 3\x00"
# The database in a Zotero data folder; beside it are Zotero's own files (translators, styles,
# attachments under storage/), which are the database's to name, not the library's to read.
ZOTERO_DATABASE = "zotero.sqlite"
# Formats people keep beside their bibliographies; never worth decoding as text.
_BINARY_MAGIC = (
    b"%PDF",
    b"\x89PNG",
    b"PK\x03\x04",
    b"\xff\xd8\xff",
    b"GIF8",
    b"\x7fELF",
    b"SQLite format 3\x00",
)
# C0 control bytes other than white space and escape: text has next to none, binary data is full
# of them (one random byte in ten is one).
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20)])
_OPEN_FLAGS = (
    os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
)


class RefusedFile(OSError):
    """A file that is deliberately not read: not a regular file, or more than MAX_FILE_BYTES."""

    def __init__(self, reason: str) -> None:
        super().__init__(errno.EINVAL, reason)

    def __str__(self) -> str:
        return self.strerror or ""


@dataclass(frozen=True, slots=True)
class LibraryFile:
    """One file of a library: where it is, how the user names it, and what identifies its content."""

    path: Path
    shown: str
    size: int
    mtime_ns: int
    companion: str = ""  # a database's write-ahead log (`-wal`): its size and time
    in_folder: bool = False  # found by searching a folder, not named by the user

    @property
    def file_id(self) -> str:
        # os.path.realpath, unlike Path.resolve, never raises on a link loop.
        return os.path.realpath(self.path)

    @property
    def signature(self) -> str:
        base = f"{self.size}:{self.mtime_ns}"
        return f"{base}+{self.companion}" if self.companion else base


def _megabytes(size: int) -> str:
    # Rounded up, so a file just over the limit never reads as the limit itself.
    return f"{-(-size // (1024 * 1024)):,} MB"


def _unpacked_too_big() -> str:
    return f"unpacks to more than {_megabytes(MAX_FILE_BYTES)}, the most one library file may hold"


def _refusal(status: os.stat_result) -> str | None:
    """Why a file with this status is not read, or None when it may be."""
    mode = status.st_mode
    if stat.S_ISREG(mode):
        if status.st_size > MAX_FILE_BYTES:
            size, limit = _megabytes(status.st_size), _megabytes(MAX_FILE_BYTES)
            return f"{size}, more than the {limit} one library file may hold"
        return None
    if stat.S_ISDIR(mode):
        return "a link to a folder, which is not followed"
    if stat.S_ISFIFO(mode):
        return "a named pipe, not a regular file"
    if stat.S_ISSOCK(mode):
        return "a socket, not a regular file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device, not a regular file"
    return "not a regular file"


def _reason(error: OSError) -> str:
    if error.errno == errno.ELOOP:
        return "links that lead round in a loop"
    return error.strerror or str(error)


def is_sqlite(path: Path) -> bool:
    try:
        with _opened(path, any_size=True) as stream:
            return _read(stream, len(SQLITE_MAGIC)) == SQLITE_MAGIC
    except OSError:
        return False


def _write_ahead_log(path: Path) -> str:
    """The size and time of a database's `-wal` file, which holds its latest changes."""
    try:
        status = path.with_name(path.name + "-wal").stat()
    except OSError:
        return ""
    return f"{status.st_size}:{status.st_mtime_ns}" if stat.S_ISREG(status.st_mode) else ""


def _library_file(path: Path, shown: str) -> LibraryFile | Problem:
    try:
        status = path.stat()
    except OSError as error:
        return Problem(shown, f"cannot read: {_reason(error)}")
    refusal = _refusal(status)
    database = path.name == ZOTERO_DATABASE or (refusal is not None and stat.S_ISREG(status.st_mode))
    if database and is_sqlite(path):
        # A database is queried, never held in memory whole: a Zotero library may pass the limit.
        return LibraryFile(path, shown, status.st_size, status.st_mtime_ns, _write_ahead_log(path))
    if refusal:
        return Problem(shown, f"{refusal}; skipped")
    return LibraryFile(path, shown, status.st_size, status.st_mtime_ns)


def _folder_files(folder: Path, shown: str) -> Iterator[LibraryFile | Problem]:
    """Every file under `folder`, depth first in name order; hidden names are passed over.

    A subfolder that cannot be listed is one problem naming it; the search goes on around it.
    """
    pending = [(folder, shown)]
    while pending:
        directory, directory_shown = pending.pop()
        try:
            with os.scandir(directory) as listing:
                entries = sorted((e for e in listing if not e.name.startswith(".")), key=lambda e: e.name)
        except OSError as error:
            yield Problem(directory_shown, f"cannot read this folder: {_reason(error)}")
            continue
        zotero = next((e for e in entries if e.name == ZOTERO_DATABASE), None)
        if zotero is not None:
            yield _library_file(directory / zotero.name, str(Path(directory_shown) / zotero.name))
            continue
        subfolders = []
        for entry in entries:
            path, entry_shown = directory / entry.name, str(Path(directory_shown) / entry.name)
            try:
                is_folder = entry.is_dir(follow_symlinks=False)
            except OSError:
                is_folder = False
            if is_folder:
                subfolders.append((path, entry_shown))
            else:
                found = _library_file(path, entry_shown)
                yield dataclasses.replace(found, in_folder=True) if isinstance(found, LibraryFile) else found
        pending.extend(reversed(subfolders))


def _named_path(given: str | Path) -> Path | Problem:
    """The path a library entry names, with `~` expanded; a problem for a value naming nothing."""
    if "\x00" in str(given):
        return Problem(str(given), "a path cannot hold a NUL character; skipped")
    if isinstance(given, Path):
        return given
    if not given.strip():
        # Path("") would be the current folder: never read it by accident.
        return Problem(f'"{given}"', "an empty path names no file or folder; skipped")
    path = Path(given)
    try:
        return path.expanduser()
    except RuntimeError:
        if path.exists():  # a file really named `~…`
            return path
        prefix = path.parts[0]
        why = f"no user “{prefix[1:]}” on this system" if len(prefix) > 1 else "no home folder is set"
        return Problem(given, f"“{prefix}” names no folder ({why}); skipped")


def _sort_into(item: LibraryFile | Problem, found: list[LibraryFile], problems: list[Problem]) -> None:
    if isinstance(item, LibraryFile):
        found.append(item)
    else:
        problems.append(item)


def library_files(paths: Sequence[str | Path]) -> tuple[list[LibraryFile], list[Problem]]:
    """The files named by `paths` (folders searched recursively), and what could not be found."""
    found: list[LibraryFile] = []
    problems: list[Problem] = []
    for given in paths:
        path = _named_path(given)
        if isinstance(path, Problem):
            problems.append(path)
            continue
        shown = str(given)
        try:
            status = path.stat()
        except OSError as error:
            missing = error.errno in (errno.ENOENT, errno.ENOTDIR)
            problems.append(
                Problem(shown, "no such file or folder" if missing else f"cannot read: {_reason(error)}")
            )
            continue
        if stat.S_ISDIR(status.st_mode):
            before = len(found), len(problems)
            for item in _folder_files(path, shown):
                _sort_into(item, found, problems)
            if (len(found), len(problems)) == before:
                problems.append(Problem(shown, "folder holds no files"))
        else:
            _sort_into(_library_file(path, shown), found, problems)
    return found, problems


@contextlib.contextmanager
def _opened(path: Path, *, any_size: bool = False) -> Iterator[io.BufferedReader]:
    """The file open for reading, refused unless it is (still) a regular file of a sane size
    (of any size, with `any_size`)."""
    descriptor = os.open(path, _OPEN_FLAGS)
    try:
        status = os.fstat(descriptor)
        refusal = _refusal(status)
        if refusal and not (any_size and stat.S_ISREG(status.st_mode)):
            raise RefusedFile(refusal)
        stream = os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise
    with stream:
        yield stream


def _read(stream: io.BufferedReader, size: int) -> bytes:
    data = stream.read(size)
    if data is None:  # the few special files that honour O_NONBLOCK, such as /proc/kmsg
        raise RefusedFile("a file that gives its content only by waiting")
    return data


def _read_capped(stream: io.BufferedReader, size_hint: int) -> bytes:
    """All of the stream, or RefusedFile past MAX_FILE_BYTES; `size_hint` may be wrong (files in
    /proc claim to be empty, a log grows while it is read)."""
    data = _read(stream, min(size_hint, MAX_FILE_BYTES) + 1)
    if len(data) <= size_hint:
        return data
    buffer = io.BytesIO(data)
    buffer.seek(0, io.SEEK_END)
    while buffer.tell() <= MAX_FILE_BYTES:
        chunk = _read(stream, _CHUNK)
        if not chunk:
            return buffer.getvalue()
        buffer.write(chunk)
    raise RefusedFile(f"more than {_megabytes(MAX_FILE_BYTES)}, the most one library file may hold")


def _utf16_without_mark(data: bytes) -> str | None:
    """UTF-16 written without a byte-order mark: mostly-ASCII text has a zero in every other byte."""
    sample = data[:4096]
    if len(sample) < 8:
        return None
    even_zeros, odd_zeros = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    if even_zeros > 0.4 * half and odd_zeros < 0.05 * half:
        return "utf-16-be"
    if odd_zeros > 0.4 * half and even_zeros < 0.05 * half:
        return "utf-16-le"
    return None


def decode(data: bytes) -> str:
    """Text with `\n` line ends whatever the file used, so every reader counts lines alike."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
    elif b"\x00" in data[:4096] and (encoding := _utf16_without_mark(data)):
        text = data.decode(encoding, errors="replace")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _gunzip(stream: io.BufferedReader, shown: str) -> tuple[bytes, list[Problem]]:
    """Every member's content, or as much as a damaged or truncated file still gives.

    Inflated a slice at a time and refused past MAX_FILE_BYTES, so a small file that unpacks to
    gigabytes costs no more memory than the limit.
    """
    unpacked = io.BytesIO()
    inflater = zlib.decompressobj(wbits=31)
    pending = b""
    exhausted = damaged = False
    while True:
        if not pending and not exhausted:
            pending = _read(stream, HEAD_BYTES)
            exhausted = not pending
        if inflater.eof:
            # Another member may follow, after zero padding; anything else is damage.
            pending = pending.lstrip(b"\x00")
            if len(pending) < len(_GZIP_MAGIC) and not exhausted:
                more = _read(stream, HEAD_BYTES)
                exhausted = not more
                pending += more
                continue
            if not pending:
                break
            if not pending.startswith(_GZIP_MAGIC):
                damaged = True
                break
            inflater = zlib.decompressobj(wbits=31)
        try:
            piece = inflater.decompress(pending, _CHUNK)
        except zlib.error:
            damaged = True
            break
        pending = inflater.unused_data if inflater.eof else inflater.unconsumed_tail
        if unpacked.tell() + len(piece) > MAX_FILE_BYTES:
            raise RefusedFile(_unpacked_too_big())
        unpacked.write(piece)
        if exhausted and not pending and not piece and not inflater.eof:
            damaged = True  # the file ends inside a member
            break
    data = unpacked.getvalue()
    if not damaged:
        return data, []
    message = "compressed data is damaged or cut short"
    if not data:
        return b"", [Problem(shown, f"{message}; nothing could be read")]
    return data, [Problem(shown, f"{message}; the readable part ({len(data):,} bytes) was read")]


def looks_binary(head: bytes) -> bool:
    """Whether the start of a file is binary data; a stray NUL is damage to report, not proof."""
    if head.startswith(_GZIP_MAGIC):
        return False
    if head.startswith(_BINARY_MAGIC):
        return True
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or _utf16_without_mark(head):
        return False
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return controls > 8 and controls > len(head) // 100


def read_head(file: LibraryFile) -> bytes:
    """Up to HEAD_BYTES from the start of the file, whatever its size (only the head is read);
    OSError (RefusedFile among them) is the caller's."""
    with _opened(file.path, any_size=True) as stream:
        return _read(stream, HEAD_BYTES)


def read_text(file: LibraryFile) -> tuple[str, list[Problem]]:
    """The file's text, decompressed if it is gzip; OSError (RefusedFile among them) is the caller's."""
    with _opened(file.path) as stream:
        if stream.peek(len(_GZIP_MAGIC)).startswith(_GZIP_MAGIC):
            data, problems = _gunzip(stream, file.shown)
        else:
            data, problems = _read_capped(stream, os.fstat(stream.fileno()).st_size), []
    return decode(data), problems


def text_head(head: bytes) -> str:
    """The start of a file's text, for sniffing; a gzip file's head is decompressed as far as it goes."""
    if head.startswith(_GZIP_MAGIC):
        try:
            head = zlib.decompressobj(wbits=31).decompress(head, HEAD_BYTES)
        except zlib.error:
            return ""
    head = head[:HEAD_BYTES]
    if b"\x00" in head or head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return decode(head)
    try:
        return head.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        if error.start >= len(head) - 3:  # a character cut in two by the end of the head
            return head[: error.start].decode("utf-8-sig")
    return decode(head)
