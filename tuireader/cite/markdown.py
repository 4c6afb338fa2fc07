"""A Markdown reference: `[Title](https://arxiv.org/abs/ID) — Authors, Year`; and a reading list of
task-list items, `- [ ] [Title](link) — Authors (*Venue*, Year)`.

Text from the corpus is escaped so that a `*` or `_` in a title stays a character, and a link
target is percent-encoded where Markdown would end it early.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from tuireader.cite.facts import (
    Kind,
    clean,
    container_of,
    kind_of,
    link_of,
    title_of,
    untitled_description,
    year_of,
)
from tuireader.cite.names import short_byline
from tuireader.corpus.model import Paper

_INLINE_SPECIALS = re.compile(r"([\\`*_\[\]<>~])")
# Characters that open a block (heading, list, quote) when they begin a line.
_BLOCK_START = re.compile(r"^([#+\->]|\d+[.)])")


def escape_markdown(text: str) -> str:
    escaped = _INLINE_SPECIALS.sub(r"\\\1", text)
    return _BLOCK_START.sub(lambda match: "\\" + match.group(0), escaped)


def _link_target(url: str) -> str:
    return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29").replace("<", "%3C")


def format_markdown(paper: Paper) -> str:
    title = escape_markdown(title_of(paper) or untitled_description(paper))
    link = link_of(paper)
    reference = f"[{title}]({_link_target(link)})" if link else title
    year = year_of(paper)
    byline = short_byline(paper.authors)
    credit = ", ".join(part for part in (escape_markdown(byline) if byline else "", str(year or "")) if part)
    return f"{reference} — {credit}" if credit else reference


def format_markdown_list(papers: Sequence[Paper]) -> str:
    """Many references as a bulleted list."""
    return "\n".join(f"- {format_markdown(paper)}" for paper in papers)


def format_reading_item(paper: Paper) -> str:
    """`- [ ] [Title](link) — Authors (*Venue*, 2020)`: a task-list item, to tick off once read."""
    title = escape_markdown(title_of(paper) or untitled_description(paper))
    link = link_of(paper)
    reference = f"[{title}]({_link_target(link)})" if link else title
    byline = short_byline(paper.authors)
    venue = container_of(paper) or clean(paper.venue)
    if kind_of(paper) is Kind.PREPRINT and not venue:
        venue = "arXiv"
    year = year_of(paper)
    where = ", ".join(
        part for part in (f"*{escape_markdown(venue)}*" if venue else "", str(year or "")) if part
    )
    line = f"- [ ] {reference}"
    if byline:
        line += f" — {escape_markdown(byline)}"
    return f"{line} ({where})" if where else line


def format_reading_list(papers: Sequence[Paper]) -> str:
    """A reading list in the order given, one task-list item a paper."""
    return "\n".join(format_reading_item(paper) for paper in papers)
