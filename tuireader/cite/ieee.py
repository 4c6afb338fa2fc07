"""IEEE references (IEEE Reference Guide).

Authors: initials first (`S. R. Bowman`, `J. Smith, Jr.`); up to six all listed, `A and B`,
`A, B, and C`; from seven on the first and `et al.`. A volume credited to editors lists them with
`Ed.` or `Eds.`. An article's, chapter's, paper's, thesis's or report's title in quotation marks,
in sentence case, closed by a comma inside the quotes; a book's or manual's title in italics and
title case. Then the source, comma-separated, in the guide's order for each type:

    journal   *Journal*, vol. 12, no. 3, pp. 45–67, Mar. 2020, doi: 10.…
    paper     in *Proc. …*, City, Country, 2020, pp. 1–8.
    chapter   in *Book*, 2nd ed., E. Editor, Ed. City: Publisher, 2020, pp. 1–8.
    book      *Title*, 2nd ed. City: Publisher, 2020.
    thesis    Ph.D. dissertation (M.S. thesis), School, City, 2020.
    report    Institution, City, Tech. Rep. 42, 2020.
    manual    *Title*, 2nd ed., Organization, City, 2020.
    preprint  2025, arXiv:ID.

A plain URL follows as `[Online]. Available: URL`.
"""

from __future__ import annotations

