"""One paper from many records: the same work read from several files or formats.

Records are the same paper when they share an arXiv id (any version) or a DOI, or a normalised
title with a compatible first author and the same year when both are known; a record with no
title (an arXiv listing) joins the record whose abstract it nearly repeats.

Two different papers must never merge, also not through a chain of weaker links: a group never
holds two arXiv ids or two DOIs, and a title or abstract link is refused when the two groups'
known years differ or their first authors could not be one person. So an "Introduction" by the
same author in 2019 and in 2020 stays two papers, even beside a year-less third one.

Every step is a hash lookup or a comparison inside a small bucket: near-linear at 100,000+ records.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import fields, replace
from difflib import SequenceMatcher
from typing import Any

from tuireader.corpus.model import Author, Paper, StyledText
from tuireader.corpus.names import fold, given_names_compatible

_MIN_ABSTRACT_WORDS = 25
_NEAR_ABSTRACT_RATIO = 0.95
_BLOCK_WORDS = 8
_ARXIV_DOI = re.compile(r"^10\.48550/arxiv\.", re.IGNORECASE)
_NOT_WORD = re.compile(r"[^\w]+")

FirstAuthor = tuple[str, tuple[str, ...]]  # folded family name, given-name tokens


_DOI_PREFIX = re.compile(r"^(https?://(dx\.)?doi\.org/|doi:)", re.IGNORECASE)


def normalised_doi(doi: str | None) -> str | None:
    if not doi:
        return None
    return _DOI_PREFIX.sub("", doi.strip()).casefold() or None


def quick_fold(text: str) -> str:
    """`names.fold`, without its per-character accent stripping when there is nothing to strip."""
    if text.isascii():
        return " ".join(_NOT_WORD.sub(" ", text.casefold()).split())
    return fold(text)


def _year(paper: Paper) -> int | None:
    return paper.year or (paper.date.year if paper.date else None)


def _given_tokens(given: str) -> tuple[str, ...]:
    """`names.given_tokens`, through `quick_fold`."""
    return tuple(quick_fold(given.replace("-", " ")).split()) if given else ()


def _first_author(paper: Paper) -> FirstAuthor | None:
    if not paper.authors:
        return None
    first: Author = paper.authors[0]
    if first.literal:
        return (quick_fold(first.literal), ())
    return (quick_fold(first.family), _given_tokens(first.given))


def _compatible(a: FirstAuthor, b: FirstAuthor) -> bool:
    return a[0] == b[0] and given_names_compatible(a[1], b[1])


class _Groups:
    """Union-find over record indexes that refuses unions joining two different papers."""

    def __init__(self, records: Sequence[Paper], first_authors: Sequence[FirstAuthor | None]) -> None:
        self.parent = list(range(len(records)))
        self.arxiv: list[set[str]] = [{r.arxiv_id} if r.arxiv_id else set() for r in records]
        self.dois: list[set[str]] = []
        for record in records:
            doi = normalised_doi(record.doi)
            self.dois.append({doi} if doi and not _ARXIV_DOI.match(doi) else set())
        self.years: list[set[int]] = [{y} if (y := _year(r)) else set() for r in records]
        self.first_authors: list[set[FirstAuthor]] = [
            {a} if (a := _first_author(r)) else set() for r in records
        ]

    def root(self, index: int) -> int:
        while self.parent[index] != index:
            self.parent[index] = self.parent[self.parent[index]]
            index = self.parent[index]
        return index

    def _weak_link_allowed(self, ra: int, rb: int) -> bool:
        years_a, years_b = self.years[ra], self.years[rb]
        if years_a and years_b and not years_a & years_b:
            return False
        return all(_compatible(a, b) for a in self.first_authors[ra] for b in self.first_authors[rb])

    def union(self, a: int, b: int, *, weak: bool = False) -> None:
        """Join the groups of `a` and `b`; a weak link (title, abstract) must also pass the guards."""
        ra, rb = self.root(a), self.root(b)
        if ra == rb:
            return
        if len(self.arxiv[ra] | self.arxiv[rb]) > 1 or len(self.dois[ra] | self.dois[rb]) > 1:
            return
        if weak and not self._weak_link_allowed(ra, rb):
            return
        self.parent[rb] = ra
        self.arxiv[ra] |= self.arxiv[rb]
        self.dois[ra] |= self.dois[rb]
        self.years[ra] |= self.years[rb]
        self.first_authors[ra] |= self.first_authors[rb]


def _link_same_key(groups: _Groups, records: Sequence[Paper], key_of: Callable[[Paper], str | None]) -> None:
    first_with: dict[str, int] = {}
    for index, record in enumerate(records):
        key = key_of(record)
        if key:
            groups.union(first_with.setdefault(key, index), index)


def _link_titles(
    groups: _Groups, records: Sequence[Paper], first_authors: Sequence[FirstAuthor | None]
) -> None:
    """Same folded title and first author's family name: candidates, checked pair by pair."""
    buckets: defaultdict[tuple[str, str], list[int]] = defaultdict(list)
    for index, (record, first) in enumerate(zip(records, first_authors, strict=True)):
        if record.title and first:
            buckets[(quick_fold(record.title), first[0])].append(index)
    for indexes in buckets.values():
        for position, a in enumerate(indexes):
            for b in indexes[position + 1 :]:
                ya, yb = _year(records[a]), _year(records[b])
                if ya is None or yb is None or ya == yb:
                    groups.union(a, b, weak=True)


