"""The whole merged library kept between starts, so an unchanged library opens without work.

The parse cache saves parsing, but a start still rebuilt every paper, merged duplicates again and
assigned ids again: seconds at 60,000 papers, for nothing when no file changed. A snapshot holds
the finished library (ids, papers, problems), valid while every file's path, size and time, what
listing the files reported, the readers and the paper model are as they were.

Opening it reads only a table: every paper's id, every byline as numbers into one table of
spellings (for the author tables), and where each paper is in the file. A paper, its facts and its
records as written, is read by offset and rebuilt when first asked for (`PaperTable`): the first
screen needs a few dozen, and the records (more than half the file) only export, edit and show. So:

    magic | prefix | JSON header | each paper's facts and records | table

The prefix holds the table's checksum, checked at open; each paper has a checksum of its own,
checked when it is read. Damage there is noticed when that paper is needed: the file is removed,
and the next start reads the library files again.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import os
import struct
import tempfile
import threading
import weakref
import zlib
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import fields
from pathlib import Path
from typing import IO, Any, overload

from tuireader.corpus.cache import PaperDecoder, encode_paper, model_stamp
from tuireader.corpus.files import LibraryFile
from tuireader.corpus.model import Author, Merge, Paper, Problem, Source
from tuireader.corpus.names import People, Person

SUFFIX = ".library"
# 2: papers read by offset; bylines as numbers into a table of spellings. 3: the person each
# spelling names, as the library's `People` grouped them
FORMAT = 3
_MAGIC = b"tuireader-library\n"
# CRC-32 of the table, the JSON header's length, where the table is
_PREFIX = struct.Struct("<IIQ")
_FIELDS = tuple(spec.name for spec in fields(Paper))
_AUTHORS, _RECORDS = _FIELDS.index("authors"), _FIELDS.index("records")


class SnapshotDamaged(Exception):
    """A paper in the snapshot is not as written (the message is a line for the user)."""


class _Papers:
    """The papers of one snapshot file, read by offset through a descriptor kept open: a snapshot
    written over it meanwhile is a new file, so this one stays as it was."""

    def __init__(self, path: Path, descriptor: int) -> None:
        self.path = path
        self._descriptor = descriptor
        self._identity = os.fstat(descriptor).st_ino
        self._closer = weakref.finalize(self, os.close, descriptor)

    def read(self, offset: int, length: int, crc: int) -> bytes:
        blob = _read_at(self._descriptor, offset, length)
        if len(blob) != length or zlib.crc32(blob) != crc:
            self._forget()
            raise SnapshotDamaged(
                f"the library's cache file {self.path} is damaged; the library files are read again "
                "at the next start"
            )
        return blob

    def _forget(self) -> None:
        try:
            if self.path.stat().st_ino == self._identity:  # not a newer snapshot written since
                self.path.unlink()
        except OSError:
            pass


def _read_at(descriptor: int, offset: int, length: int) -> bytes:
    if hasattr(os, "pread"):
        return os.pread(descriptor, length, offset)
    os.lseek(descriptor, offset, os.SEEK_SET)  # only under PaperTable's lock
    return os.read(descriptor, length)


class PaperTable(Sequence[Paper]):
    """Papers rebuilt from their encoded form on first use; ids and bylines are at hand without
    rebuilding any."""

    def __init__(self, ids: list[str], table: dict[str, Any], papers: _Papers) -> None:
        self.ids = ids
        self._starts = _array("Q", table["starts"])  # of each paper in the file
        self._fact_lengths = _array("I", table["fact_lengths"])  # then its records, to the next start
        self._crcs = _array("I", table["crcs"])  # of its facts and records
        self._spellings: list[tuple[str, str, str]] = table["spellings"]
        self._byline_starts = _array("I", table["byline_starts"])
        self._byline_spellings = _array("I", table["byline_spellings"])
        self._file = papers
        self._papers: list[Paper | None] = [None] * len(ids)
        self._decoder = PaperDecoder("", "")
        self._authors: list[Author] | None = None
        self._people: bytes = table["people"]  # unpacked only when the people are asked for
        self._lock = threading.Lock()  # the decoder's shared author table is not thread-safe
        size = len(ids)
        counts = (len(self._starts), len(self._fact_lengths), len(self._crcs), len(self._byline_starts))
        if counts != (size + 1, size, size, size + 1):
            raise ValueError("the snapshot's table does not describe its papers")

    def __len__(self) -> int:
        return len(self._papers)

    def _paper(self, index: int) -> Paper:
        paper = self._papers[index]
        if paper is None:
            with self._lock:
                paper = self._papers[index]
                if paper is None:
                    paper = self._papers[index] = self._decoded(index)
        return paper

    def fact_sizes(self) -> Sequence[int]:
        """Each paper's encoded facts' length in bytes: a measure of its text, known without
        reading any paper."""
        return self._fact_lengths

    def passing(self, start: int, stop: int, *, records: bool = True) -> Iterator[Paper]:
        """The papers from `start` to `stop`, for one pass: those not kept already are rebuilt and
        let go, so that indexing every paper does not keep the whole library in memory. Without
        `records`, those rebuilt lack their records as written: indexing reads none, and rebuilding
        them was a third of rebuilding a paper."""
        for index in range(max(start, 0), min(stop, len(self))):
            paper = self._papers[index]
            if paper is None:
                with self._lock:
                    paper = self._decoded(index, records)
            yield paper

    def _decoded(self, index: int, records: bool = True) -> Paper:
        start, end = self._starts[index], self._starts[index + 1]
        both = self._file.read(start, end - start, self._crcs[index])
        split = self._fact_lengths[index]
        encoded = list(marshal.loads(both[:split]))
        encoded[_RECORDS] = both[split:]
        return self._decoder.paper(tuple(encoded), None if records else ())

    @overload
    def __getitem__(self, index: int) -> Paper: ...
    @overload
    def __getitem__(self, index: slice) -> list[Paper]: ...
    def __getitem__(self, index: int | slice) -> Paper | list[Paper]:
        if isinstance(index, slice):
            return [self._paper(i) for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self._paper(index)

    def __iter__(self) -> Iterator[Paper]:
        return (self._paper(index) for index in range(len(self)))

    def _spelled(self) -> list[Author]:
        if self._authors is None:
            with self._lock:  # the same Author objects as the papers rebuilt share
                self._authors = [self._decoder.author(parts) for parts in self._spellings]
        return self._authors

    def bylines(self) -> Iterator[tuple[Author, ...]]:
        """Every paper's authors, without rebuilding (or keeping) the papers not yet asked for:
        the author tables need the names of all 60,000 papers, not the papers."""
        authors, starts, numbers = self._spelled(), self._byline_starts, self._byline_spellings
        for index in range(len(self)):
            yield tuple(authors[number] for number in numbers[starts[index] : starts[index + 1]])

    def people(self) -> People:
        """The library's people as they were grouped when the snapshot was written."""
        persons, person_of = marshal.loads(self._people)
        named = [Person(key, name) for key, name in persons]
        numbers = _array("I", person_of)
        authors = self._spelled()
        if len(numbers) != len(authors):
            raise ValueError("the snapshot's people do not describe its spellings")
        return People.assigned(zip(authors, map(named.__getitem__, numbers), strict=True))

    def __eq__(self, other: object) -> bool:  # as a tuple of the same papers would be
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    # Equal to lists of the same papers, so unhashable like them; typeshed allows no None here.
    __hash__ = None  # type: ignore[assignment]


