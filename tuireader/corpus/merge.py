"""One paper from many records: the same work read from several files or formats.

Records are the same paper when they share an arXiv id (any version), a DOI, a near-identical
abstract, or a normalised title with a compatible first author and no conflicting year. Two records
whose arXiv ids or DOIs differ are never merged, whatever else they share.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import fields, replace
from difflib import SequenceMatcher

from tuireader.corpus.model import Paper, StyledText
from tuireader.corpus.names import fold, given_names_compatible, given_tokens

_MIN_ABSTRACT_WORDS = 25
_NEAR_ABSTRACT_RATIO = 0.95
_ARXIV_DOI = re.compile(r"^10\.48550/arxiv\.", re.IGNORECASE)


def normalised_doi(doi: str | None) -> str | None:
    if not doi:
        return None
    doi = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:)", "", doi.strip(), flags=re.IGNORECASE)
    return doi.casefold() or None


def _title_key(paper: Paper) -> str | None:
    return fold(paper.title) if paper.title else None


def _abstract_words(paper: Paper) -> list[str]:
    return fold(paper.abstract.text).split()


class _Groups:
    """Union-find over record indexes that refuses unions joining two different ids."""

    def __init__(self, records: Sequence[Paper]) -> None:
        self.parent = list(range(len(records)))
        self.arxiv: list[set[str]] = [{r.arxiv_id} if r.arxiv_id else set() for r in records]
        self.dois: list[set[str]] = []
        for record in records:
            doi = normalised_doi(record.doi)
            self.dois.append({doi} if doi and not _ARXIV_DOI.match(doi) else set())

    def root(self, index: int) -> int:
        while self.parent[index] != index:
            self.parent[index] = self.parent[self.parent[index]]
            index = self.parent[index]
        return index

    def union(self, a: int, b: int) -> None:
        ra, rb = self.root(a), self.root(b)
        if ra == rb:
            return
        if len(self.arxiv[ra] | self.arxiv[rb]) > 1 or len(self.dois[ra] | self.dois[rb]) > 1:
            return
        self.parent[rb] = ra
        self.arxiv[ra] |= self.arxiv[rb]
        self.dois[ra] |= self.dois[rb]


def _first_authors_compatible(a: Paper, b: Paper) -> bool:
    if not a.authors or not b.authors:
        return False
    first_a, first_b = a.authors[0], b.authors[0]
    if fold(first_a.literal or first_a.family) != fold(first_b.literal or first_b.family):
        return False
    return given_names_compatible(given_tokens(first_a.given), given_tokens(first_b.given))


def _year(paper: Paper) -> int | None:
    return paper.year or (paper.date.year if paper.date else None)


def _link_same_key(groups: _Groups, records: Sequence[Paper], key_of) -> None:  # noqa: ANN001
    first_with: dict[str, int] = {}
    for index, record in enumerate(records):
        key = key_of(record)
        if key:
            groups.union(first_with.setdefault(key, index), index)


def _link_titles(groups: _Groups, records: Sequence[Paper]) -> None:
    by_title: defaultdict[str, list[int]] = defaultdict(list)
    for index, record in enumerate(records):
        key = _title_key(record)
        if key:
            by_title[key].append(index)
    for indexes in by_title.values():
        for position, a in enumerate(indexes):
            for b in indexes[position + 1 :]:
                ra, rb = records[a], records[b]
                ya, yb = _year(ra), _year(rb)
                if (ya is None or yb is None or ya == yb) and _first_authors_compatible(ra, rb):
                    groups.union(a, b)


def _link_abstracts(groups: _Groups, records: Sequence[Paper]) -> None:
    """Near-identical abstracts: compared only within a block sharing their opening words."""
    blocks: defaultdict[tuple[str, ...], list[tuple[int, list[str]]]] = defaultdict(list)
    for index, record in enumerate(records):
        words = _abstract_words(record)
        if len(words) >= _MIN_ABSTRACT_WORDS:
            blocks[tuple(words[:8])].append((index, words))
    for block in blocks.values():
        for position, (a, words_a) in enumerate(block):
            for b, words_b in block[position + 1 :]:
                if words_a == words_b or _near(words_a, words_b):
                    groups.union(a, b)


def _near(words_a: list[str], words_b: list[str]) -> bool:
    matcher = SequenceMatcher(None, words_a, words_b, autojunk=False)
    return matcher.quick_ratio() >= _NEAR_ABSTRACT_RATIO and matcher.ratio() >= _NEAR_ABSTRACT_RATIO


def merge_records(records: Sequence[Paper]) -> list[Paper]:
    """Merge records of the same paper, keeping the order in which each paper first appears."""
    groups = _Groups(records)
    _link_same_key(groups, records, lambda r: r.arxiv_id)
    _link_same_key(groups, records, lambda r: normalised_doi(r.doi))
    _link_titles(groups, records)
    _link_abstracts(groups, records)
    members: defaultdict[int, list[Paper]] = defaultdict(list)
    for index, record in enumerate(records):
        members[groups.root(index)].append(record)
    return [combine(group) for group in members.values()]


_UNION_FIELDS = ("categories", "keywords", "comments")


def combine(records: Sequence[Paper]) -> Paper:
    """One paper holding the facts of all records; the first record giving a fact wins."""
    if len(records) == 1:
        return records[0]
    values: dict[str, object] = {}
    for spec in fields(Paper):
        name = spec.name
        if name == "sources":
            values[name] = tuple(sorted({s for r in records for s in r.sources}))
        elif name in _UNION_FIELDS:
            values[name] = tuple(dict.fromkeys(v for r in records for v in getattr(r, name)))
        elif name == "abstract":
            values[name] = _richest_abstract(records)
        else:
            values[name] = next(
                (getattr(r, name) for r in records if getattr(r, name)), getattr(records[0], name)
            )
    merged = replace(records[0], **values)
    if merged.year is None and merged.date is not None:
        merged = replace(merged, year=merged.date.year)
    return merged


def _richest_abstract(records: Sequence[Paper]) -> StyledText:
    """The abstract carrying emphasis if any does, else the first one given."""
    given = [r.abstract for r in records if r.abstract]
    if not given:
        return StyledText("")
    return max(given, key=lambda abstract: len(abstract.spans) > 0)
