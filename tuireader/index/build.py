"""Writing an index: a whole generation from scratch on every core, or a refresh of a few papers.

Whoosh indexes on one core, and its own writer was measured at under 400 papers/s. A full
build therefore splits the papers into contiguous parts, has a worker process write each part
as segments of its own (see segments.py for how, and parallel.py for the processes), and then lists
all those segments in one table of contents. Document numbers thus follow the library's order.
A refresh goes through Whoosh's own writer: it adds a handful of papers.

The parts are cut by each paper's estimated cost (its text's length plus a constant), not by paper
count: a library's papers differ a lot (ACL's early ones have no abstract), and a split by count
left one worker writing alone for a third of the build. The same cut makes the segments: as many
as a split by `_SEGMENT_SIZE` papers would, each about as costly (and as large in memory).
"""

from __future__ import annotations

import bisect
import contextlib
import itertools
import os
import shutil
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import whoosh
from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import W3Codec
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC, FileIndex

from tuireader.index.documents import AnalyzedDocument, DocumentMaker, Facts, IndexRecord, record_weight
from tuireader.index.parallel import in_batches, write_parts_in_children
from tuireader.index.schema import INDEX_FORMAT, paper_schema
from tuireader.index.segments import write_segment
from tuireader.index.sidecar import SideData, sidecar_path
from tuireader.index.vocabulary import VOCABULARY_FILE, Vocabulary
from tuireader.logs import open_log_for_children

INDEX_NAME = "MAIN"
FORMAT_FILE = "format.txt"
PARALLEL_FROM = 2_000  # papers; below this, starting worker processes costs more than it saves
_ADDING_SHARE = 0.6  # of a part's time, measured: the rest is writing the inverted postings
_REPORT_EVERY = 250
_SEGMENT_SIZE = 16_000  # papers per segment: its postings are held in memory until written
# A segment cut by cost holds at most this many papers (many tiny papers still take memory each).
_SEGMENT_MOST = 2 * _SEGMENT_SIZE

Progress = Callable[[int, int], None]


def whoosh_codec() -> W3Codec:
    codec = W3Codec(compression=1)
    # Whoosh would re-read every posting's document length to keep per-block length bounds,
    # which only its own top-k pruning uses; we score from the side file. That re-reading was a
    # third of the build time.
    codec.length_stats = False
    return codec


def usable_cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class PartResult:
    vocabulary: dict[str, tuple[int, str]]
    # Its papers' side data, in order, people not yet assigned: made here, in the worker process,
    # it reaches the reader as a few arrays rather than as every paper's facts.
    side: SideData


def write_part(
    folder: Path,
    records: Iterable[IndexRecord],
    added: Callable[[int], None],
    written: Callable[[int], None] | None = None,
    segment_sizes: Sequence[int] = (),
) -> PartResult:
    """Segments of `segment_sizes` papers, then of `_SEGMENT_SIZE` (bounding memory), and their
    table of contents. `added(n)` as papers are analysed, `written(n)` as each segment's postings
    are written (in papers' worth: writing a segment's postings takes seconds that would otherwise
    show no progress)."""
    storage = FileStorage(str(folder))
    schema = paper_schema()
    codec = whoosh_codec()
    maker = DocumentMaker()
    # The side file is made from these: the records themselves may exist nowhere else by then.
    documents: list[tuple[str, tuple[object, ...]]] = []
    side = SideData()
    segments = []
    remaining = iter(records)
    sizes = itertools.chain(segment_sizes, itertools.repeat(_SEGMENT_SIZE))
    while (first := next(remaining, None)) is not None:
        # A stream, not a list: each record is let go once analysed, not held to the segment's end.
        stream = itertools.chain((first,), itertools.islice(remaining, max(next(sizes), 1) - 1))
        feed = _SegmentFeed(maker, documents, added, written)
        segments.append(
            write_segment(storage, schema, codec, INDEX_NAME, feed.analyzed(stream), feed.written)
        )
        feed.written(1.0)
        side.extend(documents)
        documents.clear()
    TOC(schema, segments, 0).write(storage, INDEX_NAME)
    return PartResult(maker.vocabulary_counts(), side)


