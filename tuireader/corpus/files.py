"""Finding a library's files and reading their text.

Folders are searched recursively; gzip-compressed files are opened by their magic bytes, whatever
their name; text is UTF-8 (with or without a byte-order mark), UTF-16 with a mark, or else
Windows-1252, the usual encoding of old bibliographies.
"""

from __future__ import annotations

import gzip
import os
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from tuireader.corpus.model import Problem

HEAD_BYTES = 64 * 1024
_GZIP_MAGIC = b"\x1f\x8b"
# Formats people keep beside their bibliographies; never worth decoding as text.
_BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"PK\x03\x04", b"\xff\xd8\xff", b"GIF8", b"\x7fELF")


@dataclass(frozen=True, slots=True)
class LibraryFile:
    """One file of a library: where it is, how the user names it, and what identifies its content."""

    path: Path
    shown: str
    size: int
    mtime_ns: int

    @property
    def file_id(self) -> str:
        return str(self.path.resolve())

    @property
    def signature(self) -> str:
        return f"{self.size}:{self.mtime_ns}"


def _files_under(folder: Path) -> Iterator[Path]:
    for root, directories, files in os.walk(folder):
        directories[:] = sorted(d for d in directories if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield Path(root) / name


def _library_file(path: Path, shown: str) -> LibraryFile | Problem:
    try:
        status = path.stat()
    except OSError as error:
        return Problem(shown, f"cannot read: {error.strerror or error}")
    return LibraryFile(path, shown, status.st_size, status.st_mtime_ns)


def library_files(paths: Sequence[str | Path]) -> tuple[list[LibraryFile], list[Problem]]:
    """The files named by `paths` (folders searched recursively), and what could not be found."""
    found: list[LibraryFile] = []
    problems: list[Problem] = []
    for given in paths:
        path = Path(given)
        shown = str(given)
        if path.is_dir():
            before = len(found)
            for file in _files_under(path):
                item = _library_file(file, str(Path(shown) / file.relative_to(path)))
                (found if isinstance(item, LibraryFile) else problems).append(item)  # type: ignore[arg-type]
            if len(found) == before:
                problems.append(Problem(shown, "folder holds no files"))
        elif path.exists():
            item = _library_file(path, shown)
            (found if isinstance(item, LibraryFile) else problems).append(item)  # type: ignore[arg-type]
        else:
            problems.append(Problem(shown, "no such file or folder"))
    return found, problems


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


def _gunzip(data: bytes, shown: str) -> tuple[bytes, list[Problem]]:
    """The whole content, or as much as a damaged or truncated file still gives."""
    try:
        return gzip.decompress(data), []
    except (OSError, EOFError, zlib.error):
        pass
    inflater = zlib.decompressobj(wbits=31)
    try:
        salvaged = inflater.decompress(data)
    except zlib.error:
        salvaged = b""
    message = "compressed data is damaged or cut short"
    if not salvaged:
        return b"", [Problem(shown, f"{message}; nothing could be read")]
    return salvaged, [Problem(shown, f"{message}; the readable part ({len(salvaged):,} bytes) was read")]


def looks_binary(head: bytes) -> bool:
    if head.startswith(_GZIP_MAGIC):
        return False
    if head.startswith(_BINARY_MAGIC):
        return True
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    return b"\x00" in head and _utf16_without_mark(head) is None


def read_head(file: LibraryFile) -> bytes:
    with file.path.open("rb") as stream:
        return stream.read(HEAD_BYTES)


def read_text(file: LibraryFile) -> tuple[str, list[Problem]]:
    """The file's text, decompressed if it is gzip; OSError is left to the caller."""
    data = file.path.read_bytes()
    problems: list[Problem] = []
    if data.startswith(_GZIP_MAGIC):
        data, problems = _gunzip(data, file.shown)
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
