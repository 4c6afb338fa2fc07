"""Chicago author-date reference-list entries (The Chicago Manual of Style, 18th ed., ch. 13).

Authors: the first inverted (`Family, Given`), the others `Given Family`, joined with a serial
`and`; up to six are all listed, from seven on the first three and `et al.`. Then the year, or
`n.d.`. Titles in headline case: articles and papers in quotation marks, books in italics, the
journal in italics. A preprint is marked `Preprint, arXiv, January 30, 2025.`. The DOI or URL ends
the entry, followed by a period. No author: the entry begins with the title.
"""

from __future__ import annotations

from tuireader.cite.author_date import author_date_reference
from tuireader.cite.facts import (
    MONTHS,
    Kind,
    clean,
    container_of,
    full_date,
    page_range,
    title_of,
    untitled_description,
)
from tuireader.cite.names import inverted, natural, serial
from tuireader.cite.styled import Builder, quoted
from tuireader.cite.titlecase import Headline, headline_case
from tuireader.corpus.model import Author, Paper, StyledText

MOST_AUTHORS_LISTED = 6
LISTED_BEFORE_ET_AL = 3


def author_list(authors: tuple[Author, ...]) -> str:
    names = [inverted(authors[0]), *(natural(author) for author in authors[1:])]
    if len(names) > MOST_AUTHORS_LISTED:
        return ", ".join(names[:LISTED_BEFORE_ET_AL]) + ", et al."
    if len(names) == 2:
        # The first name is inverted, so its comma comes before `and` even with two authors.
        return f"{names[0]}, and {names[1]}"
    return serial(names)


def _title(out: Builder, paper: Paper, kind: Kind) -> None:
    title = title_of(paper)
    if not title:
        out.add(untitled_description(paper)).period()
    elif kind is Kind.BOOK:
        out.italic(headline_case(title, Headline.CHICAGO)).period()
    else:
        out.add(quoted(headline_case(title, Headline.CHICAGO), "."))


def _source(out: Builder, paper: Paper, kind: Kind) -> None:
    container, pages = container_of(paper), page_range(paper)
    if kind is Kind.ARTICLE:
        out.space().italic(container)
        if paper.volume:
            out.add(f" {clean(paper.volume)}")
        if paper.number:
            out.add(f" ({clean(paper.number)})")
        if pages:
            out.add(f": {pages}" if paper.volume or paper.number else f", {pages}")
        out.period()
    elif kind is Kind.PROCEEDINGS:
        out.space().add("In ").italic(container)
        if pages:
            out.add(f", {pages}")
        out.period()
    elif kind is Kind.PREPRINT:
        day = full_date(paper)
        when = f", {MONTHS[day.month - 1]} {day.day}, {day.year}" if day else ""
        out.space().add(f"Preprint, arXiv{when}.")
    if paper.publisher and kind is not Kind.PREPRINT:
        out.space().add(clean(paper.publisher)).period()


def styled_chicago(paper: Paper) -> StyledText:
    return author_date_reference(
        paper,
        author_list=author_list,
        title=_title,
        source=_source,
        year_text=lambda year: f"{year}." if year else "n.d.",
        link_ends_with_period=True,
    )


def format_chicago(paper: Paper) -> str:
    return styled_chicago(paper).text
