"""Loading a library: files and folders → one merged, id-stamped collection of papers."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from tuireader.corpus.detect import SNIFF_CHARS, detect
from tuireader.corpus.keys import assign_ids, normalise_arxiv_id
from tuireader.corpus.merge import merge_records
from tuireader.corpus.model import Paper, Problem
from tuireader.corpus.names import People
from tuireader.corpus.readers.base import ReadResult

BUNDLED_LABEL = "seeds"


@dataclass(frozen=True)
class Library:
    papers: tuple[Paper, ...]
    problems: tuple[Problem, ...] = ()
    files_read: tuple[str, ...] = ()

    @cached_property
    def _by_id(self) -> dict[str, Paper]:
        return {paper.id: paper for paper in self.papers}

    @cached_property
    def people(self) -> People:
        return People(author for paper in self.papers for author in paper.authors)

    def get(self, paper_id: str) -> Paper | None:
        """A paper by id; `arXiv:ID` and versioned arXiv ids are accepted too."""
        found = self._by_id.get(paper_id)
        if found is None:
            arxiv_id = normalise_arxiv_id(paper_id)
            found = self._by_id.get(arxiv_id) if arxiv_id else None
        return found


def bundled_paths() -> list[Path]:
    """The bundled documents: inside the installed package, or beside it in a source checkout."""
    package = Path(__file__).resolve().parent.parent
    for folder in (package / "seeds", package.parent / "seeds"):
        if folder.is_dir():
            return sorted(folder.glob("*.txt"))
    return []


def _files_under(folder: Path) -> Iterator[Path]:
    for root, directories, files in os.walk(folder):
        directories[:] = sorted(d for d in directories if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield Path(root) / name


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_file(path: Path, shown_as: str) -> ReadResult | None:
    """Records of one file, or None when it is in no format we know."""
    try:
        text = _decode(path.read_bytes())
    except OSError as error:
        return ReadResult(problems=[Problem(shown_as, f"cannot read: {error.strerror or error}")])
    reader = detect(text[:SNIFF_CHARS])
    if reader is None:
        return None
    try:
        return reader.read(text, shown_as)
    except Exception as error:  # a reader bug must cost one file, not the library
        return ReadResult(problems=[Problem(shown_as, f"could not be read as {reader.name}: {error}")])


def _targets(paths: Sequence[str | Path]) -> Iterator[tuple[Path, str] | Problem]:
    for given in paths:
        path = Path(given)
        shown = str(given)
        if path.is_dir():
            found = False
            for file in _files_under(path):
                found = True
                yield file, str(Path(shown) / file.relative_to(path))
            if not found:
                yield Problem(shown, "folder holds no files")
        elif path.exists():
            yield path, shown
        else:
            yield Problem(shown, "no such file or folder")


def load_library(paths: Sequence[str | Path] | None = None) -> Library:
    """Read every file (the bundled corpus when `paths` is None), merge duplicates, assign ids."""
    if paths is None:
        targets: Iterable[tuple[Path, str] | Problem] = (
            (path, f"{BUNDLED_LABEL}/{path.name}") for path in bundled_paths()
        )
    else:
        targets = _targets(paths)
    records: list[Paper] = []
    problems: list[Problem] = []
    files_read: list[str] = []
    for target in targets:
        if isinstance(target, Problem):
            problems.append(target)
            continue
        path, shown = target
        result = read_file(path, shown)
        if result is None:
            problems.append(Problem(shown, "not in a format tuireader reads; skipped"))
            continue
        if result.records:
            files_read.append(shown)
        records.extend(result.records)
        problems.extend(result.problems)
    papers = assign_ids(merge_records(records))
    return Library(tuple(papers), tuple(problems), tuple(files_read))