class _SegmentFeed:
    """One segment's records analysed as the segment writer asks for them, with progress: papers
    as they are analysed, then shares of them as the postings are written."""

    def __init__(
        self,
        maker: DocumentMaker,
        documents: list[tuple[str, tuple[object, ...]]],
        added: Callable[[int], None],
        written: Callable[[int], None] | None,
    ) -> None:
        self.maker = maker
        self.documents = documents
        self.added = added
        self.report_written = written
        self.papers = 0
        self.reported = 0

    def analyzed(self, records: Iterable[IndexRecord]) -> Iterator[AnalyzedDocument]:
        for record in records:
            document = self.maker.analyze(record)
            self.documents.append((record.key, document.stored["facts"]))
            self.papers += 1
            yield document
            if self.papers % _REPORT_EVERY == 0:
                self.added(_REPORT_EVERY)
        self.added(self.papers % _REPORT_EVERY)

    def written(self, share: float) -> None:
        """`share` of the segment's postings written (the papers are all analysed by then)."""
        now = int(share * self.papers)
        if self.report_written is not None and now > self.reported:
            self.report_written(now - self.reported)
            self.reported = now


def _cut(weights: Sequence[int], pieces: int) -> list[int]:
    """Where to cut `weights` into at most `pieces` non-empty contiguous ranges of about equal
    total weight: the ends of the ranges, the last being `len(weights)`."""
    count = len(weights)
    prefix = list(itertools.accumulate(weights))  # weight of the papers up to each, included
    total = prefix[-1] if prefix else 0
    ends: list[int] = []
    for piece in range(1, pieces):
        target = total * piece / pieces
        end = bisect.bisect_left(prefix, target) + 1  # the first end whose weight reaches it
        if end > 1 and target - prefix[end - 2] < prefix[end - 1] - target:
            end -= 1  # the paper astride the target goes where it leaves the nearer total
        end = max(end, (ends[-1] if ends else 0) + 1)
        if end >= count:
            break
        ends.append(end)
    ends.append(count)
    return ends


