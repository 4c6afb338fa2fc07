"""MLA 9th edition works-cited entries (MLA Handbook, ch. 5).

Authors: `Family, Given.`; two: `Family, Given, and Given Family.`; three or more: the first and
`et al.`. A volume credited to editors lists them there, with `editor` or `editors`. Titles in
headline case: a part of a larger work (an article, a chapter, a paper, a web page, a preprint on
arXiv) in quotation marks, a self-contained work (a book, a thesis, a report) in italics, the
container in italics. Then the container's elements separated by commas — `edited by`, edition,
`vol.`, `no.`, publisher (`U` and `P` for University and Press), the date as `30 Jan. 2025` or
`Aug. 2020`, `pp.` with the second number abbreviated (`105–19`) — and the DOI (as
https://doi.org/…) or the URL without `https://`. A thesis ends `University, PhD dissertation.`.
No title: a plain description in its place. No author: begin with the title.
"""

from __future__ import annotations

import re

from tuireader.cite.facts import (
    Kind,
    clean,
    container_of,
    doi_url,
    edition_of,
    full_date,
    full_title,
    is_edited,
    is_masters,
    kind_of,
    mla_second_number,
    month_of,
    publisher_of,
    report_label,
    shortened_pages,
    site_of,
    untitled_description,
    year_of,
)
from tuireader.cite.names import inverted, natural
from tuireader.cite.protected import protected_words
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
_SELF_CONTAINED = (Kind.BOOK, Kind.PROCEEDINGS, Kind.THESIS, Kind.REPORT, Kind.MANUAL)


def author_list(authors: tuple[Author, ...]) -> str:
    if len(authors) >= ET_AL_FROM:
        return f"{inverted(authors[0])}, et al."
    if len(authors) == 2:
        return f"{inverted(authors[0])}, and {natural(authors[1])}"
    return inverted(authors[0])


def edited_by(editors: tuple[Author, ...]) -> str:
    """`edited by Given Family`, `… and …`, or the first and `et al.` from three on (5.29)."""
    if len(editors) >= ET_AL_FROM:
        return f"edited by {natural(editors[0])} et al."
    return "edited by " + " and ".join(natural(editor) for editor in editors)


def publisher_name(name: str) -> str:
    """MLA 9 §5.77: `University Press` → `UP`, otherwise `University` → `U`, `Press` → `P`."""
    name = re.sub(r"\bUniversity Press\b", "UP", name)
    name = re.sub(r"\bUniversity\b", "U", name)
    return re.sub(r"\bPress\b", "P", name)


def _date(paper: Paper) -> str:
    day = full_date(paper)
    if day is not None:
        return f"{day.day} {MONTH_ABBREVIATIONS[day.month - 1]} {day.year}"
    year = year_of(paper)
    if not year:
        return ""
    month = month_of(paper)
    return f"{MONTH_ABBREVIATIONS[month - 1]} {year}" if month else str(year)


def _location(paper: Paper) -> str:
    """The DOI as a link, else the URL with its protocol left off, as MLA 9 advises."""
    doi = doi_url(paper)
    if doi:
        return doi
    return re.sub(r"^https?://", "", paper.arxiv_url or clean(paper.url))


def _pages(paper: Paper) -> str:
    pages = shortened_pages(paper, mla_second_number)
    if not pages:
        return ""
    return f"pp. {pages}" if "–" in pages else f"p. {pages}"


def _title(out: Builder, paper: Paper, kind: Kind) -> None:
    title = full_title(paper)
    if not title:
        out.add(untitled_description(paper)).period()
    elif kind in _SELF_CONTAINED:
        out.italic(headline_case(title, Headline.MLA, protected_words(paper))).period()
    else:
        out.add(quoted(headline_case(title, Headline.MLA, protected_words(paper)), "."))


def _elements(paper: Paper, kind: Kind) -> tuple[str, list[str], str]:
    """The container, its elements in MLA's order, and an optional element for the end (the
    location then follows that element, as in MLA 9's dissertation examples)."""
    edition = edition_of(paper)
    edition = f"{edition} ed." if edition else ""
    publisher = publisher_name(publisher_of(paper))
    volume, number = clean(paper.volume), clean(paper.number)
    if kind is Kind.ARTICLE:
        container = container_of(paper)
        elements = [volume and f"vol. {volume}", number and f"no. {number}", _date(paper), _pages(paper)]
        return container, [*elements, _location(paper)], ""
    if kind in (Kind.PAPER, Kind.CHAPTER):
        editors = edited_by(paper.editors) if paper.editors else ""
        elements = [editors, edition, volume and f"vol. {volume}", publisher, _date(paper), _pages(paper)]
        return container_of(paper), [*elements, _location(paper)], ""
    if kind is Kind.PREPRINT:
        return "arXiv", [_date(paper), _location(paper)], ""
    if kind is Kind.THESIS:
        degree = "MA thesis" if is_masters(paper) else "PhD dissertation"
        school = publisher_name(clean(paper.school or paper.institution))
        ending = f"{school}, {degree}" if school else degree
        return "", [_date(paper)], ending
    if kind is Kind.REPORT:
        label = number and f"{report_label(paper)} {number}"
        return "", [edition, publisher, _date(paper), "" if label else _location(paper)], label
    if kind is Kind.UNPUBLISHED:
        return "", [_date(paper)], "Unpublished manuscript"
    if kind is Kind.OTHER:
        return site_of(paper), [_date(paper), _location(paper)], ""
    # A book, a manual, a volume of proceedings: version, publisher, date.
    return "", [edition, publisher, _date(paper), _location(paper)], ""


def styled_mla(paper: Paper) -> StyledText:
    kind = kind_of(paper)
    out = Builder()
    if paper.authors:
        out.add(author_list(paper.authors)).period().space()
    elif is_edited(paper):
        role = "editor" if len(paper.editors) == 1 else "editors"
        out.add(f"{author_list(paper.editors)}, {role}").period().space()
    _title(out, paper, kind)
    container, elements, ending = _elements(paper, kind)
    present = [element for element in elements if element]
    if container or present:
        out.space()
        if container:
            out.italic(container)
            if present:
                out.add(", ")
        out.add(", ".join(present)).period()
    if ending:
        out.space().add(ending).period()
        location = _location(paper)
        if location:
            out.space().add(location).period()
    return out.build()


def format_mla(paper: Paper) -> str:
    return styled_mla(paper).text
