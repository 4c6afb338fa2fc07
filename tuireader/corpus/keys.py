"""Stable, unique ids: the arXiv id where there is one, otherwise a BibTeX-style key."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import fields
from typing import TypeGuard

from tuireader.corpus.model import Paper
from tuireader.corpus.names import fold

_STOP_WORDS = frozenset(
    """a an the of on in for to and or with without via from by at as is are be do does can how what
    when why which who toward towards into onto over under about using""".split()
)
_ARXIV_NEW = re.compile(r"^(?:arxiv:)?(\d{4}\.\d{4,5})(?:v\d+)?$", re.IGNORECASE)
_SOURCE_KEY = re.compile(r"^[^\s,{}\"'#%\\]+$")
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


def _usable_source_key(key: str | None) -> TypeGuard[str]:
    """A key from a bibliography is kept when it can be typed on a command line as it is."""
    if not key:
        return False
    return len(key) <= 100 and _SOURCE_KEY.match(key) is not None


def assign_ids(papers: Iterable[Paper]) -> list[Paper]:
    """Give each paper its id and citation key.

    A paper keeps the key its bibliography gave it unless an earlier paper has the same one;
    other papers get a generated key, with `b`, `c`, … suffixes on collisions. The id is the arXiv
    id, unless another paper already holds it (two versions kept apart by their DOIs), else the key.
    """
    papers = list(papers)
    first_with_key: dict[str, int] = {}
    for index, paper in enumerate(papers):
        if _usable_source_key(paper.citation_key):
            first_with_key.setdefault(paper.citation_key, index)
    taken_keys = set(first_with_key)
    taken_ids: set[str] = set()
    result: list[Paper] = []
    for index, paper in enumerate(papers):
        if paper.citation_key and first_with_key.get(paper.citation_key) == index:
            key = paper.citation_key
        else:
            key = _unused(base_key(paper), taken_keys)
            taken_keys.add(key)
        paper_id = paper.arxiv_id if paper.arxiv_id and paper.arxiv_id not in taken_ids else key
        if paper_id in taken_ids:
            paper_id = _unused(key, taken_ids | taken_keys)
        taken_ids.add(paper_id)
        result.append(_stamped(paper, paper_id, key))
    return result


_PAPER_FIELDS = tuple(spec.name for spec in fields(Paper))


def _stamped(paper: Paper, paper_id: str, key: str) -> Paper:
    """`replace(paper, id=…, citation_key=…)`, built directly: replace() is slow at 100,000 papers."""
    values = [getattr(paper, name) for name in _PAPER_FIELDS]
    values[_PAPER_FIELDS.index("id")] = paper_id
    values[_PAPER_FIELDS.index("citation_key")] = key
    return Paper(*values)


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
