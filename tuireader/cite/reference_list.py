"""Reference lists: the order each style files its entries in.

APA (9.44–9.47), MLA (5.123) and Chicago (13.69) file alphabetically by the first element of the
entry — the authors' family names letter by letter, then their given names — and a work without
authors by its title; one creator's works go by year, oldest first. IEEE numbers its list in the
order the works are cited, which here is the order they are given.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from tuireader.cite.facts import group_author, is_edited, title_of, untitled_description, year_of
from tuireader.cite.names import sort_key
from tuireader.corpus.model import Author, Paper

_NO_YEAR = 10_000  # "n.d." files after dated works in APA's examples; the other styles agree


def _title_key(paper: Paper) -> str:
    # An untitled work files under the description that stands in its title's place.
    title = (title_of(paper) or untitled_description(paper)).casefold()
    for article in ("the ", "a ", "an "):
        if title.startswith(article):
            return title[len(article) :]
    return title


def filing_key(paper: Paper) -> tuple[tuple[str, ...], int, str]:
    credited: tuple[Author, ...] = paper.authors or (paper.editors if is_edited(paper) else ())
    group = group_author(paper)
    if credited:
        who = sort_key(credited)
    elif group:
        who = sort_key((Author("", literal=group),))
    else:
        who = (_title_key(paper),)
    return who, year_of(paper) or _NO_YEAR, _title_key(paper)


def alphabetical(papers: Sequence[Paper]) -> list[Paper]:
    return sorted(papers, key=filing_key)


def alphabetical_list(format_one: Callable[[Paper], str]) -> Callable[[Sequence[Paper]], str]:
    """A combiner for `CitationStyle`: the references one to a line, filed alphabetically."""

    def combine(papers: Sequence[Paper]) -> str:
        return "\n".join(format_one(paper) for paper in alphabetical(papers))

    return combine
