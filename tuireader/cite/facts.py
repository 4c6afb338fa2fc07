"""What the citation styles ask of a paper: its kind, its links, its key, its dates, clean text.

Every style reads a paper through these helpers so that they agree on what a paper *is* (a journal
article, a conference paper, an arXiv preprint, …) and never invent what the sources do not give.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import Enum

from tuireader.corpus.model import Paper

_CONTROLS_AND_SPACE = re.compile(r"[\s\x00-\x1f\x7f-\x9f]+")
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_KEY_FORBIDDEN = re.compile(r"[\s,{}()\"'#%=\\~]")
_BOOK_TYPES = frozenset({"book", "booklet", "manual", "phdthesis", "mastersthesis", "thesis", "proceedings"})

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


class Kind(Enum):
    """The shape of reference a paper gets; decided once, from the facts the sources give."""

    ARTICLE = "article"  # in a journal
    PROCEEDINGS = "proceedings"  # a paper in a conference's proceedings (or any book it is part of)
    BOOK = "book"  # a work that stands alone: a book, a thesis, a manual
    PREPRINT = "preprint"  # an arXiv paper with no published version recorded
    OTHER = "other"  # a paper whose source says nothing about where it appeared


def clean(text: str | None) -> str:
    """One line of text: runs of whitespace become one space and control characters go.

    Titles and names can carry line breaks from the file they were read from; in a citation
    they are noise, and a control character must never reach a clipboard or a .bib file.
    """
    if not text:
        return ""
    return _CONTROLS_AND_SPACE.sub(" ", text).strip()


def kind_of(paper: Paper) -> Kind:
    if paper.journal:
        return Kind.ARTICLE
    if paper.booktitle:
        return Kind.PROCEEDINGS
    if (paper.entry_type or "").lower() in _BOOK_TYPES:
        return Kind.BOOK
    if paper.arxiv_id:
        return Kind.PREPRINT
    return Kind.OTHER


def title_of(paper: Paper) -> str:
    """The title as the sources give it, cleaned; empty when there is none (never invented)."""
    return clean(paper.title)


def untitled_description(paper: Paper) -> str:
    """What styles that describe an untitled work (APA, MLA, Chicago) put in the title's place."""
    return "Untitled preprint" if paper.arxiv_id else "Untitled work"


def container_of(paper: Paper) -> str:
    """The journal or proceedings the paper appeared in, if the sources say."""
    return clean(paper.journal or paper.booktitle)


def doi_of(paper: Paper) -> str:
    """The bare DOI (`10.…`), whichever way the source wrote it."""
    return _DOI_PREFIX.sub("", clean(paper.doi))


def doi_url(paper: Paper) -> str:
    doi = doi_of(paper)
    return f"https://doi.org/{doi}" if doi else ""


def link_of(paper: Paper) -> str:
    """The best address to reach the paper: its DOI, its arXiv page, or the URL a source gave."""
    return doi_url(paper) or paper.arxiv_url or clean(paper.url)


def page_range(paper: Paper, dash: str = "–") -> str:
    """`34–39` with the dash a style wants; the source may have written `34-39` or `34--39`."""
    return re.sub(r"\s*(?:-+|–|—)\s*", dash, clean(paper.pages))


def citation_key(paper: Paper) -> str:
    """The paper's citation key, made safe for `@type{key,` and `\\cite{key}`."""
    key = clean(paper.citation_key) or clean(paper.id) or "anonymous"
    return _KEY_FORBIDDEN.sub("_", key)


def full_date(paper: Paper) -> dt.date | None:
    """The day of publication, only when it belongs to the year the paper is cited with."""
    if paper.date is None or (paper.year is not None and paper.date.year != paper.year):
        return None
    return paper.date


def year_of(paper: Paper) -> int | None:
    if paper.year is not None:
        return paper.year
    return paper.date.year if paper.date else None


def shorten(text: str, limit: int = 60) -> str:
    """`text` cut at a word boundary to about `limit` characters, with an ellipsis when cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,:;.")
    return cut + "…"
