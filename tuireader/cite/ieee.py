"""IEEE references (IEEE Reference Guide).

Authors: initials first (`S. R. Bowman`); up to six all listed, `A and B`, `A, B, and C`; from
seven on the first and `et al.`. An article's title in quotation marks, in sentence case, closed
by a comma inside the quotes; a book's title in italics and title case, closed by a period. Then
the source, comma-separated: `vol.`, `no.`, `pp.` and the year (a conference paper: the year,
then `pp.`), `arXiv:ID` for a preprint and `doi:` for a DOI. A plain URL follows as
`[Online]. Available: URL`.
"""

from __future__ import annotations

from tuireader.cite.facts import (
    Kind,
    clean,
    container_of,
    doi_of,
    kind_of,
    page_range,
    title_of,
    untitled_description,
    year_of,
)
from tuireader.cite.names import initials_first, serial
from tuireader.cite.styled import Builder, quoted
from tuireader.cite.titlecase import Headline, headline_case, sentence_case
from tuireader.corpus.model import Author, Paper, StyledText

ET_AL_FROM = 7


def author_list(authors: tuple[Author, ...]) -> str:
    if len(authors) >= ET_AL_FROM:
        return f"{initials_first(authors[0])} et al."
    return serial([initials_first(author) for author in authors])


def _source_elements(paper: Paper, kind: Kind) -> list[str]:
    """The comma-separated details after the title, in the guide's order for each kind."""
    year = year_of(paper)
    pages = page_range(paper)
    volume, number = clean(paper.volume), clean(paper.number)
    when = str(year) if year else ""
    where = pages and (f"pp. {pages}" if "–" in pages else f"p. {pages}")
    doi = doi_of(paper)
    if kind is Kind.BOOK:
        elements = [clean(paper.publisher), when]
    elif kind is Kind.PROCEEDINGS:
        elements = [when, where]  # a conference paper gives the year before the pages
    else:
        elements = [volume and f"vol. {volume}", number and f"no. {number}", where, when]
    if kind is Kind.PREPRINT:
        elements.append(f"arXiv:{paper.arxiv_id}")
    elements.append(f"doi: {doi}" if doi else "")
    return [element for element in elements if element]


def styled_ieee(paper: Paper) -> StyledText:
    kind = kind_of(paper)
    out = Builder()
    if paper.authors:
        out.add(author_list(paper.authors) + ", ")
    elements = _source_elements(paper, kind)
    container = container_of(paper)
    title = title_of(paper)
    if kind is Kind.BOOK:
        # A book's title is italic, in title case, and closed by a period: `Title. Publisher, 1986.`
        if title:
            out.italic(headline_case(title, Headline.CHICAGO)).period()
        else:
            out.add(untitled_description(paper)).period()
    else:
        mark = "," if elements or container else "."
        out.add(quoted(sentence_case(title), mark) if title else untitled_description(paper) + mark)
        if container:
            out.space().add("in " if kind is Kind.PROCEEDINGS else "").italic(container)
            if elements:
                out.add(",")
    if elements:
        out.space().add(", ".join(elements))
    out.period()
    url = clean(paper.url)
    if url and not doi_of(paper) and kind is not Kind.PREPRINT:
        out.space().add(f"[Online]. Available: {url}")
    return out.build()


def format_ieee(paper: Paper) -> str:
    return styled_ieee(paper).text
