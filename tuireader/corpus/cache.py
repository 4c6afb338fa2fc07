"""Parsed files kept between starts, so an unchanged file is never parsed twice.

One cache file per library file, named after its absolute path and valid while the file's size
and modification time, the reader and the Paper model are unchanged. The payload is `marshal`
data behind a CRC, so a damaged or foreign cache file is noticed, ignored and rewritten — never
trusted and never fatal. Writes go to a temporary file renamed into place, so a reader never sees
half a cache file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import marshal
import operator
import struct
import sys
import tempfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import platformdirs

from tuireader.corpus.files import LibraryFile
from tuireader.corpus.model import Author, Emphasis, Paper, Problem, Record, Source, Span, StyledText
from tuireader.corpus.problem_log import ProblemLog
from tuireader.corpus.readers.bibtex_scan import RawString
from tuireader.corpus.readers.bibtex_values import BibFileFacts, Dependency

FORMAT = 5  # 2: a file's problems are the kept ones and a count of the rest; 3: records as written;
# 5: papers written a batch at a time after the rest, each part after its length
_MAGIC = b"tuireader-cache\n"
_PREFIX = struct.Struct("<II")  # CRC-32 of the payload, length of the JSON header
_LENGTH = struct.Struct("<Q")  # of each marshalled part of the payload
# Papers are encoded and written this many at a time: the encoded form of a whole large library,
# and its marshal bytes, would each take as much memory again as its papers.
_BATCH = 2048
_PAPER_FIELDS = tuple(spec.name for spec in fields(Paper))
_all_fields = operator.attrgetter(*_PAPER_FIELDS)
_AUTHORS, _ABSTRACT, _DATE, _SOURCES, _EDITORS, _RECORDS = map(
    _PAPER_FIELDS.index, ("authors", "abstract", "date", "sources", "editors", "records")
)


@dataclass(slots=True)
class FileResult:
    """What reading one file gave: its records and problems, and for BibTeX what it shares and uses."""

    reader: str
    records: list[Paper] = field(default_factory=list)
    problems: ProblemLog = field(default_factory=ProblemLog)
    bib_facts: BibFileFacts | None = None
    dependencies: tuple[Dependency, ...] = ()

    def __post_init__(self) -> None:
        # Every file's problems pass here, fresh from a reader or from the cache: whatever
        # collection a reader hands over, the library and the cache get a bounded log.
        if not isinstance(self.problems, ProblemLog):
            self.problems = ProblemLog(self.problems)


def default_folder() -> Path:
    return Path(platformdirs.user_cache_dir("tuireader")) / "library"


def _encoded_records(records: tuple[Record, ...]) -> bytes:
    """Records as their own marshal blob: a library opens by loading one payload, and a blob
    inside it is copied, not parsed, until its paper is first asked for."""
    return marshal.dumps(
        tuple(
            (
                r.format,
                r.entry_type,
                r.key,
                r.fields,
                r.source.path if r.source else None,
                r.source.line if r.source else 0,
                r.strings,
            )
            for r in records
        )
    )


def _encoded_authors(authors: tuple[Author, ...]) -> tuple[tuple[str, str, str], ...]:
    return tuple((a.family, a.given, a.literal) for a in authors)


def encode_paper(paper: Paper) -> tuple[object, ...]:
    # Every field in one C-level call, then only the few that are not plain values are replaced:
    # a field at a time by name was most of what storing a large library cost.
    values = list(_all_fields(paper))
    values[_AUTHORS] = _encoded_authors(paper.authors)
    values[_EDITORS] = _encoded_authors(paper.editors)
    records = paper.records
    values[_RECORDS] = _encoded_records(records) if records else b""
    abstract = paper.abstract
    values[_ABSTRACT] = (abstract.text, tuple((s.start, s.end, s.emphasis.value) for s in abstract.spans))
    date = paper.date
    values[_DATE] = date.isoformat() if date else None
    values[_SOURCES] = tuple((s.path, s.line) for s in paper.sources)
    return tuple(values)


class PaperDecoder:
    """Rebuilds Papers, sharing one Author object per spelling (large libraries repeat names a lot)."""

    def __init__(self, shown: str, stored_shown: str) -> None:
        self.authors: dict[tuple[str, str, str], Author] = {}
        self.rename = {stored_shown: shown} if shown != stored_shown else {}

    def author(self, parts: tuple[str, str, str]) -> Author:
        found = self.authors.get(parts)
        if found is None:
            found = self.authors[parts] = Author(*parts)
        return found

    def authors_of(self, encoded: tuple[Any, ...] | None) -> tuple[Author, ...]:
        """Only the authors of an encoded paper."""
        return () if encoded is None else tuple(self.author(parts) for parts in encoded[_AUTHORS])

    def paper(
        self,
        encoded: tuple[Any, ...],
        records: tuple[Record, ...] | None = None,
        sources: tuple[Source, ...] | None = None,
    ) -> Paper:
        """The paper `encode_paper` encoded; `records` and `sources`, when given, stand for the
        encoded ones."""
        values = list(encoded)
        values[_AUTHORS] = tuple(self.author(parts) for parts in values[_AUTHORS])
        values[_EDITORS] = tuple(self.author(parts) for parts in values[_EDITORS])
        text, spans = values[_ABSTRACT]
        values[_ABSTRACT] = StyledText(text, tuple(Span(s, e, Emphasis(kind)) for s, e, kind in spans))
        if values[_DATE] is not None:
            values[_DATE] = dt.date.fromisoformat(values[_DATE])
        rename = self.rename
        if sources is None:
            sources = tuple(Source(rename.get(path, path), line) for path, line in values[_SOURCES])
        values[_SOURCES] = sources
        values[_RECORDS] = self.records(values[_RECORDS]) if records is None else records
        return Paper(*values)

    def records(self, blob: bytes) -> tuple[Record, ...]:
        if not blob:
            return ()
        rename = self.rename
        return tuple(
            Record(
                kind,
                entry_type,
                key,
                tuple(map(tuple, fields)),
                None if path is None else Source(rename.get(path, path), line),
                tuple(map(tuple, strings)),
            )
            for kind, entry_type, key, fields, path, line, strings in marshal.loads(blob)
        )

    def problem(self, encoded: tuple[str, str, int | None]) -> Problem:
        path, message, line = encoded
        return Problem(self.rename.get(path, path), message, line)


def model_stamp() -> dict[str, object]:
    """What cached papers depend on besides their files: this format, Python's marshal, the model."""
    return {"format": FORMAT, "python": list(sys.version_info[:2]), "paper_fields": list(_PAPER_FIELDS)}


