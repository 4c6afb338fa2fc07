"""APA 7th edition reference-list entries (Publication Manual §§9.7–9.51, ch. 10).

Authors: `Family, I. I.`, all of them up to 20 with `, &` before the last; from 21 on the first 19,
an ellipsis and the last, with no ampersand. A work credited to editors lists them there with
`(Ed.)` or `(Eds.)`; a report or manual that names no people, its organisation (9.11). Date:
`(2025).`, `(2025, March 4).` for a web page, or `(n.d.).`. Titles in sentence case; a work that
stands alone (a book, a thesis, a report, a preprint) has an italic title followed by its edition
or number in parentheses and its description in square brackets; an article, a chapter and a
conference paper do not. A journal's name and volume are italic and no publisher follows them; a
chapter or a paper in published proceedings is `In E. Editor (Ed.), *Book* (pp. 1–10).
Publisher.` (10.3, 10.5). No author: the title moves to the author's place. No title: a
description in square brackets. A DOI or URL ends the entry without a period.
"""

from __future__ import annotations

from tuireader.cite.author_date import author_date_reference
from tuireader.cite.facts import (
    MONTHS,
    Kind,
    clean,
    container_of,
    edition_of,
    full_date,
    full_title,
    group_author,
    is_edited,
    is_masters,
    kind_of,
    month_of,
    page_range,
    publisher_of,
    site_of,
    untitled_description,
    year_of,
)
from tuireader.cite.names import initials_natural, inverted_initials
from tuireader.cite.protected import protected_words
from tuireader.cite.styled import Builder
from tuireader.cite.titlecase import sentence_case
from tuireader.corpus.model import Author, Paper, StyledText

MOST_AUTHORS_LISTED = 20
LISTED_BEFORE_ELLIPSIS = 19
ELLIPSIS = ". . ."  # APA writes an ellipsis as three spaced periods
_STANDALONE = (Kind.BOOK, Kind.PROCEEDINGS, Kind.THESIS, Kind.REPORT, Kind.MANUAL)


def author_list(authors: tuple[Author, ...]) -> str:
    names = [inverted_initials(author) for author in authors]
    if len(names) == 1:
        return names[0]
    if len(names) > MOST_AUTHORS_LISTED:
        return ", ".join(names[:LISTED_BEFORE_ELLIPSIS]) + f", {ELLIPSIS} " + names[-1]
    return ", ".join(names[:-1]) + ", & " + names[-1]


def _role(editors: tuple[Author, ...]) -> str:
    return "(Ed.)" if len(editors) == 1 else "(Eds.)"


def creators(paper: Paper) -> str:
    if paper.authors:
        return author_list(paper.authors)
    if is_edited(paper):
        # `(Eds.).`: the role in parentheses, then the period that closes the author element.
        return f"{author_list(paper.editors)} {_role(paper.editors)}."
    return group_author(paper)


def editors_in(editors: tuple[Author, ...]) -> str:
    """`R. Rustin (Ed.)`, `A. Editor & B. Editor (Eds.)`, `A. A, B. B, & C. C (Eds.)` (10.3)."""
    names = [initials_natural(editor) for editor in editors]
    if len(names) == 1:
        listed = names[0]
    elif len(names) == 2:
        listed = f"{names[0]} & {names[1]}"
    else:
        listed = ", ".join(names[:-1]) + ", & " + names[-1]
    return f"{listed} {_role(editors)}"


def _date(paper: Paper) -> str:
    year = year_of(paper)
    if not year:
        return "(n.d.)."
    month = month_of(paper) if paper.entry_type in (None, "misc", "online", "webpage") else None
    if month and not paper.arxiv_id:
        day = full_date(paper)
        return f"({year}, {MONTHS[month - 1]}{f' {day.day}' if day else ''})."
    return f"({year})."


def _title(out: Builder, paper: Paper, kind: Kind) -> None:
    title = full_title(paper)
    keep = protected_words(paper)
    if not title:
        out.add(f"[{untitled_description(paper)}]")
    elif kind in (Kind.ARTICLE, Kind.PAPER, Kind.CHAPTER):
        out.add(sentence_case(title, keep))
    else:
        out.italic(sentence_case(title, keep))
    details = []
    edition = edition_of(paper)
    if edition and kind in _STANDALONE:
        details.append(f"{edition} ed.")
    if kind is Kind.REPORT and clean(paper.number):
        details.append(f"{clean(paper.publication_type) or 'Report'} No. {clean(paper.number)}")
    if kind is Kind.PREPRINT:
        details.append(f"arXiv:{paper.arxiv_id}" if paper.arxiv_id else "")
    details = [detail for detail in details if detail]
    if details:
        out.add(f" ({', '.join(details)})")
    if kind is Kind.THESIS:
        degree = "Master’s thesis" if is_masters(paper) else "Doctoral dissertation"
        school = clean(paper.school or paper.institution)
        out.add(f" [{degree}{', ' + school if school else ''}]")
    elif kind is Kind.UNPUBLISHED:
        out.add(" [Unpublished manuscript]")
    if out.text.endswith((")", "]")):
        out.add(".")  # a parenthesis closes the details, not the element: `(2nd ed.).`
    else:
        out.period()


def _in_book(out: Builder, paper: Paper) -> None:
    """`In R. Rustin (Ed.), *Book* (2nd ed., pp. 1–10).` — a chapter or a proceedings paper."""
    container, pages = container_of(paper), page_range(paper)
    out.space().add("In ")
    if paper.editors:
        out.add(editors_in(paper.editors) + ", ")
    # A book's title is in sentence case (10.3); a conference's proceedings keep their name as written.
    out.italic(
        sentence_case(container, protected_words(paper)) if kind_of(paper) is Kind.CHAPTER else container
    )
    details = [f"{edition_of(paper)} ed." if edition_of(paper) else "", f"pp. {pages}" if pages else ""]
    details = [detail for detail in details if detail]
    if details:
        out.add(f" ({', '.join(details)}).")
    else:
        out.period()


def _publisher(out: Builder, paper: Paper) -> None:
    publisher = publisher_of(paper)
    # A publisher that is also the author is not repeated (9.29).
    if publisher and publisher != creators(paper):
        out.space().add(publisher).period()


def _source(out: Builder, paper: Paper, kind: Kind) -> None:
    container, pages = container_of(paper), page_range(paper)
    if kind is Kind.ARTICLE:
        out.space().italic(container)
        if paper.volume:
            out.add(", ").italic(clean(paper.volume))
        if paper.number:
            out.add(f"({clean(paper.number)})")
        if pages:
            out.add(f", {pages}")
        out.period()
    elif kind in (Kind.PAPER, Kind.CHAPTER):
        if container:
            _in_book(out, paper)
        _publisher(out, paper)
    elif kind in (Kind.BOOK, Kind.PROCEEDINGS, Kind.REPORT, Kind.MANUAL):
        _publisher(out, paper)
    elif kind is Kind.UNPUBLISHED:
        where = clean(paper.institution or paper.school)
        if where:
            out.space().add(where).period()
    elif kind is Kind.PREPRINT:
        out.space().add("arXiv.")
    elif kind is Kind.OTHER:
        site = site_of(paper)
        if site and site != creators(paper):
            out.space().add(site).period()


def styled_apa(paper: Paper) -> StyledText:
    return author_date_reference(
        paper,
        creators=creators,
        title=_title,
        source=_source,
        year_text=_date,
        link_ends_with_period=False,
    )


def format_apa(paper: Paper) -> str:
    return styled_apa(paper).text
