"""APA 7th edition reference-list entries (Publication Manual §§9.7–9.21, 10.1, 10.8).

Authors: `Family, I. I.`, all of them up to 20 with `, &` before the last; from 21 on the first 19,
an ellipsis and the last, with no ampersand. Date: `(2025).` or `(n.d.).`. Titles in sentence
case; a work that stands alone (a preprint, a report) has an italic title, an article does not,
and a journal's name and volume are italic. No author: the title moves to the author's place. No
title: a description in square brackets. A DOI or URL ends the entry without a period.
"""

from __future__ import annotations

from tuireader.cite.author_date import author_date_reference
from tuireader.cite.facts import (
    Kind,
    clean,
    container_of,
    page_range,
    title_of,
    untitled_description,
)
from tuireader.cite.names import inverted_initials
from tuireader.cite.styled import Builder
from tuireader.cite.titlecase import sentence_case
from tuireader.corpus.model import Author, Paper, StyledText

MOST_AUTHORS_LISTED = 20
LISTED_BEFORE_ELLIPSIS = 19
ELLIPSIS = ". . ."  # APA writes an ellipsis as three spaced periods


def author_list(authors: tuple[Author, ...]) -> str:
    names = [inverted_initials(author) for author in authors]
    if len(names) == 1:
        return names[0]
    if len(names) > MOST_AUTHORS_LISTED:
        return ", ".join(names[:LISTED_BEFORE_ELLIPSIS]) + f", {ELLIPSIS} " + names[-1]
    return ", ".join(names[:-1]) + ", & " + names[-1]


def _title(out: Builder, paper: Paper, kind: Kind) -> None:
    title = title_of(paper)
    if not title:
        out.add(f"[{untitled_description(paper)}]")
    elif kind in (Kind.ARTICLE, Kind.PROCEEDINGS):
        out.add(sentence_case(title))
    else:
        out.italic(sentence_case(title))
    if kind is Kind.PREPRINT:
        out.add(f" (arXiv:{paper.arxiv_id})")
    out.period()


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
    elif kind is Kind.PROCEEDINGS:
        out.space().add("In ").italic(container)
        if pages:
            out.add(f" (pp. {pages})")
        out.period()
    elif kind is Kind.PREPRINT:
        out.space().add("arXiv.")
    if paper.publisher and kind is not Kind.PREPRINT:
        out.space().add(clean(paper.publisher)).period()


def styled_apa(paper: Paper) -> StyledText:
    return author_date_reference(
        paper,
        author_list=author_list,
        title=_title,
        source=_source,
        year_text=lambda year: f"({year})." if year else "(n.d.).",
        link_ends_with_period=False,
    )


def format_apa(paper: Paper) -> str:
    return styled_apa(paper).text