def _plan(weights: Sequence[int], workers: int) -> list[list[range]]:
    """Each worker's segments, consecutive, as ranges of paper positions: as many segments as
    `_SEGMENT_SIZE` papers a segment would make (a multiple of `workers`), each of about equal
    weight, and as many of them for each worker."""
    per_worker = max(1, -(-len(weights) // (_SEGMENT_SIZE * workers)))
    segments: list[range] = []
    start = 0
    for end in _cut(weights, per_worker * workers):
        # Bounded by count too: a run of tiny papers must not make one huge segment.
        segments.extend(
            range(piece, min(piece + _SEGMENT_MOST, end)) for piece in range(start, end, _SEGMENT_MOST)
        )
        start = end
    # Given out by where each segment's middle falls in the total weight: parts stay contiguous,
    # and a segment added by the bound above does not shift the others.
    total = sum(weights) or 1
    parts = min(workers, len(segments))
    plan: list[list[range]] = [[] for _ in range(parts)]
    done = 0
    for segment in segments:
        weight = sum(weights[segment.start : segment.stop])
        plan[min(int((done + weight / 2) * parts / total), parts - 1)].append(segment)
        done += weight
    return [part for part in plan if part]


class _Tally:
    """Progress in papers, a paper counting partly once added and fully once its part is written."""

    def __init__(self, total: int, progress: Progress | None) -> None:
        self.total = total
        self.progress = progress
        self.added = 0
        self.written = 0

    def add(self, count: int) -> None:
        self.added += count
        self.report()

    def write(self, count: int) -> None:
        self.written += count
        self.report()

    def report(self) -> None:
        if self.progress is not None:
            done = self.written + (self.added - self.written) * _ADDING_SHARE
            self.progress(min(int(done), self.total), self.total)


def _write_parts(
    folder: Path, records: Sequence[IndexRecord], parts: list[list[range]], tally: _Tally
) -> list[PartResult]:
    part_folders = [folder / f"part-{number}" for number in range(len(parts))]
    with open_log_for_children() as log:
        results = write_parts_in_children(
            part_folders,
            records,
            parts,
            added=tally.add,
            written=tally.write,
            tick=tally.report,
            stderr=log,
        )
    _combine_segments(folder, part_folders)
    return results


def _combine_segments(folder: Path, part_folders: list[Path]) -> None:
    """One table of contents over every part's segments (files moved, none rewritten)."""
    segments = []
    for part_folder in part_folders:
        part_storage = FileStorage(str(part_folder))
        for segment in TOC.read(part_storage, INDEX_NAME).segments:
            for name in segment.list_files(part_storage):
                (part_folder / name).rename(folder / name)
            segments.append(segment)
        shutil.rmtree(part_folder, ignore_errors=True)
    TOC(paper_schema(), segments, 0).write(FileStorage(str(folder)), INDEX_NAME)


def build_generation(
    folder: Path,
    records: Sequence[IndexRecord],
    progress: Progress | None = None,
    workers: int | None = None,
    weights: Sequence[int] | None = None,
) -> SideData:
    """A complete Whoosh index of `records`, with its vocabulary, in the empty `folder`; returns
    the side data, for the caller to complete with people and save. `records` is read a slice at
    a time, as the papers are sent to be indexed: it may make them as they are asked for, and then
    `weights` should give each paper's estimated cost (see `documents.record_weight`) without
    making them."""
    workers = workers or usable_cores()
    tally = _Tally(len(records), progress)
    tally.report()
    if workers > 1 and len(records) >= PARALLEL_FROM:
        if weights is None:
            weights = [record_weight(record) for record in records]
        if len(weights) != len(records):
            raise ValueError("one weight a paper")
        results = _write_parts(folder, records, _plan(weights, workers), tally)
    else:
        batches = in_batches(records, range(len(records)))
        results = [write_part(folder, itertools.chain.from_iterable(batches), tally.add, tally.write)]
    # The largest part's words taken as they are, the others' added to them
    vocabulary = max(results, key=lambda result: len(result.vocabulary)).vocabulary
    for result in results:
        if result.vocabulary is vocabulary:
            continue
        for word, (count, stem) in result.vocabulary.items():
            previous = vocabulary.get(word)
            vocabulary[word] = (count + previous[0], stem) if previous else (count, stem)
    side = results[0].side
    for result in results[1:]:  # in the library's order
        side.concatenate(result.side)
    Vocabulary.from_counts(vocabulary).save(folder)
    (folder / FORMAT_FILE).write_text(f"{format_stamp()}\n", encoding="utf-8")
    return side


def format_stamp() -> str:
    """Names the layout: ours, and Whoosh's (whose codec an upgrade may change)."""
    return f"tuireader-index {INDEX_FORMAT} whoosh {whoosh.versionstring()}"


def open_whoosh(folder: Path) -> FileIndex:
    return whoosh_index.open_dir(str(folder), indexname=INDEX_NAME)


def refresh_in_place(
    folder: Path,
    ix: FileIndex,
    side: SideData,
    vocabulary: Vocabulary,
    added: Sequence[IndexRecord],
    removed: Sequence[int],
) -> tuple[FileIndex, SideData, Vocabulary]:
    """Delete and add a few documents with one Whoosh commit, in `folder` (a new generation
    sharing the current one's segment files; see opening.py); the caller then saves the side
    data. Existing segments are not merged, so document numbers stay."""
    maker = DocumentMaker()
    documents = [maker.whoosh_fields(record) for record in added]
    writer = ix.writer(codec=whoosh_codec(), compound=False)  # see segments.py
    try:
        for docnum in removed:
            writer.delete_document(docnum)
        for document in documents:
            writer.add_document(**document)
        writer.commit(merge=False)
    except BaseException:
        with contextlib.suppress(Exception):  # it fails too when its files cannot be finished
            writer.cancel()
        # Whoosh leaves the new segment's files, perhaps half written (a full disk): no table
        # of contents names them, so they only take room.
        for name in writer.newsegment.list_files(ix.storage):
            with contextlib.suppress(OSError):
                ix.storage.delete_file(name)
        raise
    # Saved after the commit: until then the generation is exactly as its manifest describes.
    vocabulary = vocabulary.merged(maker.vocabulary_counts())
    vocabulary.save(folder)
    for docnum in removed:
        side.delete(docnum)
    for record, document in zip(added, documents, strict=True):
        side.append(record.key, Facts.from_stored(document["facts"]))
    ix = open_whoosh(folder)
    if ix.doc_count_all() != len(side):  # Whoosh renumbered after all: read the stored facts
        side = side_from_index(ix)
    return ix, side, vocabulary


def generation_files(folder: Path, toc_generation: int) -> list[str]:
    """The files an index generation is read from: its segments, its table of contents and its
    side files (not the lock files, temporary files or leftovers of other generations)."""
    own = {FORMAT_FILE, VOCABULARY_FILE, sidecar_path(folder, toc_generation).name}
    own.add(f"_{INDEX_NAME}_{toc_generation}.toc")
    segment_prefix = f"{INDEX_NAME}_"
    return [
        entry.name
        for entry in folder.iterdir()
        if (entry.name in own or entry.name.startswith(segment_prefix))
        and not entry.name.endswith("_WRITELOCK")
        and entry.is_file()
    ]


def side_from_index(ix: FileIndex) -> SideData:
    """The side data rebuilt from the facts stored with each document (slow; only for repairs)."""
    with ix.reader() as reader:
        documents: list[tuple[str, Facts | None]] = []
        for docnum in range(reader.doc_count_all()):
            if reader.is_deleted(docnum):
                documents.append(("", None))
            else:
                stored = reader.stored_fields(docnum)
                documents.append((stored["key"], Facts.from_stored(stored["facts"])))
    return SideData.from_facts(documents)
