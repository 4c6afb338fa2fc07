"""What the citation styles ask of a paper: its kind, its links, its key, its dates, clean text.

Every style reads a paper through these helpers so that they agree on what a paper *is* (a journal
article, a conference paper, an arXiv preprint, …) and never invent what the sources do not give.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from enum import Enum

from tuireader.corpus.model import Paper

_CONTROLS_AND_SPACE = re.compile(r"[\s\x00-\x1f\x7f-\x9f]+")
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_KEY_FORBIDDEN = re.compile(r"[\s,{}()\"'#%=\\~]")
_ARXIV_CONTAINER = re.compile(r"^(?:arxiv\b|corr$|corr\b|computing research repository)", re.IGNORECASE)
_SIMPLE_PAGES = re.compile(r"^(\d+)\s*(?:-+|–|—)\s*(\d+)$")
_SHAPES = {
    "inproceedings": "paper",
    "conference": "paper",
    "incollection": "chapter",
    "inbook": "chapter",
    "proceedings": "proceedings",
    "book": "book",
    "booklet": "book",
    "mvbook": "book",
    "collection": "book",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "thesis": "thesis",
    "techreport": "report",
    "report": "report",
    "manual": "manual",
    "unpublished": "unpublished",
}

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

    ARTICLE = "article"  # in a journal, whatever the journal is called ("Proceedings of the …" too)
    PAPER = "paper"  # a paper in a conference's proceedings
    CHAPTER = "chapter"  # a chapter (or any part) of an edited book
    PROCEEDINGS = "proceedings"  # a whole volume of proceedings, credited to its editors
    BOOK = "book"  # a book, authored or edited
    THESIS = "thesis"  # a PhD or master's thesis
    REPORT = "report"  # a technical or research report, usually numbered by its institution
    MANUAL = "manual"  # documentation, credited to an organisation more often than to people
    UNPUBLISHED = "unpublished"  # a manuscript that has not appeared anywhere
    PREPRINT = "preprint"  # an arXiv paper with no published version recorded
    OTHER = "other"  # a web page or anything whose source says nothing about where it appeared


def clean(text: str | None) -> str:
    """One line of text: runs of whitespace become one space and control characters go.

    Titles and names can carry line breaks from the file they were read from; in a citation
    they are noise, and a control character must never reach a clipboard or a .bib file.
    """
    if not text:
        return ""
    return _CONTROLS_AND_SPACE.sub(" ", text).strip()


def is_arxiv_container(text: str | None) -> bool:
    """`arXiv preprint arXiv:1810.04805`, `CoRR`, `ArXiv`: a repository, not a journal."""
    return bool(text) and _ARXIV_CONTAINER.match(clean(text)) is not None


def kind_of(paper: Paper) -> Kind:
    """A journal makes an article whatever the entry type says (a preprint with a later journal
    version is cited as the article); otherwise the entry type decides, then the containers."""
    if paper.journal and not is_arxiv_container(paper.journal):
        return Kind.ARTICLE
    shape = _SHAPES.get((paper.entry_type or "").lower())
    if shape == "chapter" and not paper.booktitle:
        shape = "book"  # an `@inbook` that names only the book's own title
    if shape == "unpublished" and paper.arxiv_id:
        shape = None  # posted to arXiv: a preprint
    if shape is not None:
        return Kind(shape)
    if paper.booktitle and not is_arxiv_container(paper.booktitle):
        return Kind.PAPER
    if paper.arxiv_id or is_arxiv_container(paper.journal):
        return Kind.PREPRINT
    return Kind.OTHER


def is_edited(paper: Paper) -> bool:
    """Credited to its editors: a whole volume with editors and no authors of its own."""
    return not paper.authors and bool(paper.editors) and kind_of(paper) in (Kind.BOOK, Kind.PROCEEDINGS)


def full_title(paper: Paper) -> str:
    """`Title: Subtitle` when the source gives the subtitle apart (BibLaTeX's `subtitle`)."""
    title, subtitle = title_of(paper), clean(paper.subtitle)
    if title and subtitle:
        return f"{title}{'' if title.endswith(('?', '!', ':')) else ':'} {subtitle}"
    return title or subtitle


def month_of(paper: Paper) -> int | None:
    """1–12 from `jan`, `January`, `Jan.`, `3`, `05 aug` (ACL's day and month) or the full date;
    None when the source does not say."""
    day = full_date(paper)
    if day is not None:
        return day.month
    text = clean(paper.month).lower()
    for word in re.findall(r"[a-z]{3,}", text):
        for index, name in enumerate(MONTHS):
            if name.lower().startswith(word[:3]):
                return index + 1
    if text.isdigit() and 1 <= int(text) <= 12:
        return int(text)
    return None


def edition_of(paper: Paper) -> str:
    """`2nd` from `2`, `2nd`, `Second` or `second edition`; other wording (`Rev.`) as written."""
    text = re.sub(r"\s*(?:edition|ed\.?)$", "", clean(paper.edition), flags=re.IGNORECASE)
    if not text:
        return ""
    if text.isdigit():
        return ordinal(int(text))
    words = ("first second third fourth fifth sixth seventh eighth ninth tenth").split()
    if text.lower() in words:
        return ordinal(words.index(text.lower()) + 1)
    return text


def ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def shortened_pages(paper: Paper, shorten_second: Callable[[str, str], str]) -> str:
    """The range with its second number abbreviated by a style's rule (MLA, Chicago)."""
    pages = page_range(paper)
    match = _SIMPLE_PAGES.match(pages)
    if not match:
        return pages
    first, last = match.groups()
    if int(last) <= int(first) or len(last) != len(first):
        return pages
    return f"{first}–{shorten_second(first, last)}"


def chicago_second_number(first: str, last: str) -> str:
    """CMOS 18 §9.63: below 100 and at multiples of 100 all digits (71–72, 100–104); 101–109 the
    changed part only (101–8, 1103–4); otherwise two digits, more if more change (321–28, 1496–500)."""
    start = int(first)
    if start < 100 or start % 100 == 0:
        return last
    if start % 100 < 10:
        return _changed_part(first, last, least=1)
    return _changed_part(first, last, least=2)


def mla_second_number(first: str, last: str) -> str:
    """MLA 9 §2.139: up to 99 in full; beyond, the last two digits unless more are needed
    (95–105, 105–19, 2104–08, 5362–451)."""
    if int(first) < 100:
        return last
    return _changed_part(first, last, least=2, keep_zeros=True)


def _changed_part(first: str, last: str, *, least: int, keep_zeros: bool = False) -> str:
    same = 0
    while same < len(first) and first[same] == last[same]:
        same += 1
    digits = max(len(last) - same, least)
    part = last[-digits:]
    return part if keep_zeros else (part.lstrip("0") or "0")


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


def group_author(paper: Paper) -> str:
    """The organisation credited with a report or a manual that names no people (APA 9.11)."""
    if paper.authors or paper.editors:
        return ""
    kind = kind_of(paper)
    if kind is Kind.REPORT:
        return clean(paper.institution or paper.organization)
    if kind is Kind.MANUAL:
        return clean(paper.organization or paper.institution)
    return ""


def publisher_of(paper: Paper) -> str:
    """Who issued the work: the publisher, or the institution a report or the organisation a
    manual names in its place."""
    kind = kind_of(paper)
    if kind is Kind.REPORT:
        return clean(paper.institution or paper.publisher or paper.organization)
    if kind is Kind.MANUAL:
        return clean(paper.organization or paper.publisher or paper.institution)
    return clean(paper.publisher or paper.organization)


def is_masters(paper: Paper) -> bool:
    written = f"{paper.entry_type or ''} {paper.publication_type or ''}".lower()
    return "master" in written or bool(re.search(r"\bm\.?\s?(?:a|s|sc|phil)\b\.?", written))


def site_of(paper: Paper) -> str:
    """A web page's site: `howpublished` unless it is only the address, else the organisation."""
    how = clean(paper.howpublished)
    if how and not re.search(r"\\url|https?://|www\.", how):
        return how
    return clean(paper.organization or paper.publisher)


def report_label(paper: Paper, default: str = "Report") -> str:
    return clean(paper.publication_type) or default
