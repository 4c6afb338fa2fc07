"""Documents kept beside a library's files: not entries to read, but papers' attachments.

Researchers keep PDFs (and EPUBs, Word files, snapshots) in the folders that hold their
bibliographies. Those are not damaged library files, so they are never reported as problems;
a PDF named after a paper — its citation key, its DOI with `/` written `_` (or `-`), or its arXiv
id, with or without a version — becomes that paper's attachment, its `file`.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from tuireader.corpus.files import LibraryFile
from tuireader.corpus.model import Paper

ATTACHMENT_SUFFIXES = frozenset(
    {
        ".pdf",
        ".djvu",
        ".epub",
        ".ps",
        ".doc",
        ".docx",
        ".odt",
        ".ppt",
        ".pptx",
        ".html",
        ".htm",
        ".png",
        ".jpg",
    }
)
_VERSION = re.compile(r"v\d+$")


def is_attachment(file: LibraryFile) -> bool:
    """A document found in a library's folder; one the user names is read, or reported, as named."""
    return file.in_folder and file.path.suffix.lower() in ATTACHMENT_SUFFIXES


def _names(paper: Paper) -> Iterable[str]:
    """The file names (without `.pdf`, case folded) that say a PDF is this paper's."""
    if paper.citation_key:
        yield paper.citation_key
    if paper.id:
        yield paper.id
    for record in paper.records:
        if record.key:
            yield record.key
    if paper.doi:
        yield paper.doi.replace("/", "_")
        yield paper.doi.replace("/", "-")
    if paper.arxiv_id:
        yield paper.arxiv_id.replace("/", "_")


def _stems(path: Path) -> list[str]:
    stem = path.stem.casefold()
    if stem.startswith("arxiv"):
        stem = stem[len("arxiv") :].lstrip(":_-. ")
    unversioned = _VERSION.sub("", stem)
    return [stem, unversioned] if unversioned != stem else [stem]


def with_attachments(papers: Sequence[Paper], files: Sequence[LibraryFile]) -> list[Paper]:
    """The papers, each given the PDFs named after it (kept after any file its source named)."""
    pdfs: dict[str, list[str]] = {}
    for file in files:
        if file.path.suffix.lower() == ".pdf":
            for stem in _stems(file.path):
                pdfs.setdefault(stem, []).append(str(file.path))
    if not pdfs:
        return list(papers)
    attached = []
    for paper in papers:
        found = [
            path for name in dict.fromkeys(n.casefold() for n in _names(paper)) for path in pdfs.get(name, [])
        ]
        if not found:
            attached.append(paper)
            continue
        paths = list(dict.fromkeys([*(paper.file.split(";") if paper.file else []), *found]))
        attached.append(dataclasses.replace(paper, file=";".join(paths)))
    return attached


def matched(papers: Iterable[Paper], attachments: Iterable[str]) -> set[str]:
    """Of `attachments`, those that some paper's `file` names."""
    named = {path for paper in papers if paper.file for path in paper.file.split(";")}
    return {path for path in attachments if path in named or str(Path(path)) in named}
