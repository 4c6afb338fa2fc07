"""A plain-text reference for notes and e-mail: who, what, where, when, and a link.

`Mrinank Sharma et al. Constitutional Classifiers: …. 2025. https://arxiv.org/abs/2501.18837`
Names and the title are kept exactly as the source writes them; up to three authors are named.
"""

from __future__ import annotations

from tuireader.cite.facts import clean, container_of, link_of, title_of, untitled_description, year_of
from tuireader.cite.names import short_byline
from tuireader.cite.styled import join_sentences, with_period
from tuireader.corpus.model import Paper


def format_plain(paper: Paper) -> str:
    year = year_of(paper)
    where = container_of(paper) or clean(paper.venue)
    parts = [
        short_byline(paper.authors),
        title_of(paper) or untitled_description(paper),
        ", ".join(part for part in (where, str(year) if year else "") if part),
    ]
    link = link_of(paper)
    if link:
        return join_sentences([*parts, link])  # a period after a URL would look like part of it
    return with_period(join_sentences(parts))
