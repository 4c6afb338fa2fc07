"""One paper from many records: the same work read from several files or formats.

Records are the same paper when they share an arXiv id (any version) or a DOI, or a normalised
title with a compatible first author and the same year when both are known; a record with no
title (an arXiv listing) joins the record whose abstract it nearly repeats.

Two different papers must never merge, also not through a chain of weaker links: a group never
holds two arXiv ids or two DOIs, and a title or abstract link is refused when the two groups'
known years differ or their first authors could not be one person. So an "Introduction" by the
same author in 2019 and in 2020 stays two papers, even beside a year-less third one.

A shared DOI or title is not the same work when what the records say about the work disagrees: a
conference paper and its workshop version share title, authors and year; a paper and the
proceedings volume it appears in may share a DOI. So a DOI, title or abstract link is refused
when the two groups' known kinds of work (journal article, paper in proceedings, volume, …),
containers (journal or booktitle) or pages have nothing in common, or their first authors
could not be one person. An arXiv id names one work,
so it joins whatever the records' types say, except a volume with a paper: no arXiv id names a
whole book. A record that does not say (no type, `misc`, an `article` without a journal) is no
evidence either way.

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

_VOLUME = "volume"
_KINDS = {
    "article": "article",
    "inproceedings": "in-proceedings",
    "conference": "in-proceedings",
    "paper-conference": "in-proceedings",
    "incollection": "in-book",
    "inbook": "in-book",
    "chapter": "in-book",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "thesis": "thesis",
    "techreport": "report",
    "report": "report",
    "manual": "manual",
    "patent": "patent",
    "proceedings": _VOLUME,
    "mvproceedings": _VOLUME,
    "book": _VOLUME,
    "mvbook": _VOLUME,
    "collection": _VOLUME,
    "mvcollection": _VOLUME,
    "periodical": _VOLUME,
}
_PAGE_PARTS = re.compile(r"\w+")


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


def _kind(paper: Paper) -> str | None:
    """What sort of work a record says it is; None when it does not say."""
    entry_type = (paper.entry_type or "").lower()
    if entry_type == "article" and not paper.journal:
        return None  # arXiv's records and many exports call every preprint an article
    return _KINDS.get(entry_type)


def _container(paper: Paper) -> str | None:
    container = paper.journal or paper.booktitle
    return quick_fold(container) or None if container else None


def _pages(paper: Paper) -> tuple[str, ...] | None:
    return tuple(_PAGE_PARTS.findall(paper.pages.casefold())) or None if paper.pages else None


def _containers(records: Sequence[Paper], one: _Interned) -> list[frozenset[str]]:
    """Each record's folded venue: a venue's name repeats across its papers, so each name is
    folded once (folding every record's was a quarter of finding a large library's groups)."""
    known: dict[str | None, frozenset[str]] = {}
    found: list[frozenset[str]] = []
    for record in records:
        name = record.journal or record.booktitle
        interned = known.get(name)
        if interned is None:
            interned = known[name] = one(_container(record))
        found.append(interned)
    return found


def _disjoint(a: frozenset[Any], b: frozenset[Any]) -> bool:
    return bool(a) and bool(b) and not a & b


_NOTHING: frozenset[Any] = frozenset()


class _Interned:
    """One shared frozenset per value; the empty one for a missing (falsy) value."""

    def __init__(self) -> None:
        self.known: dict[Any, frozenset[Any]] = {}

    def __call__(self, value: Any) -> frozenset[Any]:
        if not value:
            return _NOTHING
        found = self.known.get(value)
        if found is None:
            found = self.known[value] = frozenset((value,))
        return found


class _Groups:
    """Union-find over record indexes that refuses unions joining two different papers."""

    def __init__(self, records: Sequence[Paper], first_authors: Sequence[FirstAuthor | None]) -> None:
        self.parent = list(range(len(records)))
        # Frozen and shared: a set per record and fact was a hundred megabytes for a large
        # library, though most are empty or repeat (years, kinds, venues). A union rebinds.
        one = _Interned()
        self.arxiv: list[frozenset[str]] = [one(r.arxiv_id) for r in records]
        self.dois: list[frozenset[str]] = []
        self.doi_keys: list[str | None] = []  # each record's normalised DOI, for linking by it
        for record in records:
            doi = normalised_doi(record.doi)
            self.doi_keys.append(doi)
            self.dois.append(one(doi) if doi and not _ARXIV_DOI.match(doi) else _NOTHING)
        self.years: list[frozenset[int]] = [one(_year(r)) for r in records]
        self.first_authors: list[frozenset[FirstAuthor]] = [one(a) for a in first_authors]
        self.kinds: list[frozenset[str]] = [one(_kind(r)) for r in records]
        self.containers: list[frozenset[str]] = _containers(records, one)
        self.pages: list[frozenset[tuple[str, ...]]] = [one(_pages(r)) for r in records]

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

    def _same_work(self, ra: int, rb: int, *, by_arxiv: bool) -> bool:
        kinds_a, kinds_b = self.kinds[ra], self.kinds[rb]
        if (_VOLUME in kinds_a and kinds_b - {_VOLUME}) or (_VOLUME in kinds_b and kinds_a - {_VOLUME}):
            return False
        if by_arxiv:
            return True
        first_a, first_b = self.first_authors[ra], self.first_authors[rb]
        if not all(_compatible(a, b) for a in first_a for b in first_b):
            return False  # one DOI given to a book review and to a column beside it
        return not (
            _disjoint(kinds_a, kinds_b)
            or _disjoint(self.containers[ra], self.containers[rb])
            or _disjoint(self.pages[ra], self.pages[rb])
        )

    def union(self, a: int, b: int, *, weak: bool = False, by_arxiv: bool = False) -> None:
        """Join the groups of `a` and `b`; a weak link (title, abstract) must also pass the guards."""
        ra, rb = self.root(a), self.root(b)
        if ra == rb:
            return
        if len(self.arxiv[ra] | self.arxiv[rb]) > 1 or len(self.dois[ra] | self.dois[rb]) > 1:
            return
        if not self._same_work(ra, rb, by_arxiv=by_arxiv):
            return
        if weak and not self._weak_link_allowed(ra, rb):
            return
        self.parent[rb] = ra
        self.arxiv[ra] |= self.arxiv[rb]
        self.dois[ra] |= self.dois[rb]
        self.years[ra] |= self.years[rb]
        self.first_authors[ra] |= self.first_authors[rb]
        self.kinds[ra] |= self.kinds[rb]
        self.containers[ra] |= self.containers[rb]
        self.pages[ra] |= self.pages[rb]


def _link_same_key(
    groups: _Groups,
    records: Sequence[Paper],
    key_of: Callable[[Paper], str | None] | Sequence[str | None],
    *,
    by_arxiv: bool = False,
) -> None:
    """Every record sharing a key with earlier ones is offered to each of them in turn, so one
    refused pair (a volume and a paper sharing a DOI) does not keep a later true duplicate out.
    `key_of` gives a record's key, or is every record's key already found."""
    with_key: defaultdict[str, list[int]] = defaultdict(list)
    for index, key in enumerate(map(key_of, records) if callable(key_of) else key_of):
        if key:
            for earlier in with_key[key]:
                groups.union(earlier, index, by_arxiv=by_arxiv)
            with_key[key].append(index)


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


def merge_groups(records: Sequence[Paper]) -> list[list[int]]:
    """The indexes of the records of each paper, in the order in which each paper first appears."""
    first_authors = [_first_author(record) for record in records]
    groups = _Groups(records, first_authors)
    _link_same_key(groups, records, lambda r: r.arxiv_id, by_arxiv=True)
    _link_same_key(groups, records, groups.doi_keys)
    _link_titles(groups, records, first_authors)
    _link_abstracts(groups, records)
    members: defaultdict[int, list[int]] = defaultdict(list)
    for index in range(len(records)):
        members[groups.root(index)].append(index)
    return list(members.values())


def merge_records(records: Sequence[Paper]) -> list[Paper]:
    """Merge records of the same paper, keeping the order in which each paper first appears."""
    return [combine([records[index] for index in group]) for group in merge_groups(records)]


_UNION_FIELDS = ("categories", "keywords", "collections", "comments", "records")


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