def _header(file: LibraryFile, reader_version: str) -> dict[str, object]:
    return {
        **model_stamp(),
        "file": file.file_id,
        "signature": file.signature,
        "readers": reader_version,
    }


class ParseCache:
    def __init__(self, folder: Path | None = None, reader_version: str = "") -> None:
        self.folder = folder or default_folder()
        self.reader_version = reader_version

    def _location(self, file: LibraryFile) -> Path:
        return self.folder / (hashlib.sha256(file.file_id.encode()).hexdigest()[:32] + ".cache")

    def load(self, file: LibraryFile) -> FileResult | None:
        """The cached result for `file` as it is now, or None (missing, stale or damaged)."""
        try:
            data = self._location(file).read_bytes()
            return self._decode(data, file)
        except Exception:  # any damage at all means: parse the file again
            return None

    def _decode(self, data: bytes, file: LibraryFile) -> FileResult | None:
        payload = unframe(data, _header(file, self.reader_version))
        if payload is None:
            return None
        (reader, shown, problems, unlisted, facts, dependencies), records = read_batched(payload)
        decoder = PaperDecoder(file.shown, shown)
        bib_facts = None
        if facts is not None:
            file_id, signature, strings, keys = facts
            bib_facts = BibFileFacts(file_id, signature, tuple(RawString(*s) for s in strings), tuple(keys))
        return FileResult(
            reader,
            [decoder.paper(record) for record in records],
            ProblemLog((decoder.problem(problem) for problem in problems), unlisted=unlisted),
            bib_facts,
            tuple((kind, home, name, token) for kind, home, name, token in dependencies),
        )

    def store(self, file: LibraryFile, result: FileResult) -> None:
        """Keep `result` for the next start; a cache that cannot be written is simply not kept."""
        facts = result.bib_facts
        head = (
            result.reader,
            file.shown,
            [(p.path, p.message, p.line) for p in result.problems],
            result.problems.unlisted,
            None
            if facts is None
            else (
                facts.file_id,
                facts.signature,
                [(s.name, s.value, s.line) for s in facts.strings],
                facts.keys,
            ),
            result.dependencies,
        )
        write_batched(self._location(file), _header(file, self.reader_version), head, result.records)


