"""Loading a library: files and folders → one merged, id-stamped collection of papers.

Each file is read by the reader its content calls for, or taken from the parse cache when it has
not changed. BibTeX files are read together (macros and crossref parents cross files), so they
are scanned first and evaluated once every file's definitions are known.
"""

from __future__ import annotations

import gc
import math
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from tuireader.corpus import snapshot
from tuireader.corpus.attachments import is_attachment, with_attachments
from tuireader.corpus.bibtex_linking import link_bibtex
from tuireader.corpus.bibtex_parts import scan_file
from tuireader.corpus.cache import FileResult, ParseCache
from tuireader.corpus.detect import READERS, detect
from tuireader.corpus.files import (
    SQLITE_MAGIC,
    LibraryFile,
    RefusedFile,
    library_files,
    looks_binary,
    read_head,
    read_text,
    text_head,
)
from tuireader.corpus.keys import assign_ids, normalise_arxiv_id
from tuireader.corpus.merge import combine, merge_groups
from tuireader.corpus.model import Author, Merge, Paper, Problem
from tuireader.corpus.names import People
from tuireader.corpus.problem_log import ProblemLog
from tuireader.corpus.readers import bibtex, zotero_sqlite
from tuireader.corpus.readers.bibtex_scan import BibScan
from tuireader.corpus.readers.zotero_prefs import settings_stamp
from tuireader.corpus.snapshot import PaperTable

BUNDLED_LABEL = "seeds"
# How much of a BibTeX file's progress is splitting it (bibtexparser) rather than evaluating it.
_SCAN_SHARE = 0.6


@dataclass(frozen=True)
class Library:
    """The merged papers, and the problems met on the way. A file lists at most `PROBLEMS_KEPT`;
    one with more ends its list with a problem saying how many were left out, and
    `unlisted_problems` adds those counts up.
    """

    papers: Sequence[Paper]  # a tuple, or a PaperTable rebuilding papers as they are asked for
    problems: tuple[Problem, ...] = ()
    files_read: tuple[str, ...] = ()
    records_read: int = 0
    unlisted_problems: int = 0
    summary_lines: int = 0  # of `problems`: "… and N more", one per file with unlisted problems
    # Every citation key a source gave that is not its paper's id, and the paper's id: a merged
    # paper, or one whose key was taken by an earlier paper, is still found by each of its keys.
    aliases: Mapping[str, str] = field(default_factory=dict)
    merges: tuple[Merge, ...] = ()  # every paper made from more than one record
    attachments: tuple[str, ...] = ()  # PDFs and other documents found beside the library's files

    @property
    def problem_count(self) -> int:
        """Every problem met, listed or not."""
        return len(self.problems) - self.summary_lines + self.unlisted_problems

    @property
    def paper_ids(self) -> Sequence[str]:
        """Every paper's id, in order, without rebuilding papers kept encoded."""
        if isinstance(self.papers, PaperTable):
            return self.papers.ids
        return [paper.id for paper in self.papers]

    def papers_passing(self, start: int, stop: int, *, records: bool = True) -> Iterator[Paper]:
        """The papers from `start` to `stop` for one pass, without keeping papers kept encoded
        (nor, without `records`, rebuilding their records as written, if they must be rebuilt)."""
        if isinstance(self.papers, PaperTable):
            return self.papers.passing(start, stop, records=records)
        return iter(self.papers[start:stop])

    @cached_property
    def _position(self) -> dict[str, int]:
        ids = self.paper_ids
        return dict(zip(ids, range(len(ids)), strict=True))  # in C: a third of a comprehension's time

    @cached_property
    def people(self) -> People:
        if isinstance(self.papers, PaperTable):  # grouped when the snapshot was written
            return self.papers.people()
        return People(author for byline in self.bylines() for author in byline)

    def bylines(self) -> Iterator[tuple[Author, ...]]:
        """Every paper's authors, in order, without rebuilding papers kept encoded."""
        if isinstance(self.papers, PaperTable):
            return self.papers.bylines()
        return (paper.authors for paper in self.papers)

    @cached_property
    def _folded_aliases(self) -> dict[str, str]:
        # BibTeX itself matches keys without regard to case; an exact match still comes first.
        # Aliases before ids, and within each the first of keys folding alike: built in reverse
        # order, the last one written wins. As maps in C (a Python loop took 70 ms at 60,000 papers).
        ids = self.paper_ids
        folded = dict(zip(map(str.casefold, reversed(ids)), reversed(ids), strict=True))
        keys, targets = list(self.aliases), list(self.aliases.values())
        folded.update(zip(map(str.casefold, reversed(keys)), reversed(targets), strict=True))
        return folded

    def get(self, paper_id: str) -> Paper | None:
        """A paper by id or by any citation key its sources gave it; `arXiv:ID` and versioned arXiv
        ids are accepted too."""
        position = self._position.get(paper_id)
        if position is None and paper_id in self.aliases:
            position = self._position.get(self.aliases[paper_id])
        if position is None:
            arxiv_id = normalise_arxiv_id(paper_id)
            position = self._position.get(arxiv_id) if arxiv_id else None
        if position is None and (found := self._folded_aliases.get(paper_id.casefold())):
            position = self._position.get(found)
        return None if position is None else self.papers[position]


