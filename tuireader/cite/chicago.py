"""Chicago author-date reference-list entries (The Chicago Manual of Style, 18th ed., ch. 13).

Authors: the first inverted (`Family, Given`), the others `Given Family`, joined with a serial
`and`; up to six are all listed, from seven on the first three and `et al.`. A volume credited to
editors lists them there with `ed.` or `eds.`. Then the year, or `n.d.`. Titles in headline case:
articles, chapters, papers, theses and unpublished work in quotation marks, books and reports in
italics, the journal in italics. A chapter or proceedings paper: `In *Book*, edited by Given
Family, 45–67. Publisher.`; a thesis: `PhD diss., University.`. Page ranges are abbreviated by
§9.63 (`321–28`). Place of publication is left out, as the 18th edition allows. A preprint is
marked `Preprint, arXiv, January 30, 2025.`. The DOI or URL ends the entry, followed by a period.
No author: the entry begins with the title.
"""

from __future__ import annotations

from tuireader.cite.author_date import author_date_reference
from tuireader.cite.facts import (
    MONTHS,
    Kind,
    chicago_second_number,
    clean,
    container_of,
    edition_of,
    full_date,
    full_title,
    group_author,
    is_edited,
    is_masters,
    publisher_of,
    report_label,
    shortened_pages,
    site_of,
    untitled_description,
    year_of,
)
from tuireader.cite.names import inverted, natural, serial
from tuireader.cite.protected import protected_words
from tuireader.cite.styled import Builder, quoted
from tuireader.cite.titlecase import Headline, headline_case
from tuireader.corpus.model import Author, Paper, StyledText

MOST_AUTHORS_LISTED = 6
LISTED_BEFORE_ET_AL = 3
_ITALIC = (Kind.BOOK, Kind.PROCEEDINGS, Kind.REPORT, Kind.MANUAL)


def author_list(authors: tuple[Author, ...]) -> str:
    names = [inverted(authors[0]), *(natural(author) for author in authors[1:])]
    if len(names) > MOST_AUTHORS_LISTED:
        return ", ".join(names[:LISTED_BEFORE_ET_AL]) + ", et al."
    if len(names) == 2:
        # The first name is inverted, so its comma comes before `and` even with two authors.
        return f"{names[0]}, and {names[1]}"
    return serial(names)


def creators(paper: Paper) -> str:
    if paper.authors:
        return author_list(paper.authors)
    if is_edited(paper):
        return f"{author_list(paper.editors)}, {'ed.' if len(paper.editors) == 1 else 'eds.'}"
    return group_author(paper)


def edited_by(editors: tuple[Author, ...]) -> str:
    names = [natural(editor) for editor in editors]
    if len(names) > MOST_AUTHORS_LISTED:
        return "edited by " + ", ".join(names[:LISTED_BEFORE_ET_AL]) + ", et al."
    return "edited by " + serial(names)


def pages_of(paper: Paper) -> str:
    return shortened_pages(paper, chicago_second_number)


def _title(out: Builder, paper: Paper, kind: Kind) -> None:
    title = full_title(paper)
    if not title:
        out.add(untitled_description(paper)).period()
    elif kind in _ITALIC:
        out.italic(headline_case(title, Headline.CHICAGO, protected_words(paper))).period()
    else:
        out.add(quoted(headline_case(title, Headline.CHICAGO, protected_words(paper)), "."))
    edition = edition_of(paper)
    if edition and kind in _ITALIC:
        out.space().add(f"{edition} ed.")


def _publisher(out: Builder, paper: Paper) -> None:
    publisher = publisher_of(paper)
    if publisher and publisher != creators(paper):
        out.space().add(publisher).period()


def _source(out: Builder, paper: Paper, kind: Kind) -> None:
    container, pages = container_of(paper), pages_of(paper)
    if kind is Kind.ARTICLE:
        out.space().italic(container)
        if paper.volume:
            out.add(f" {clean(paper.volume)}")
        if paper.number:
            out.add(f" ({clean(paper.number)})")
        if pages:
            out.add(f": {pages}" if paper.volume or paper.number else f", {pages}")
        out.period()
    elif kind in (Kind.PAPER, Kind.CHAPTER):
        if container:
            out.space().add("In ").italic(container)
            if paper.editors:
                out.add(", " + edited_by(paper.editors))
            if pages:
                out.add(f", {pages}")
            out.period()
        _publisher(out, paper)
    elif kind in (Kind.BOOK, Kind.PROCEEDINGS, Kind.MANUAL):
        _publisher(out, paper)
    elif kind is Kind.REPORT:
        number = clean(paper.number)
        if number:
            out.space().add(f"{report_label(paper)} {number}").period()
        _publisher(out, paper)
    elif kind is Kind.THESIS:
        degree = "Master’s thesis" if is_masters(paper) else "PhD diss."
        school = clean(paper.school or paper.institution)
        out.space().add(f"{degree}, {school}" if school else degree).period()
    elif kind is Kind.UNPUBLISHED:
        out.space().add("Unpublished manuscript").period()
    elif kind is Kind.PREPRINT:
        day = full_date(paper)
        when = f", {MONTHS[day.month - 1]} {day.day}, {day.year}" if day else ""
        out.space().add(f"Preprint, arXiv{when}.")
    elif kind is Kind.OTHER:
        site = site_of(paper)
        if site and site != creators(paper):
            out.space().add(site).period()


def styled_chicago(paper: Paper) -> StyledText:
    return author_date_reference(
        paper,
        creators=creators,
        title=_title,
        source=_source,
        year_text=lambda paper: f"{year_of(paper)}." if year_of(paper) else "n.d.",
        link_ends_with_period=True,
    )


def format_chicago(paper: Paper) -> str:
    return styled_chicago(paper).text
