"""Styles that are a paper's identifiers rather than a reference: the citation key, the LaTeX
`\\cite{key}` command, and the arXiv URL."""

from __future__ import annotations

from collections.abc import Sequence

from tuireader.cite.facts import citation_key
from tuireader.corpus.model import Paper


class CitationUnavailable(ValueError):
    """The paper lacks what this style is made of (e.g. an arXiv URL for a paper not on arXiv)."""


def format_key(paper: Paper) -> str:
    return citation_key(paper)


def format_latex_cite(paper: Paper) -> str:
    return f"\\cite{{{citation_key(paper)}}}"


def format_latex_cite_many(papers: Sequence[Paper]) -> str:
    """Many papers are cited by one command: `\\cite{a,b,c}`."""
    return "\\cite{" + ",".join(citation_key(paper) for paper in papers) + "}"


def format_arxiv_url(paper: Paper) -> str:
    if paper.arxiv_url is None:
        raise CitationUnavailable(f"{paper.id or 'this paper'} is not on arXiv, so it has no arXiv URL")
    return paper.arxiv_url
