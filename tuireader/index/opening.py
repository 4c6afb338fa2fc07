"""Getting a library's index ready: reuse it, refresh what changed, or build it; never crash.

Under the index folder's lock: open the current generation and check it (format, side file,
vocabulary). If the library's signature (its files' sizes and times, the reading code, its paper
ids) is the one recorded, it is used as it is. Otherwise each paper's content hash is compared
with the one stored for it:
- nothing changed: use it as it is (and record the signature);
- a few papers changed: delete and add just those, in place (one atomic Whoosh commit);
- otherwise, or when anything about the index is missing, damaged or foreign: build a new
  generation beside it and switch to it atomically.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from whoosh.index import FileIndex

from tuireader.corpus.library import Library
from tuireader.index.build import (
    FORMAT_FILE,
    build_generation,
    format_stamp,
    open_whoosh,
    refresh_in_place,
    side_from_index,
)
from tuireader.index.documents import content_hash, record_of
from tuireader.index.location import IndexHome, index_root, library_key, library_signature
from tuireader.index.sidecar import SideData, sidecar_path, write_atomically
from tuireader.index.vocabulary import Vocabulary

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
SIGNATURE_FILE = "signature.txt"
_REFRESH_AT_MOST = 0.2  # of the papers: a larger change is rebuilt (faster, and no holes left)
_MAX_SEGMENTS = 24  # each refresh adds one; past this, rebuild to keep queries fast


@dataclass
class OpenedIndex:
    folder: Path
    whoosh: FileIndex
    side: SideData
    vocabulary: Vocabulary
    action: str  # "opened", "refreshed" or "built": what it took


def prepare_index(
    library: Library,
    *,
    progress: Progress | None = None,
    root: Path | None = None,
    workers: int | None = None,
    fingerprint: str | None = None,
    rebuild: bool = False,
) -> OpenedIndex:
    home = IndexHome((root or index_root()) / library_key(library))
    signature = library_signature(library, fingerprint)
    with home.locked():
        opened = None if rebuild else _open_current(home, library)
        if opened is not None and signature is not None and _signature(opened.folder) == signature:
            _report_done(progress, library)
            return opened
        hashes = {paper.id: content_hash(paper) for paper in library.papers}
        if opened is not None:
            opened = _bring_up_to_date(opened, library, hashes, progress)
        if opened is None:
            opened = _build(home, library, hashes, progress, workers)
        if signature is not None:
            write_atomically(opened.folder / SIGNATURE_FILE, signature.encode("utf-8"))
        home.remove_stale()
        return opened


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


def _open_current(home: IndexHome, library: Library) -> OpenedIndex | None:
    """The current generation, checked; None when there is none or it is unusable."""
    folder = home.current()
    if folder is None:
        return None
    try:
        if (folder / FORMAT_FILE).read_text(encoding="utf-8").strip() != format_stamp():
            return None
        ix = open_whoosh(folder)
        generation = ix.latest_generation()
        vocabulary = Vocabulary.load(folder)
        side = SideData.load(sidecar_path(folder, generation), generation)
        if side is None:  # a refresh was interrupted after Whoosh's commit: rebuild the side file
            side = side_from_index(ix)
            _save_side(folder, ix, side, library)
            (folder / SIGNATURE_FILE).unlink(missing_ok=True)
        if vocabulary is None or ix.doc_count_all() != len(side):
            return None
        return OpenedIndex(folder, ix, side, vocabulary, "opened")
    except Exception as error:  # damaged or foreign files: whatever Whoosh raises, rebuild
        log.info("index at %s is unusable (%s: %s); rebuilding", folder, type(error).__name__, error)
        return None


def _bring_up_to_date(
    opened: OpenedIndex, library: Library, hashes: dict[str, str], progress: Progress | None
) -> OpenedIndex | None:
    """The index refreshed to match `library`, or None when a rebuild is the better way."""
    side = opened.side
    indexed = {key: docnum for docnum, key in enumerate(side.keys) if key}
    stale = [docnum for key, docnum in indexed.items() if hashes.get(key) != side.hashes[docnum]]
    missing = [
        paper for paper in library.papers if _indexed_hash(side, indexed, paper.id) != hashes[paper.id]
    ]
    if not stale and not missing:
        _report_done(progress, library)
        return opened
    if len(stale) + len(missing) > _REFRESH_AT_MOST * max(len(library.papers), 1):
        return None
    with opened.whoosh.reader() as reader:
        if len(reader.leaf_readers()) >= _MAX_SEGMENTS:
            return None
    records = [record_of(paper, hashes[paper.id]) for paper in missing]
    (opened.folder / SIGNATURE_FILE).unlink(missing_ok=True)
    try:
        ix, side, vocabulary = refresh_in_place(
            opened.folder, opened.whoosh, side, opened.vocabulary, records, stale
        )
        _save_side(opened.folder, ix, side, library)
    except Exception as error:
        log.info("refreshing the index failed (%s: %s); rebuilding", type(error).__name__, error)
        return None
    _report_done(progress, library)
    return OpenedIndex(opened.folder, ix, side, vocabulary, "refreshed")


def _indexed_hash(side: SideData, indexed: dict[str, int], key: str) -> str | None:
    docnum = indexed.get(key)
    return None if docnum is None else side.hashes[docnum]


def _build(
    home: IndexHome,
    library: Library,
    hashes: dict[str, str],
    progress: Progress | None,
    workers: int | None,
) -> OpenedIndex:
    records = [record_of(paper, hashes[paper.id]) for paper in library.papers]
    folder = home.new_build_folder()
    try:
        side = build_generation(folder, records, progress, workers)
        _save_side(folder, open_whoosh(folder), side, library)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    folder = home.publish(folder)
    opened = _open_current(home, library)
    if opened is None:
        raise RuntimeError(f"the index just built in {folder} cannot be opened")
    return OpenedIndex(opened.folder, opened.whoosh, opened.side, opened.vocabulary, "built")