def _opening_words(paper: Paper) -> tuple[str, ...]:
    words = quick_fold(paper.abstract.text[:400]).split()
    if len(words) <= _BLOCK_WORDS:
        words = quick_fold(paper.abstract.text).split()
    return tuple(words[:_BLOCK_WORDS])


def _link_abstracts(groups: _Groups, records: Sequence[Paper]) -> None:
    """A title-less record joins the records whose abstract it nearly repeats.

    Only blocks holding a title-less record are compared, word by word; two titled records never
    merge on their abstracts alone (a paper and its extended version share much of one).
    """
    untitled = [i for i, r in enumerate(records) if not r.title and r.abstract.text.count(" ") >= 24]
    if not untitled:
        return
    wanted = {_opening_words(records[i]) for i in untitled}
    blocks: defaultdict[tuple[str, ...], list[int]] = defaultdict(list)
    for index, record in enumerate(records):
        if record.abstract and (key := _opening_words(record)) in wanted:
            blocks[key].append(index)
    for block in blocks.values():
        words = {index: quick_fold(records[index].abstract.text).split() for index in block}
        for position, a in enumerate(block):
            for b in block[position + 1 :]:
                if records[a].title and records[b].title:
                    continue
                if len(words[a]) < _MIN_ABSTRACT_WORDS or len(words[b]) < _MIN_ABSTRACT_WORDS:
                    continue
                if words[a] == words[b] or _near(words[a], words[b]):
                    groups.union(a, b, weak=True)


def _near(words_a: list[str], words_b: list[str]) -> bool:
    matcher = SequenceMatcher(None, words_a, words_b, autojunk=False)
    return matcher.quick_ratio() >= _NEAR_ABSTRACT_RATIO and matcher.ratio() >= _NEAR_ABSTRACT_RATIO


def merge_records(records: Sequence[Paper]) -> list[Paper]:
    """Merge records of the same paper, keeping the order in which each paper first appears."""
    first_authors = [_first_author(record) for record in records]
    groups = _Groups(records, first_authors)
    _link_same_key(groups, records, lambda r: r.arxiv_id)
    _link_same_key(groups, records, lambda r: normalised_doi(r.doi))
    _link_titles(groups, records, first_authors)
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
    values: dict[str, Any] = {}  # field name → value, each of its field's type
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
