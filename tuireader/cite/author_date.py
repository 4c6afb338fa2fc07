"""The shape APA and Chicago author-date share: Creators. (Year). Title. Source. Link."""

from __future__ import annotations

from collections.abc import Callable

from tuireader.cite.facts import Kind, kind_of, link_of
from tuireader.cite.styled import Builder
from tuireader.corpus.model import Paper, StyledText

Part = Callable[[Builder, Paper, Kind], None]


def author_date_reference(
    paper: Paper,
    *,
    creators: Callable[[Paper], str],
    title: Part,
    source: Part,
    year_text: Callable[[Paper], str],
    link_ends_with_period: bool,
) -> StyledText:
    """Without creators (authors, editors or an organisation) the title moves to the front, as
    both styles rule."""
    kind = kind_of(paper)
    out = Builder()
    credit = creators(paper)
    if credit:
        out.add(credit).period()
    else:
        title(out, paper, kind)
    out.space().add(year_text(paper))
    if credit:
        out.space()
        title(out, paper, kind)
    source(out, paper, kind)
    link = link_of(paper)
    if link:
        out.space().add(link)
        if link_ends_with_period:
            out.period()
    return out.build()