def _array(typecode: str, data: bytes) -> array[int]:
    values = array(typecode)
    values.frombytes(data)
    return values


def _location(folder: Path, files: Sequence[LibraryFile]) -> Path:
    names = "\n".join(sorted(file.file_id for file in files))
    return folder / (hashlib.sha256(names.encode("utf-8", "surrogatepass")).hexdigest()[:32] + SUFFIX)


def _header(files: Sequence[LibraryFile], listing: Sequence[Problem], readers: str) -> dict[str, object]:
    return {
        **model_stamp(),
        "snapshot": FORMAT,
        "readers": readers,
        "files": [[file.file_id, file.shown, file.signature] for file in files],
        "listing": [[p.path, p.message, p.line] for p in listing],
    }


Snapshot = tuple[
    PaperTable, list[Problem], list[str], int, int, int, dict[str, str], tuple[Merge, ...], tuple[str, ...]
]
Stored = tuple[
    Sequence[Paper],
    Sequence[Problem],
    Sequence[str],
    int,
    int,
    int,
    dict[str, str],
    Sequence[Merge],
    Sequence[str],
]


def _encoded_merge(merge: Merge) -> tuple[str, list[tuple[str | None, str | None, int]]]:
    rows = [
        (key, source.path if source else None, source.line if source else 0) for key, source in merge.records
    ]
    return merge.paper_id, rows


def _decoded_merge(encoded: tuple[str, list[tuple[str | None, str | None, int]]]) -> Merge:
    paper_id, rows = encoded
    return Merge(
        paper_id, tuple((key, Source(path, line) if path is not None else None) for key, path, line in rows)
    )