from tuireader.cite.facts import (
    Kind,
    clean,
    container_of,
    doi_of,
    edition_of,
    full_title,
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
from tuireader.cite.ieee_words import ieee_container
from tuireader.cite.names import initials_first, serial
from tuireader.cite.protected import protected_words
from tuireader.cite.styled import Builder, quoted
from tuireader.cite.titlecase import Headline, headline_case, sentence_case
from tuireader.corpus.model import Author, Paper, StyledText

ET_AL_FROM = 7
MONTH_ABBREVIATIONS = (
    "Jan.",
    "Feb.",
    "Mar.",
    "Apr.",
    "May",
    "Jun.",
    "Jul.",
    "Aug.",
    "Sep.",
    "Oct.",
    "Nov.",
    "Dec.",
)
_ITALIC_TITLE = (Kind.BOOK, Kind.PROCEEDINGS, Kind.MANUAL)


def author_list(authors: tuple[Author, ...]) -> str:
    if len(authors) >= ET_AL_FROM:
        return f"{initials_first(authors[0])} et al."
    return serial([initials_first(author) for author in authors])


def _editors(editors: tuple[Author, ...]) -> str:
    return f"{author_list(editors)}, {'Ed.' if len(editors) == 1 else 'Eds.'}"


def _when(paper: Paper) -> str:
    """`Mar. 2020`; a preprint gives the year alone, as the guide's arXiv examples do."""
    year = year_of(paper)
    if not year:
        return ""
    month = month_of(paper) if kind_of(paper) is not Kind.PREPRINT else None
    return f"{MONTH_ABBREVIATIONS[month - 1]} {year}" if month else str(year)


def _pages(paper: Paper) -> str:
    pages = page_range(paper)
    return pages and (f"pp. {pages}" if "–" in pages else f"p. {pages}")


def _published(paper: Paper) -> str:
    """`City: Publisher, 2020` — a book's imprint."""
    publisher, city = publisher_of(paper), clean(paper.address)
    imprint = f"{city}: {publisher}" if city and publisher else publisher or city
    return ", ".join(part for part in (imprint, _when(paper)) if part)


def _source_elements(paper: Paper, kind: Kind) -> list[str]:
    """The comma-separated details after the title, in the guide's order for each kind."""
    volume, number = clean(paper.volume), clean(paper.number)
    edition = edition_of(paper)
    edition = f"{edition} ed." if edition else ""
    if kind is Kind.ARTICLE:
        elements = [volume and f"vol. {volume}", number and f"no. {number}", _pages(paper), _when(paper)]
    elif kind is Kind.PAPER:
        elements = [clean(paper.address), _when(paper), _pages(paper)]
    elif kind is Kind.THESIS:
        degree = "M.S. thesis" if is_masters(paper) else "Ph.D. dissertation"
        school = clean(paper.school or paper.institution)
        elements = [degree, school, clean(paper.address), _when(paper)]
    elif kind is Kind.REPORT:
        label = "Tech. Rep." if (paper.entry_type or "").lower() == "techreport" else "Rep."
        elements = [publisher_of(paper), clean(paper.address), number and f"{label} {number}", _when(paper)]
    elif kind is Kind.MANUAL:
        elements = [edition, publisher_of(paper), clean(paper.address), _when(paper)]
    elif kind is Kind.UNPUBLISHED:
        elements = ["unpublished"]
    elif kind is Kind.OTHER:
        elements = [site_of(paper), _when(paper)]
    else:  # a preprint
        elements = [volume and f"vol. {volume}", number and f"no. {number}", _pages(paper), _when(paper)]
    if kind is Kind.PREPRINT and paper.arxiv_id:
        elements.append(f"arXiv:{paper.arxiv_id}")
    doi = doi_of(paper)
    elements.append(f"doi: {doi}" if doi else "")
    return [element for element in elements if element]


def _book_title(out: Builder, paper: Paper, title: str) -> None:
    if title:
        out.italic(headline_case(title, Headline.CHICAGO, protected_words(paper)))
    else:
        out.add(untitled_description(paper))


def styled_ieee(paper: Paper) -> StyledText:
    kind = kind_of(paper)
    out = Builder()
    if paper.authors:
        out.add(author_list(paper.authors) + ", ")
    elif is_edited(paper):
        out.add(_editors(paper.editors) + ", ")
    title = full_title(paper)
    doi = doi_of(paper)
    if kind in (Kind.BOOK, Kind.PROCEEDINGS):
        # `*Title*, 2nd ed. City: Publisher, 1986.` — the imprint follows a period.
        _book_title(out, paper, title)
        edition = edition_of(paper)
        if edition:
            out.add(f", {edition} ed")
        out.period()
        imprint = _published(paper)
        if imprint:
            out.space().add(imprint)
        if doi:
            out.add(f", doi: {doi}")
        out.period()
    elif kind is Kind.MANUAL:
        _book_title(out, paper, title)
        elements = _source_elements(paper, kind)
        if elements:
            out.add(", " + ", ".join(elements))
        out.period()
    else:
        elements = _source_elements(paper, kind)
        container = container_of(paper)
        if kind is Kind.PREPRINT:
            container = ""
        elif kind in (Kind.ARTICLE, Kind.PAPER):
            container = ieee_container(container)  # a book's title is not abbreviated
        mark = "," if elements or container else "."
        keep = protected_words(paper)
        out.add(quoted(sentence_case(title, keep), mark) if title else untitled_description(paper) + mark)
        if container:
            out.space().add("in " if kind in (Kind.PAPER, Kind.CHAPTER) else "").italic(container)
            if kind is Kind.CHAPTER:
                _chapter_imprint(out, paper, elements)
                elements = []
            elif elements:
                out.add(",")
        if elements:
            out.space().add(", ".join(elements))
        out.period()
    url = clean(paper.url)
    if url and not doi and kind is not Kind.PREPRINT:
        out.space().add(f"[Online]. Available: {url}")
    return out.build()


def _chapter_imprint(out: Builder, paper: Paper, elements: list[str]) -> None:
    """`in *Book*, 2nd ed., A. Editor, Ed. City: Publisher, 2020, pp. 1–8, doi: ….`"""
    edition = edition_of(paper)
    if edition:
        out.add(f", {edition} ed.")
    if paper.editors:
        out.add(", " + _editors(paper.editors).rstrip("."))
    out.period()
    tail = [_published(paper), _pages(paper), *(e for e in elements if e.startswith("doi: "))]
    tail = [part for part in tail if part]
    if tail:
        out.space().add(", ".join(tail))


def format_ieee(paper: Paper) -> str:
    return styled_ieee(paper).text
