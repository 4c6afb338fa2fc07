"""Getting a library's index ready: reuse it, refresh what changed, or build it; never crash.

Under the index folder's lock: open the current generation and check it (its manifest: every
file there at its recorded size, the small ones at their recorded checksum; then the format,
side file and vocabulary). If the library's signature (its files' sizes and times, the reading
code, its paper ids) is the one recorded, it is used as it is. Otherwise each paper's content
hash is compared with the one stored for it:
- nothing changed: use it as it is (and record the signature);
- a few papers changed: delete and add just those (one Whoosh commit), in a new generation
  whose files are otherwise hard links to the current one's, and switch to it atomically;
- otherwise, or when anything about the index is missing, damaged or foreign: build a new
  generation beside it and switch to it atomically.

What cannot be helped is one `IndexUnavailable` whose message is a line for the user: no room
to write a new generation (the previous one is left as it was, and the half-written one
removed), or no folder to write it in at all. A cache folder that is not a folder, or not
writable, is not such a case: the index is kept under the temporary directory instead, and
`OpenedIndex.notice` says so.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, overload

from whoosh.index import FileIndex

from tuireader.atomic import write_atomically
from tuireader.corpus.library import Library
from tuireader.corpus.model import Paper
from tuireader.corpus.snapshot import PaperTable
from tuireader.index.build import (
    FORMAT_FILE,
    INDEX_NAME,
    build_generation,
    format_stamp,
    generation_files,
    open_whoosh,
    refresh_in_place,
    side_from_index,
)
from tuireader.index.documents import IndexRecord, content_hash, paper_weight, record_of
from tuireader.index.location import (
    IndexHome,
    IndexUnavailable,
    Manifest,
    damaged_files,
    describe,
    fallback_root,
    index_root,
    is_full_disk,
    library_key,
    library_signature,
    read_manifest,
    use_generation,
    write_manifest,
    wrong_sizes,
)
from tuireader.index.parallel import PartFailed
from tuireader.index.sidecar import SideData, sidecar_path
from tuireader.index.vocabulary import Vocabulary

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
SIGNATURE_FILE = "signature.txt"
_REFRESH_AT_MOST = 0.2  # of the papers: a larger change is rebuilt (faster, and no holes left)
_MAX_SEGMENTS = 24  # each refresh adds one; past this, rebuild to keep queries fast
# Segment files up to this size are checksummed at every open; larger ones (most of a big
# index's bytes, a third of a second at 100,000 papers) by the engine in the background.
CHECKED_AT_OPEN = 1 << 20
# What indexing any paper costs besides its text, in bytes of its encoded facts: fitted on ACL's
# two parts as they are cut, from the workers' CPU time (10 to 60 in five builds).
_ENCODED_PAPER_COST = 40
_ERRNO_IN_TEXT = re.compile(r"\[Errno (\d+)\] ([^\]]+)$")


@dataclass
class OpenedIndex:
    folder: Path
    whoosh: FileIndex
    side: SideData
    vocabulary: Vocabulary
    action: str  # "opened", "refreshed" or "built": what it took
    manifest: Manifest
    in_use: IO[bytes] | None = None  # keeps other processes from removing the generation
    notice: str | None = None  # something the user should know (where the index had to go)


def checked_later(manifest: Manifest) -> list[str]:
    """The large segment files, which opening only checks by size."""
    return [
        name
        for name, stamp in manifest.files.items()
        if name.startswith(f"{INDEX_NAME}_") and stamp.size > CHECKED_AT_OPEN
    ]


def prepare_index(
    library: Library,
    *,
    progress: Progress | None = None,
    root: Path | None = None,
    workers: int | None = None,
    fingerprint: str | None = None,
    rebuild: bool = False,
) -> OpenedIndex:
    opened = _prepared(library, progress, root, workers, fingerprint, rebuild, current_only=False)
    assert opened is not None
    return opened


def open_current_index(library: Library, *, root: Path | None = None) -> OpenedIndex | None:
    """The library's index if it is known current without looking at its papers (files and code
    unchanged since it was built); None when it needs any work. Quick: for showing the library
    searchable from the first paint when nothing changed."""
    return _prepared(library, None, root, None, None, False, current_only=True)


def _prepared(
    library: Library,
    progress: Progress | None,
    root: Path | None,
    workers: int | None,
    fingerprint: str | None,
    rebuild: bool,
    *,
    current_only: bool,
) -> OpenedIndex | None:
    signature = library_signature(library, fingerprint)
    home, notice = _usable_home(root or index_root(), library_key(library))
    try:
        with home.locked():
            opened = None if rebuild else _open_current(home, library)
            if opened is not None and signature is not None and _signature(opened.folder) == signature:
                _report_done(progress, library)
            elif current_only:
                return None
            else:
                hashes = None
                if opened is not None:
                    hashes = {paper.id: content_hash(paper) for paper in _every_paper(library)}
                    opened = _bring_up_to_date(home, opened, library, hashes, progress)
                if opened is None:
                    opened = _build(home, library, hashes, progress, workers)
                if signature is not None:
                    with contextlib.suppress(OSError):  # only costs hashing the papers next time
                        write_atomically(opened.folder / SIGNATURE_FILE, signature.encode("utf-8"))
            home.remove_stale()
            opened.in_use = use_generation(opened.folder)
    except IndexUnavailable:
        raise
    except OSError as error:  # the lock itself (everything under it says what failed)
        reason = describe(error)
        raise IndexUnavailable(f"the search index in {home.folder} cannot be used ({reason})") from error
    opened.notice = notice
    return opened


def _usable_home(root: Path, key: str) -> tuple[IndexHome, str | None]:
    """The library's index folder: under `root` if it can be locked there, else under the
    temporary directory (with a line saying why)."""
    home = IndexHome(root / key)
    try:
        with home.locked():
            return home, None
    except OSError as error:
        problem = error
    try:
        home = IndexHome(fallback_root() / key)
        with home.locked():
            pass
    except OSError:
        reason = describe(problem)
        raise IndexUnavailable(f"the search index cannot be kept in {root} ({reason})") from problem
    blocker = _file_in_the_way(root / key)
    if blocker is not None:
        why = f"{blocker} is a file, not a folder"
    else:
        why = f"{root} cannot be used ({describe(problem)})"
    notice = f"{why}; the search index is kept in {home.folder.parent} for now"
    log.info("%s", notice)  # the caller shows `notice`
    return home, notice


def _file_in_the_way(folder: Path) -> Path | None:
    for path in (folder, *folder.parents):
        with contextlib.suppress(OSError):
            if path.exists() or path.is_symlink():
                return None if path.is_dir() else path
    return None


def _signature(folder: Path) -> str | None:
    try:
        return (folder / SIGNATURE_FILE).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _report_done(progress: Progress | None, library: Library) -> None:
    if progress is not None:
        progress(len(library.papers), len(library.papers))


def _save_side(folder: Path, ix: FileIndex, side: SideData, library: Library) -> None:
    side.assign_people(library.people)
    generation = ix.latest_generation()
    side.save(sidecar_path(folder, generation), generation)


def _seal(folder: Path, ix: FileIndex, previous: Manifest | None = None) -> Manifest:
    """Write the manifest of the generation as it now is (last, after every file it lists)."""
    generation = ix.latest_generation()
    current_side = sidecar_path(folder, generation).name
    for old_side in folder.glob("side-*.bin"):  # of generations before a refresh
        if old_side.name != current_side:
            old_side.unlink(missing_ok=True)
    return write_manifest(folder, generation, generation_files(folder, generation), previous)


def _open_current(home: IndexHome, library: Library) -> OpenedIndex | None:
    """The current generation, checked; None when there is none or it is unusable."""
    folder = home.current()
    if folder is None:
        return None
    try:
        manifest = read_manifest(folder)
        if manifest is None:
            return _unusable(folder, "its manifest is missing or damaged")
        side_name = sidecar_path(folder, manifest.generation).name
        wrong = wrong_sizes(folder, manifest)
        later = set(checked_later(manifest))
        checked = [name for name in manifest.files if name not in later and name not in wrong]
        damaged = wrong + damaged_files(folder, manifest, checked)
        if set(damaged) - {side_name}:
            return _unusable(folder, f"damaged or missing: {', '.join(sorted(damaged))}")
        if (folder / FORMAT_FILE).read_text(encoding="utf-8").strip() != format_stamp():
            return _unusable(folder, "it was written by another version")
        ix = open_whoosh(folder)
        if ix.latest_generation() != manifest.generation:
            return _unusable(folder, "its table of contents is not the one its manifest lists")
        vocabulary = Vocabulary.load_later(folder)  # checked with the other files just now
        if vocabulary is None:
            return _unusable(folder, "its vocabulary cannot be read")
        side = SideData.load(folder / side_name, manifest.generation) if not damaged else None
        if side is None:  # rebuilt from the facts stored in the index, which are checked
            log.info("rebuilding the side file of the index at %s", folder)
            side = side_from_index(ix)
            _save_side(folder, ix, side, library)
            manifest = _seal(folder, ix, manifest)
            (folder / SIGNATURE_FILE).unlink(missing_ok=True)
        elif not side.person_totals and side.person_keys:
            # Written before people were counted in it: counted once, so that later starts need not
            side.count_people()
            with contextlib.suppress(OSError):  # only costs counting them at each start
                side.save(folder / side_name, manifest.generation)
                manifest = _seal(folder, ix, manifest)
        live = len(side.keys) - side.keys.count("")  # a deleted document's key is blank
        with ix.reader() as reader:  # one reader for both counts (each opens every segment)
            counts = reader.doc_count_all(), reader.doc_count()
        if counts != (len(side), live):
            return _unusable(folder, "its side file does not describe its documents")
        return OpenedIndex(folder, ix, side, vocabulary, "opened", manifest)
    except Exception as error:  # damaged or foreign files: whatever Whoosh raises, rebuild
        return _unusable(folder, f"{type(error).__name__}: {error}")


def _unusable(folder: Path, reason: str) -> OpenedIndex | None:
    """None (rebuild), having said why in the log."""
    log.info("the index at %s is unusable (%s); rebuilding", folder, reason)
    return None


def _bring_up_to_date(
    home: IndexHome,
    opened: OpenedIndex,
    library: Library,
    hashes: dict[str, str],
    progress: Progress | None,
) -> OpenedIndex | None:
    """The index refreshed to match `library`, or None when a rebuild is the better way."""
    side = opened.side
    indexed = {key: docnum for docnum, key in enumerate(side.keys) if key}
    stale = [docnum for key, docnum in indexed.items() if hashes.get(key) != side.hashes[docnum]]
    missing = [key for key, hashed in hashes.items() if _indexed_hash(side, indexed, key) != hashed]
    if not stale and not missing:
        _report_done(progress, library)
        return opened
    if len(stale) + len(missing) > _REFRESH_AT_MOST * max(len(library.papers), 1):
        return None
    with opened.whoosh.reader() as reader:
        if len(reader.leaf_readers()) >= _MAX_SEGMENTS:
            return None
    records = []
    for key in missing:
        paper = library.get(key)
        assert paper is not None  # hashed from the library's papers
        records.append(record_of(paper, hashes[key]))
    folder: Path | None = None
    try:
        folder = _linked_copy(home, opened)
        ix, side, vocabulary = refresh_in_place(
            folder, open_whoosh(folder), side, opened.vocabulary, records, stale
        )
        _save_side(folder, ix, side, library)
        manifest = _seal(folder, ix, opened.manifest)
        folder = home.publish(folder)
    except Exception as error:
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
        log.info("refreshing the index failed (%s: %s); rebuilding", type(error).__name__, error)
        return None
    _report_done(progress, library)
    return OpenedIndex(folder, open_whoosh(folder), side, vocabulary, "refreshed", manifest)


def _linked_copy(home: IndexHome, opened: OpenedIndex) -> Path:
    """A new build folder holding the current generation's files as hard links (copies where
    the file system has none). Segment files are never rewritten, so sharing them is safe, and
    the refresh then changes nothing a process searching the current generation reads: a refresh
    that fails, a full disk for one, leaves that generation as it was."""
    folder = home.new_build_folder()
    for name in opened.manifest.files:
        try:
            os.link(opened.folder / name, folder / name)
        except OSError:
            shutil.copy2(opened.folder / name, folder / name)
    return folder


def _every_paper(library: Library) -> Iterator[Paper]:
    """The library's papers for one pass, without their records as written (the index reads
    none): a library kept encoded is not then held rebuilt, all of it, by the reader."""
    return library.papers_passing(0, len(library.papers), records=False)


def _indexed_hash(side: SideData, indexed: dict[str, int], key: str) -> str | None:
    docnum = indexed.get(key)
    return None if docnum is None else side.hashes[docnum]


class _PaperRecords(Sequence[IndexRecord]):
    """The library's papers as index records, made as they are sliced (a batch at a time, as they
    are sent to be indexed), so that a library kept encoded is never all in memory at once."""

    def __init__(self, library: Library, hashes: dict[str, str] | None) -> None:
        self.library = library
        self.hashes = hashes or {}

    def __len__(self) -> int:
        return len(self.library.papers)

    @overload
    def __getitem__(self, index: int) -> IndexRecord: ...
    @overload
    def __getitem__(self, index: slice) -> list[IndexRecord]: ...
    def __getitem__(self, index: int | slice) -> IndexRecord | list[IndexRecord]:
        if isinstance(index, int):
            return self._made(self.library.papers[index])
        start, stop, step = index.indices(len(self))
        if step != 1:
            raise ValueError("records are sliced in order")
        passing = self.library.papers_passing(start, stop, records=False)  # the index reads none
        return [self._made(paper) for paper in passing]

    def _made(self, paper: Paper) -> IndexRecord:
        return record_of(paper, self.hashes.get(paper.id))

    def weights(self) -> Sequence[int]:
        """Each paper's estimated indexing cost, without rebuilding papers kept encoded."""
        papers = self.library.papers
        if isinstance(papers, PaperTable):
            return [size + _ENCODED_PAPER_COST for size in papers.fact_sizes()]
        return [paper_weight(paper) for paper in papers]