@dataclass(frozen=True, slots=True)
class LoadProgress:
    """How far loading is: `stage` is "reading" (files and bytes count up) or "merging"."""

    stage: str
    files_done: int
    files_total: int
    bytes_done: int
    bytes_total: int
    current: str = ""

    @property
    def fraction(self) -> float:
        return self.bytes_done / self.bytes_total if self.bytes_total else 1.0


ProgressCallback = Callable[[LoadProgress], None]


# The reader shows progress by waiting for its screen to be drawn: a call more often than this
# (a folder of small files, a large file's many parts) would cost loading time and show nothing new.
PROGRESS_INTERVAL = 0.05


class _Tracker:
    def __init__(
        self,
        files: Sequence[LibraryFile],
        callback: ProgressCallback | None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.callback = callback
        self.files_total = len(files)
        self.bytes_total = sum(file.size for file in files)
        self.files_done = 0
        self.bytes_done = 0.0
        self.clock = clock
        self.reported_at = -math.inf
        self.stage = ""

    def report(self, current: str = "", partial: float = 0.0, stage: str = "reading") -> None:
        """Call back with the progress, unless it did less than PROGRESS_INTERVAL ago: a new stage
        and the last of the bytes are always reported."""
        if self.callback is None:
            return
        done = min(int(self.bytes_done + partial), self.bytes_total)
        now = self.clock()
        if stage == self.stage and done < self.bytes_total and now - self.reported_at < PROGRESS_INTERVAL:
            return
        self.stage, self.reported_at = stage, now
        self.callback(LoadProgress(stage, self.files_done, self.files_total, done, self.bytes_total, current))

    def advance(self, file: LibraryFile, share: float = 1.0, *, file_done: bool = False) -> None:
        self.bytes_done += file.size * share
        self.files_done += file_done
        self.report(file.shown)

    def within(self, file: LibraryFile, share: float) -> Callable[[float], None]:
        """A callback for progress inside one file, as a fraction of `share` of its bytes."""
        return lambda fraction: self.report(file.shown, file.size * share * fraction)


def bundled_paths() -> list[Path]:
    """The bundled documents: inside the installed package, or beside it in a source checkout."""
    package = Path(__file__).resolve().parent.parent
    for folder in (package / "seeds", package.parent / "seeds"):
        if folder.is_dir():
            return sorted(folder.glob("*.txt"))
    return []


def _bundled_files() -> list[LibraryFile]:
    files = []
    for path in bundled_paths():
        status = path.stat()
        files.append(LibraryFile(path, f"{BUNDLED_LABEL}/{path.name}", status.st_size, status.st_mtime_ns))
    return files


def readers_version() -> str:
    readers = ";".join(f"{reader.name}={reader.version}" for reader in READERS)
    return f"{readers};{zotero_sqlite.NAME}={zotero_sqlite.VERSION};linked-base={settings_stamp()}"


def _read_one(file: LibraryFile, tracker: _Tracker) -> FileResult | BibScan | None:
    """A file's result, its BibTeX scan (evaluated later), or None when no reader knows it."""
    head = read_head(file)
    if head.startswith(SQLITE_MAGIC):
        return _read_database(file)
    if looks_binary(head):
        return None
    reader = detect(text_head(head))
    if reader is None:
        return None
    if reader is bibtex.READER:
        return scan_file(file, tracker.within(file, _SCAN_SHARE))
    text, read_problems = read_text(file)
    problems = ProblemLog(read_problems)
    try:
        result = reader.read(text, file.shown)
    except Exception as error:  # a reader bug must cost one file, not the library
        problems.append(Problem(file.shown, f"could not be read as {reader.name}: {error}"))
        return FileResult(reader.name, [], problems)
    problems.extend(result.problems)
    return FileResult(reader.name, result.records, problems)


def _read_database(file: LibraryFile) -> FileResult | None:
    try:
        result = zotero_sqlite.read_database(file.path, file.shown)
    except zotero_sqlite.NotZotero:
        return None
    return FileResult(zotero_sqlite.NAME, result.records, result.problems)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Loading makes millions of objects that live on, nearly none of them garbage in a cycle:
    each full pass of the cycle collector walks them all again (a third of a large library's
    parse time, measured), and refcounting frees the rest as it goes."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_library(
    paths: Sequence[str | Path] | None = None,
    *,
    progress: ProgressCallback | None = None,
    cache: ParseCache | bool | None = True,
    merge: bool = True,
) -> Library:
    """Read every file (the bundled corpus when `paths` is None), merge duplicates, assign ids.

    `progress` is called as files are read and once more before merging; `cache` is True for the
    user's cache folder, False for none, or a ParseCache of one's own. With `merge` False every
    record stays a paper of its own.
    """
    with _collector_paused():
        return _loaded(paths, progress, cache, merge)


