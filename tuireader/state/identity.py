"""Stable identities: what lets state follow a paper through edits and re-exports of a library.

A paper's id and citation key can change whenever its library is edited, so state is keyed by what
the paper *is*: its DOI, its arXiv id, its citation key and its title with its year, strongest first
(`doi:`, `arxiv:`, `key:`, `title:`). A stored record keeps every identity it was ever written
under, so state set under one is found under another: a paper first seen without a DOI and later
with one is still found by its key or title, and gains the DOI.

Only DOIs and arXiv ids are unique by nature. A weaker match (a shared key or title) is refused when
the paper and the record both have a DOI, or both an arXiv id, and those differ: they are then two
papers (a preprint's two published versions share an arXiv id but not a DOI). A key or title that
two unrelated papers share is the one case where state can attach to the wrong paper.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping, Sequence

from tuireader.corpus.keys import normalise_arxiv_id
from tuireader.corpus.model import Paper
from tuireader.corpus.names import fold

PREFIXES = ("doi:", "arxiv:", "key:", "title:")
UNIQUE_PREFIXES = ("doi:", "arxiv:")
# Identities are replaced, not collected, for these: a record keeps only the paper's current key
# and title, so a key a re-export hands to another paper stops pointing at this one.
REPLACED_PREFIXES = ("key:", "title:")

_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi\.org/|doi:\s*)", re.IGNORECASE)


def normalise_doi(text: str) -> str | None:
    """`https://doi.org/10.1000/ABC` → `10.1000/abc` (DOIs are case-insensitive); None if empty."""
    doi = _DOI_PREFIX.sub("", text.strip()).strip().lower()
    return doi or None


def title_fingerprint(title: str, year: int | None) -> str | None:
    """Casefolded, accent-folded, punctuation-free title words, with the year: `2017:attention is
    all you need`. None for a title with no words."""
    words = fold(title)
    if not words:
        return None
    return f"{year if year is not None else ''}:{words}"  # `title_year_prefix` depends on this shape


def identities(paper: Paper, *, with_title: bool = True) -> tuple[str, ...]:
    """Every identity of a paper, strongest first. The title, always last, is the slow one to make
    (folding); a caller that knows nothing is stored under a title can leave it out."""
    found: list[str] = []
    doi = normalise_doi(paper.doi) if paper.doi else None
    if doi:
        found.append("doi:" + doi)
    if paper.arxiv_id:
        arxiv = normalise_arxiv_id(paper.arxiv_id) or paper.arxiv_id.strip().lower()
        if arxiv:
            found.append("arxiv:" + arxiv)
    if paper.citation_key and paper.citation_key.strip():
        found.append("key:" + paper.citation_key.strip())
    fingerprint = title_fingerprint(paper.title, paper.year) if paper.title and with_title else None
    if fingerprint:
        found.append("title:" + fingerprint)
    return tuple(found)


def title_year_prefix(year: int | None) -> str:
    """The start every title identity of a paper from `year` shares."""
    return f"title:{year if year is not None else ''}:"


def is_identity(text: str) -> bool:
    return any(text.startswith(prefix) and len(text) > len(prefix) for prefix in PREFIXES)


def _of_kind(keys: Iterable[str], prefix: str) -> set[str]:
    return {key for key in keys if key.startswith(prefix)}


def contradicts(paper_keys: Collection[str], record_keys: Collection[str]) -> bool:
    """True when a paper and a record have DOIs (or arXiv ids) and none of them agree."""
    for prefix in UNIQUE_PREFIXES:
        mine, theirs = _of_kind(paper_keys, prefix), _of_kind(record_keys, prefix)
        if mine and theirs and mine.isdisjoint(theirs):
            return True
    return False


def resolve(
    paper_keys: Sequence[str],
    records_by_key: Mapping[str, Sequence[int]],
    keys_of_record: Mapping[int, Collection[str]],
) -> int | None:
    """The stored record a paper's state is in: the first record found under the paper's strongest
    identity that does not contradict it. None when there is none."""
    for key in paper_keys:
        for record in records_by_key.get(key, ()):
            if not contradicts(paper_keys, keys_of_record[record]):
                return record
    return None


def find_paper(papers: Sequence[Paper], paper_id: str, keys: Sequence[str]) -> Paper | None:
    """A paper given by id and identities (a session's cursor): the id when it still names a paper
    with one of those identities, else the paper the identities resolve to."""
    by_id = next((paper for paper in papers if paper.id == paper_id), None) if paper_id else None
    if by_id is not None and (not keys or set(identities(by_id)) & set(keys)):
        return by_id
    if not keys:
        return None
    wanted = set(keys)
    best: tuple[int, Paper] | None = None
    for paper in papers:
        own = identities(paper)
        shared = [position for position, key in enumerate(own) if key in wanted]
        if shared and not contradicts(own, keys):
            rank = min(PREFIXES.index(own[position].split(":", 1)[0] + ":") for position in shared)
            if best is None or rank < best[0]:
                best = (rank, paper)
                if rank == 0:
                    break
    return best[1] if best else None
