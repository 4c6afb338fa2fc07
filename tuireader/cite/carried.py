"""What a non-BibTeX record says that the normalised facts do not hold, for a BibTeX entry.

A paper read from RIS, CSL-JSON or arXiv's metadata is written to BibTeX from its facts; whatever
its records carry beyond them (an RIS `M1`, a CSL `container-title-short`, arXiv's `report-no`)
is written under its own name, lower-cased, so that nothing read is dropped without a trace.
BibTeX and biber keep fields they do not know, and a user can rename them. A value the facts
already carry (the same text, or a name, date or page range the entry writes in its own form) is
not written twice.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from tuireader.cite.facts import clean
from tuireader.corpus.model import Paper, Record

# Per format: what the facts always carry in another form (names, dates, pages, the type and key).
_IN_OTHER_FORM = {
    "ris": frozenset("TY ER ID AU A1 A2 ED PY Y1 DA SP EP KW".split()),
    "csl-json": frozenset(
        "id type citation-key author editor issued page keyword non-dropping-particle".split()
    ),
    "arxiv-metadata": frozenset(
        "id authors authors_parsed versions update_date title abstract categories journal-ref doi".split()
    ),
}
_JSON_FORMATS = frozenset({"csl-json", "arxiv-metadata"})
_NOT_IN_A_NAME = re.compile(r"[^a-z0-9_.:-]+")


def _readable(record: Record, value: str) -> str:
    """A value as one line of text: JSON values decoded, lists joined, objects as compact JSON."""
    if record.format not in _JSON_FORMATS:
        return clean(value)
    decoded: Any = json.loads(value)
    if decoded is None:
        return ""
    if isinstance(decoded, str):
        return clean(decoded)
    if isinstance(decoded, list) and all(isinstance(part, (str, int, float)) for part in decoded):
        return clean("; ".join(str(part) for part in decoded))
    if isinstance(decoded, (int, float)):
        return str(decoded)
    return clean(json.dumps(decoded, ensure_ascii=False, separators=(",", ":")))


def _known_values(paper: Paper, written: Iterable[str]) -> set[str]:
    facts = [
        paper.title,
        paper.venue,
        paper.journal,
        paper.booktitle,
        paper.volume,
        paper.number,
        paper.pages,
        paper.publisher,
        paper.url,
        paper.doi,
        paper.arxiv_id,
        paper.abstract.text,
        paper.edition,
        paper.address,
        paper.school,
        paper.institution,
        paper.organization,
        paper.publication_type,
        paper.series,
        paper.chapter,
        paper.howpublished,
        paper.note,
        paper.isbn,
        paper.issn,
        paper.language,
        paper.citation_key,
        *paper.keywords,
        *written,
    ]
    return {_compared(text) for text in facts if text}


def _compared(text: str) -> str:
    return clean(text).casefold()


def carried_fields(paper: Paper, written: Iterable[str] = ()) -> list[tuple[str, str]]:
    """(field name, text) for every value of the paper's non-BibTeX records that neither its facts
    nor `written` (the values the entry already has) carry; a name given twice gets one field,
    its values joined by `; `."""
    known = _known_values(paper, written)
    carried: dict[str, list[str]] = {}
    for record in paper.records:
        skipped = _IN_OTHER_FORM.get(record.format)
        if skipped is None:
            continue  # BibTeX entries are written as read; other sources have their own exports
        for name, value in record.fields:
            if name in skipped:
                continue
            text = _readable(record, value)
            if not text or _compared(text) in known:
                continue
            field = _NOT_IN_A_NAME.sub("-", name.lower()).strip("-") or "field"
            if text not in carried.setdefault(field, []):
                carried[field].append(text)
    return [(field, "; ".join(texts)) for field, texts in carried.items()]
