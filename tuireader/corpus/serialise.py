"""Papers as JSON-ready dictionaries (the CLI's `--json` and anything scripted on top)."""

from __future__ import annotations

from typing import Any

from tuireader.corpus.model import Author, Paper


def paper_as_json(paper: Paper) -> dict[str, Any]:
    return {
        "id": paper.id,
        "title": paper.title,
        "authors": [_author_as_json(author) for author in paper.authors],
        "year": paper.year,
        "date": paper.date.isoformat() if paper.date else None,
        "arxiv_id": paper.arxiv_id,
        "venue": paper.venue,
        "doi": paper.doi,
        "citation_key": paper.citation_key,
        "abstract": paper.abstract.text,
        "emphasis": [
            {"start": s.start, "end": s.end, "style": s.emphasis.value} for s in paper.abstract.spans
        ],
        "comments": list(paper.comments),
        "sources": [str(source) for source in paper.sources],
    }


def _author_as_json(author: Author) -> dict[str, str]:
    """Always `family` and `given`, so scripts can rely on them; an institution adds `literal`."""
    if author.literal:
        return {"family": author.literal, "given": "", "literal": author.literal}
    return {"family": author.family, "given": author.given}


def short_byline(paper: Paper, *, limit: int = 2) -> str:
    """`Mu`, `Mu & Goodman`, `Sharma et al.` — family names for a one-line listing."""
    names = [a.literal or a.family for a in paper.authors]
    if not names:
        return ""
    if len(names) <= limit:
        return " & ".join(names)
    return f"{names[0]} et al."