def _loaded(
    paths: Sequence[str | Path] | None,
    progress: ProgressCallback | None,
    cache: ParseCache | bool | None,
    merge: bool,
) -> Library:
    problems: list[Problem]
    if paths is None:
        files, problems = _bundled_files(), []
    else:
        files, problems = library_files(paths)
    parse_cache = ParseCache(reader_version=readers_version()) if cache is True else cache or None
    tracker = _Tracker(files, progress)
    tracker.report()
    listing = tuple(problems)
    snapshot_kind = _snapshot_kind(parse_cache, merge) if parse_cache else ""
    if parse_cache is not None:
        kept = _kept(parse_cache, files, listing, snapshot_kind)
        if kept is not None:
            tracker.files_done, tracker.bytes_done = len(files), tracker.bytes_total
            tracker.report()
            return kept
    # A library of one file is kept whole by its snapshot: a cache of the file alone would only
    # serve opening it beside other files, or with duplicates merged the other way, and writing
    # it costs 0.8 s at 63,700 papers.
    file_cache = parse_cache if len(files) > 1 else None
    results: dict[int, FileResult] = {}
    scans: dict[int, BibScan] = {}
    unknown: set[int] = set()
    for index, file in enumerate(files):
        if is_attachment(file):
            unknown.add(index)
            tracker.advance(file, file_done=True)
            continue
        cached = parse_cache.load(file) if parse_cache else None
        if cached is not None:
            results[index] = cached
            tracker.advance(file, 1.0 if cached.bib_facts is None else _SCAN_SHARE, file_done=True)
            continue
        try:
            outcome = _read_one(file, tracker)
        except RefusedFile as error:  # bigger once read or unpacked, or swapped for a pipe since listed
            outcome = FileResult("", [], ProblemLog([Problem(file.shown, f"{error}; skipped")]))
        except OSError as error:
            reason = f"cannot read: {error.strerror or error}"
            outcome = FileResult("", [], ProblemLog([Problem(file.shown, reason)]))
        if outcome is None:
            unknown.add(index)
        elif isinstance(outcome, BibScan):
            scans[index] = outcome
        else:
            results[index] = outcome
            if file_cache and outcome.reader:
                file_cache.store(file, outcome)
        tracker.advance(file, _SCAN_SHARE if isinstance(outcome, BibScan) else 1.0, file_done=True)
    # What is made before evaluating (the entries as scanned, mostly) holds no cycle: frozen, the
    # collector's pass below leaves it out (a third of that pass). Not if another froze objects.
    freezing = bool(scans) and gc.get_freeze_count() == 0
    if freezing:
        gc.freeze()
    try:
        results |= link_bibtex(files, results, scans, file_cache, tracker, 1.0 - _SCAN_SHARE)
        # The entries as scanned are papers now. pylatexenc leaves its frames in reference cycles,
        # and a frame keeps its callers' locals: one pass frees what they hold before merging.
        if scans:
            scans.clear()
            gc.collect()
    finally:
        if freezing:
            gc.unfreeze()
    library = _assembled(files, problems, results, unknown, tracker, merge)
    results.clear()  # the records before merging, no longer needed while the snapshot is written
    if parse_cache is not None:
        facts = (library.papers, library.problems, library.files_read, library.records_read)
        counts = (library.unlisted_problems, library.summary_lines)
        found_by = (dict(library.aliases), library.merges, library.attachments)
        # The people are grouped here rather than at the next start; indexing needs them anyway.
        stored = (*facts, *counts, *found_by)
        snapshot.store(parse_cache.folder, files, listing, snapshot_kind, stored, library.people)
    return library


