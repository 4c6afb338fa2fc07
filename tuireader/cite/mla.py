"""MLA 9th edition works-cited entries (MLA Handbook, ch. 5).

Authors: `Family, Given.`; two: `Family, Given, and Given Family.`; three or more: the first and
`et al.`. Titles in headline case: a part of a larger work (an article, a preprint on arXiv) in
quotation marks, a self-contained work in italics, the container in italics. Then the container's
elements separated by commas, the date as `30 Jan. 2025`, and the DOI (as https://doi.org/…) or the
URL without `https://`. No title: a plain description in its place. No author: begin with the title.
"""

from __future__ import annotations

import re

from tuireader.cite.facts import (
    Kind,
    clean,
    container_of,
    doi_url,
    full_date,
    kind_of,
    page_range,
    title_of,
    untitled_description,
    year_of,
)
from tuireader.cite.names import inverted, natural
from tuireader.cite.styled import Builder, quoted
from tuireader.cite.titlecase import Headline, headline_case
from tuireader.corpus.model import Author, Paper, StyledText

MONTH_ABBREVIATIONS = (
    "Jan.",
    "Feb.",
    "Mar.",
    "Apr.",
    "May",
    "June",
    "July",
    "Aug.",
    "Sept.",
    "Oct.",
    "Nov.",
    "Dec.",
)
ET_AL_FROM = 3


def author_list(authors: tuple[Author, ...]) -> str:
    if len(authors) >= ET_AL_FROM:
        return f"{inverted(authors[0])}, et al."
    if len(authors) == 2:
        return f"{inverted(authors[0])}, and {natural(authors[1])}"
    return inverted(authors[0])


def _date(paper: Paper) -> str:
    day = full_date(paper)
    if day is not None:
        return f"{day.day} {MONTH_ABBREVIATIONS[day.month - 1]} {day.year}"
    year = year_of(paper)
    return str(year) if year else ""


def _location(paper: Paper) -> str:
    """The DOI as a link, else the URL with its protocol left off, as MLA 9 advises."""
    doi = doi_url(paper)
    if doi:
        return doi
    return re.sub(r"^https?://", "", paper.arxiv_url or clean(paper.url))


def _pages(paper: Paper) -> str:
    pages = page_range(paper)
    if not pages:
        return ""
    return f"pp. {pages}" if "–" in pages else f"p. {pages}"


def styled_mla(paper: Paper) -> StyledText:
    kind = kind_of(paper)
    out = Builder()
    if paper.authors:
        out.add(author_list(paper.authors)).period().space()
    title = title_of(paper)
    if not title:
        out.add(untitled_description(paper)).period()
    elif kind is Kind.BOOK:
        out.italic(headline_case(title, Headline.MLA)).period()
    else:
        out.add(quoted(headline_case(title, Headline.MLA), "."))
    container = "arXiv" if kind is Kind.PREPRINT else container_of(paper)
    elements = [
        clean(paper.volume) and f"vol. {clean(paper.volume)}",
        clean(paper.number) and f"no. {clean(paper.number)}",
        clean(paper.publisher) if kind is not Kind.PREPRINT else "",
        _date(paper),
        _pages(paper),
        _location(paper),
    ]
    present = [element for element in elements if element]
    if container or present:
        out.space()
        if container:
            out.italic(container)
            if present:
                out.add(", ")
        out.add(", ".join(present)).period()
    return out.build()


def format_mla(paper: Paper) -> str:
    return styled_mla(paper).text
