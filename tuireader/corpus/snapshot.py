"""The whole merged library kept between starts, so an unchanged library opens without work.

The parse cache saves parsing, but a start still rebuilt every paper, merged duplicates again and
assigned ids again: seconds at 60,000 papers, for nothing when no file changed. A snapshot holds
the finished library (ids, papers, problems), valid while every file's path, size and time, what
listing the files reported, the readers and the paper model are as they were. Papers are kept
encoded and rebuilt one at a time when first asked for (`PaperTable`): the first screen needs a
few dozen of them.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, overload

from tuireader.corpus.cache import PaperDecoder, model_stamp, read_batched_file, write_batched
from tuireader.corpus.files import LibraryFile
from tuireader.corpus.model import Author, Merge, Paper, Problem, Source

SUFFIX = ".library"


class PaperTable(Sequence[Paper]):
    """Papers rebuilt from their encoded form on first use; ids are at hand without rebuilding."""

    def __init__(self, ids: list[str], rows: list[tuple[Any, ...]]) -> None:
        self.ids = ids
        self._rows: list[tuple[Any, ...] | None] = list(rows)
        self._papers: list[Paper | None] = [None] * len(rows)
        self._decoder = PaperDecoder("", "")
        self._lock = threading.Lock()  # the decoder's shared author table is not thread-safe

    def __len__(self) -> int:
        return len(self._papers)

    def _paper(self, index: int) -> Paper:
        paper = self._papers[index]
        if paper is None:
            with self._lock:
                paper = self._papers[index]
                if paper is None:
                    row = self._rows[index]
                    assert row is not None
                    paper = self._papers[index] = self._decoder.paper(row)
                    self._rows[index] = None  # each paper is held once: decoded, or encoded
        return paper

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

    def bylines(self) -> Iterator[tuple[Author, ...]]:
        """Every paper's authors, without rebuilding (or keeping) the papers not yet asked for:
        the author tables need the names of all 60,000 papers, not the papers."""
        for index in range(len(self)):
            paper = self._papers[index]
            if paper is not None:
                yield paper.authors
                continue
            with self._lock:
                row = self._rows[index]
                paper = self._papers[index]
                byline = paper.authors if paper is not None else self._decoder.authors_of(row)
            yield byline

    def __eq__(self, other: object) -> bool:  # as a tuple of the same papers would be
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    # Equal to lists of the same papers, so unhashable like them; typeshed allows no None here.
    __hash__ = None  # type: ignore[assignment]


def _location(folder: Path, files: Sequence[LibraryFile]) -> Path:
    names = "\n".join(sorted(file.file_id for file in files))
    return folder / (hashlib.sha256(names.encode("utf-8", "surrogatepass")).hexdigest()[:32] + SUFFIX)


def _header(files: Sequence[LibraryFile], listing: Sequence[Problem], readers: str) -> dict[str, object]:
    return {
        **model_stamp(),
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
    try:
        kept = read_batched_file(_location(folder, files), _header(files, listing, readers))
        if kept is None:
            return None
        head, rows = kept
        ids, problems, files_read, records, unlisted, summaries, aliases, merges, attachments = head
        if len(ids) != len(rows):
            return None
        return (
            PaperTable(ids, rows),
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


def store(
    folder: Path,
    files: Sequence[LibraryFile],
    listing: Sequence[Problem],
    readers: str,
    snapshot: Stored,
) -> None:
    """Keep a library for the next start (nothing is kept when it cannot be written)."""
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
    write_batched(_location(folder, files), _header(files, listing, readers), head, papers)