def _kept(
    parse_cache: ParseCache, files: Sequence[LibraryFile], listing: tuple[Problem, ...], kind: str
) -> Library | None:
    kept = snapshot.load(parse_cache.folder, files, listing, kind)
    if kept is None:
        return None
    papers, problems, files_read, records, unlisted, summaries, aliases, merges, attached = kept
    return Library(
        papers, tuple(problems), tuple(files_read), records, unlisted, summaries, aliases, merges, attached
    )


def kept_library(paths: Sequence[str | Path] | None = None, *, merge: bool = True) -> Library | None:
    """The library as its cache keeps it, papers rebuilt as they are asked for, if its files are
    as they were when it was kept; None otherwise. A library just read holds every paper in
    memory; read back this way it holds a fraction, until its papers are asked for."""
    files, problems = (_bundled_files(), []) if paths is None else library_files(paths)
    parse_cache = ParseCache(reader_version=readers_version())
    return _kept(parse_cache, files, tuple(problems), _snapshot_kind(parse_cache, merge))


def _snapshot_kind(parse_cache: ParseCache, merge: bool) -> str:
    return f"{parse_cache.reader_version};merge={int(merge)}"


def _assembled(
    files: Sequence[LibraryFile],
    problems: list[Problem],
    results: dict[int, FileResult],
    unknown: set[int],
    tracker: _Tracker,
    merge: bool = True,
) -> Library:
    records: list[Paper] = []
    files_read: list[str] = []
    attachments: list[LibraryFile] = []
    unlisted = summaries = 0
    for index, file in enumerate(files):
        if index in unknown and is_attachment(file):
            attachments.append(file)
            continue
        if index in unknown:
            problems.append(Problem(file.shown, "not in a format tuireader reads; skipped"))
            continue
        result = results[index]
        problems.extend(result.problems.listed(file.shown))
        unlisted += result.problems.unlisted
        summaries += bool(result.problems.unlisted)
        records.extend(result.records)
        lends_macros = bool(result.bib_facts and result.bib_facts.strings)
        if result.records or lends_macros:
            files_read.append(file.shown)
        elif result.reader and not result.problems:
            problems.append(Problem(file.shown, f"no papers in this {result.reader} file"))
    tracker.report(stage="merging")
    groups = merge_groups(records) if merge else [[index] for index in range(len(records))]
    papers = assign_ids(combine([records[index] for index in group]) for group in groups)
    aliases, merges = _found_by(records, groups, papers)
    papers = with_attachments(papers, attachments)
    return Library(
        tuple(papers),
        tuple(problems),
        tuple(files_read),
        len(records),
        unlisted,
        summaries,
        aliases,
        merges,
        tuple(str(file.path) for file in attachments),
    )


def _found_by(
    records: Sequence[Paper], groups: Sequence[Sequence[int]], papers: Sequence[Paper]
) -> tuple[dict[str, str], tuple[Merge, ...]]:
    """Each source key that is not its paper's id → that id (the first paper with a key keeps it),
    and the records behind every merged paper."""
    aliases: dict[str, str] = {}
    ids = {paper.id for paper in papers}
    merges: list[Merge] = []
    for group, paper in zip(groups, papers, strict=True):
        for index in group:
            key = records[index].citation_key
            if key and key != paper.id and key not in ids:
                aliases.setdefault(key, paper.id)
        if len(group) > 1:
            shown = tuple(
                (records[i].citation_key, records[i].sources[0] if records[i].sources else None)
                for i in group
            )
            merges.append(Merge(paper.id, shown))
    return aliases, tuple(merges)