def _build(
    home: IndexHome,
    library: Library,
    hashes: dict[str, str] | None,
    progress: Progress | None,
    workers: int | None,
) -> OpenedIndex:
    records = _PaperRecords(library, hashes)
    try:
        folder = home.new_build_folder()
    except OSError as error:
        raise _not_written(home, error) from error
    try:
        side = build_generation(folder, records, progress, workers, records.weights())
        ix = open_whoosh(folder)
        _save_side(folder, ix, side, library)
        _seal(folder, ix)
        folder = home.publish(folder)
    except (OSError, PartFailed) as error:
        shutil.rmtree(folder, ignore_errors=True)
        log.info("building the index failed", exc_info=True)  # the caller shows the error
        raise _not_written(home, error) from error
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    opened = _open_current(home, library)
    if opened is None:
        raise IndexUnavailable(f"the search index just built in {folder} cannot be read back")
    opened.action = "built"
    return opened


def _not_written(home: IndexHome, error: OSError | PartFailed) -> IndexUnavailable:
    """One line: where, and why (a worker process's error arrives as text)."""
    full = is_full_disk(error)
    reason = describe(error)
    found = _ERRNO_IN_TEXT.search(reason) if isinstance(error, PartFailed) else None
    if found is not None:
        full = is_full_disk(OSError(int(found.group(1)), found.group(2)))
        reason = found.group(2).strip()
    if full:
        return IndexUnavailable(f"no room to write the search index in {home.folder} ({reason})")
    return IndexUnavailable(f"the search index could not be written in {home.folder} ({reason})")
