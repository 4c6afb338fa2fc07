"""Stable, unique ids: the arXiv id where there is one, otherwise a BibTeX-style key."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

from tuireader.corpus.model import Paper
from tuireader.corpus.names import fold

_STOP_WORDS = frozenset(
    """a an the of on in for to and or with without via from by at as is are be do does can how what
    when why which who toward towards into onto over under about using""".split()
)
_ARXIV_NEW = re.compile(r"^(?:arxiv:)?(\d{4}\.\d{4,5})(?:v\d+)?$", re.IGNORECASE)
_ARXIV_OLD = re.compile(r"^(?:arxiv:)?([a-z-]+(?:\.[a-z]{2})?/\d{7})(?:v\d+)?$", re.IGNORECASE)


def normalise_arxiv_id(text: str) -> str | None:
    """`arXiv:2501.18837v2` → `2501.18837`; old-style ids keep their archive. None if not an id."""
    text = text.strip()
    for pattern in (_ARXIV_NEW, _ARXIV_OLD):
        match = pattern.match(text)
        if match:
            return match.group(1).lower() if "/" in match.group(1) else match.group(1)
    return None


def _ascii_word(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold(text))


def base_key(paper: Paper) -> str:
    """`family` + `year` + first significant title word, lower-case ASCII (e.g. `mu2023learning`)."""
    first = paper.authors[0] if paper.authors else None
    family = _ascii_word(first.literal or first.family) if first else ""
    title_words = [_ascii_word(word) for word in (paper.title or "").split()]
    significant = next((w for w in title_words if w and w not in _STOP_WORDS), "")
    year = str(paper.year) if paper.year else ""
    return (family or "anon") + year + significant


def assign_ids(papers: Iterable[Paper]) -> list[Paper]:
    """Give each paper its id and citation key; later collisions get `b`, `c`, … suffixes."""
    taken: set[str] = set()
    result: list[Paper] = []
    for paper in papers:
        key = paper.citation_key if paper.citation_key and paper.citation_key not in taken else None
        if key is None:
            key = _unused(base_key(paper), taken)
        taken.add(key)
        paper_id = paper.arxiv_id or key
        result.append(replace(paper, id=paper_id, citation_key=key))
    return result


def _unused(key: str, taken: set[str]) -> str:
    if key not in taken:
        return key
    for suffix in _suffixes():
        if key + suffix not in taken:
            return key + suffix
    raise AssertionError("unreachable")


def _suffixes() -> Iterable[str]:
    letters = "bcdefghijklmnopqrstuvwxyz"
    yield from letters
    for first in "abcdefghijklmnopqrstuvwxyz":
        for second in "abcdefghijklmnopqrstuvwxyz":
            yield first + second
    count = 0
    while True:
        count += 1
        yield f"-{count}"