def _blobs(head: Any, papers: Sequence[Paper]) -> Iterator[bytes]:
    """Each marshalled after its length: marshal reading from a file object goes a few bytes at a
    time, while from a slice of the payload it reads at full speed."""
    batches = (papers[start : start + _BATCH] for start in range(0, len(papers), _BATCH))
    for value in itertools.chain([head], ([encode_paper(paper) for paper in batch] for batch in batches)):
        blob = marshal.dumps(value)
        yield _LENGTH.pack(len(blob))
        yield blob


def write_batched(path: Path, header: dict[str, object], head: Any, papers: Sequence[Paper]) -> None:
    """A cache file: magic, the payload's CRC, a JSON header saying what it is valid for, and the
    payload: `head` marshalled, then the papers encoded a batch at a time (`read_batched`).

    Written atomically; nothing is kept when it cannot be written, or marshal refuses a value.
    """
    encoded = json.dumps(header).encode()
    temporary: Path | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".tmp", delete=False) as stream:
            temporary = Path(stream.name)
            stream.write(_MAGIC + _PREFIX.pack(0, len(encoded)) + encoded)
            crc = 0
            for blob in _blobs(head, papers):
                crc = zlib.crc32(blob, crc)
                stream.write(blob)
            stream.seek(len(_MAGIC))
            stream.write(_PREFIX.pack(crc, len(encoded)))
        temporary.replace(path)
    except (OSError, ValueError):
        if temporary is not None:
            temporary.unlink(missing_ok=True)


def read_batched(payload: bytes | memoryview) -> tuple[Any, list[tuple[Any, ...]]]:
    """The head and the encoded papers of a payload `write_batched` wrote."""
    view = memoryview(payload)
    values = []
    position = 0
    while position < len(view):
        (length,) = _LENGTH.unpack_from(view, position)
        position += _LENGTH.size
        values.append(marshal.loads(view[position : position + length]))
        position += length
    head, *batches = values
    return head, [paper for batch in batches for paper in batch]


def read_batched_file(path: Path, header: dict[str, object]) -> tuple[Any, list[tuple[Any, ...]]] | None:
    """`read_batched` of a cache file made with this `header`, read a batch at a time, so that the
    file's bytes are never held whole beside what they decode to; None when it is another's or
    damaged (the checksum is kept as it goes and compared at the end)."""
    with path.open("rb") as stream:
        if stream.read(len(_MAGIC)) != _MAGIC:
            return None
        prefix = stream.read(_PREFIX.size)
        if len(prefix) != _PREFIX.size:
            return None
        crc, header_length = _PREFIX.unpack(prefix)
        if json.loads(stream.read(header_length)) != header:
            return None
        running = 0
        values = []
        while size := stream.read(_LENGTH.size):
            (length,) = _LENGTH.unpack(size) if len(size) == _LENGTH.size else (-1,)
            chunk = stream.read(length) if length >= 0 else b""
            if length < 0 or len(chunk) != length:
                return None
            running = zlib.crc32(chunk, zlib.crc32(size, running))
            values.append(marshal.loads(chunk))
    if running != crc or not values:
        return None
    head, *batches = values
    return head, [paper for batch in batches for paper in batch]


def unframe(data: bytes, header: dict[str, object]) -> memoryview | None:
    """The payload of a cache file made with this `header`; None when it is another's or damaged.
    A view, not a copy: a library's snapshot is a hundred megabytes."""
    if not data.startswith(_MAGIC):
        return None
    crc, header_length = _PREFIX.unpack_from(data, len(_MAGIC))
    start = len(_MAGIC) + _PREFIX.size
    if json.loads(data[start : start + header_length]) != header:
        return None
    payload = memoryview(data)[start + header_length :]
    return payload if zlib.crc32(payload) == crc else None
