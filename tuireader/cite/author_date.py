"""The shape APA and Chicago author-date share: Authors. (Year). Title. Source. Link."""

from __future__ import annotations

from collections.abc import Callable

from tuireader.cite.facts import Kind, kind_of, link_of, year_of
from tuireader.cite.styled import Builder
from tuireader.corpus.model import Author, Paper, StyledText

Part = Callable[[Builder, Paper, Kind], None]


def author_date_reference(
    paper: Paper,
    *,
    author_list: Callable[[tuple[Author, ...]], str],
    title: Part,
    source: Part,
    year_text: Callable[[int | None], str],
    link_ends_with_period: bool,
) -> StyledText:
    """Without authors the title moves to the front, as both styles rule."""
    kind = kind_of(paper)
    out = Builder()
    if paper.authors:
        out.add(author_list(paper.authors)).period()
    else:
        title(out, paper, kind)
    out.space().add(year_text(year_of(paper)))
    if paper.authors:
        out.space()
        title(out, paper, kind)
    source(out, paper, kind)
    link = link_of(paper)
    if link:
        out.space().add(link)
        if link_ends_with_period:
            out.period()
    return out.build()