def load(
    folder: Path, files: Sequence[LibraryFile], listing: Sequence[Problem], readers: str
) -> Snapshot | None:
    """Papers, problems, files read, records read, unlisted problems, summary lines, key aliases,
    merges and attachment files, as kept for exactly these files; None when there is no such
    snapshot (or it is damaged)."""
    path = _location(folder, files)
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    except OSError:
        return None
    papers = _Papers(path, descriptor)  # closes the descriptor once nothing reads through it
    try:
        table = _table(descriptor, _header(files, listing, readers))
        if table is None:
            return None
        head = table["head"]
        ids, problems, files_read, records, unlisted, summaries, aliases, merges, attachments = head
        return (
            PaperTable(ids, table, papers),
            [Problem(path, message, line) for path, message, line in problems],
            list(files_read),
            records,
            unlisted,
            summaries,
            aliases,
            tuple(_decoded_merge(merge) for merge in merges),
            tuple(attachments),
        )
    except Exception:  # whatever is wrong with it, the files are read again
        return None


def _table(descriptor: int, header: dict[str, object]) -> dict[str, Any] | None:
    """The table of a snapshot made with `header`; None when it is another's or damaged."""
    with os.fdopen(os.dup(descriptor), "rb") as stream:
        if stream.read(len(_MAGIC)) != _MAGIC:
            return None
        prefix = stream.read(_PREFIX.size)
        if len(prefix) != _PREFIX.size:
            return None
        crc, header_length, table_start = _PREFIX.unpack(prefix)
        if json.loads(stream.read(header_length)) != header:
            return None
        stream.seek(table_start)
        encoded = stream.read()
    if zlib.crc32(encoded) != crc:
        return None
    table: dict[str, Any] = marshal.loads(encoded)
    return table


def store(
    folder: Path,
    files: Sequence[LibraryFile],
    listing: Sequence[Problem],
    readers: str,
    snapshot: Stored,
    people: People,
) -> None:
    """Keep a library, and the people its bylines name, for the next start (nothing is kept when
    it cannot be written, or marshal refuses a value)."""
    papers, problems, files_read, records, unlisted, summaries, aliases, merges, attachments = snapshot
    head = (
        [paper.id for paper in papers],
        [(p.path, p.message, p.line) for p in problems],
        list(files_read),
        records,
        unlisted,
        summaries,
        dict(aliases),
        [_encoded_merge(merge) for merge in merges],
        list(attachments),
    )
    path = _location(folder, files)
    encoded = json.dumps(_header(files, listing, readers)).encode()
    temporary: Path | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".tmp", delete=False) as stream:
            temporary = Path(stream.name)
            stream.write(_MAGIC + _PREFIX.pack(0, len(encoded), 0) + encoded)
            table = _write_papers(stream, papers, people)
            table["head"] = head
            table_start = stream.tell()
            blob = marshal.dumps(table)
            stream.write(blob)
            stream.seek(len(_MAGIC))
            stream.write(_PREFIX.pack(zlib.crc32(blob), len(encoded), table_start))
        temporary.replace(path)
    except (OSError, ValueError):
        if temporary is not None:
            temporary.unlink(missing_ok=True)


def _write_papers(stream: IO[bytes], papers: Sequence[Paper], people: People) -> dict[str, Any]:
    """Each paper's facts, then its records; the table saying where each is, and who each
    spelling names."""
    starts, fact_lengths, crcs = array("Q"), array("I"), array("I")
    spellings: dict[tuple[str, str, str], int] = {}
    byline_starts, byline_spellings = array("I", [0]), array("I")
    position = stream.tell()
    for paper in papers:
        encoded: list[Any] = list(encode_paper(paper))
        records = encoded[_RECORDS]
        assert isinstance(records, bytes)
        encoded[_RECORDS] = b""
        facts = marshal.dumps(tuple(encoded))
        starts.append(position)
        fact_lengths.append(len(facts))
        crcs.append(zlib.crc32(records, zlib.crc32(facts)))
        position += stream.write(facts) + stream.write(records)
        for parts in encoded[_AUTHORS]:
            byline_spellings.append(spellings.setdefault(parts, len(spellings)))
        byline_starts.append(len(byline_spellings))
    starts.append(position)
    persons: dict[Person, int] = {}
    person_of = array(
        "I", (persons.setdefault(people.person(Author(*parts)), len(persons)) for parts in spellings)
    )
    return {
        "people": marshal.dumps(([(p.key, p.name) for p in persons], person_of.tobytes())),
        "starts": starts.tobytes(),
        "fact_lengths": fact_lengths.tobytes(),
        "crcs": crcs.tobytes(),
        "spellings": list(spellings),
        "byline_starts": byline_starts.tobytes(),
        "byline_spellings": byline_spellings.tobytes(),
    }
