"""arXiv ids and DOIs wherever a bibliography hides them: URLs, `CoRR abs/…`, `arXiv preprint`."""

from __future__ import annotations

import re

from tuireader.corpus.keys import normalise_arxiv_id

_DOI_PREFIX = re.compile(r"^\s*(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_DOI = re.compile(r"\b10\.\d{4,9}/\S+")
_ARXIV_DOI = re.compile(r"^10\.48550/arxiv\.(.+)$", re.IGNORECASE)
_ARXIV_IN_TEXT = re.compile(
    r"(?:arxiv(?:\.org/(?:abs|pdf)/|:\s*|\s+preprint\s+arxiv:\s*|\s+)|\babs/)"
    r"(\d{4}\.\d{4,5}(?:v\d+)?|[a-z-]+(?:\.[a-z]{2})?/\d{7}(?:v\d+)?)",
    re.IGNORECASE,
)


def clean_doi(text: str | None) -> str | None:
    """`https://doi.org/10.1/x` or `doi:10.1/x` → `10.1/x`; None when it is not a DOI."""
    if not text:
        return None
    match = _DOI.search(_DOI_PREFIX.sub("", text.strip()))
    return match.group(0).rstrip(".,;") if match else None


def arxiv_id_of_doi(doi: str | None) -> str | None:
    match = _ARXIV_DOI.match(doi or "")
    return normalise_arxiv_id(match.group(1)) if match else None


def arxiv_id_in(*texts: str | None) -> str | None:
    """The first arXiv id named in any of `texts` (a URL, a journal line, a report number)."""
    for text in texts:
        if not text:
            continue
        match = _ARXIV_IN_TEXT.search(text)
        if match:
            found = normalise_arxiv_id(match.group(1))
            if found:
                return found
    return None
