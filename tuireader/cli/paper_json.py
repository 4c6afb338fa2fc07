"""`show --json`: one paper in full, every fact and every record it was read from.

The keys come in a fixed order (the list's keys first, then the rest as the model declares them),
so that scripts and diffs of the output stay stable. Absent facts are `null` or `[]`, never left out.
"""

from __future__ import annotations

from typing import Any

from tuireader.corpus.model import Author, Paper, Record
from tuireader.corpus.serialise import paper_as_json

# The text facts `list --json` does not carry, in the model's order.
_MORE_TEXT = (
    "entry_type",
    "journal",
    "booktitle",
    "volume",
    "number",
    "pages",
    "publisher",
    "url",
    "edition",
    "month",
    "address",
    "school",
    "institution",
    "organization",
    "series",
    "chapter",
    "howpublished",
    "note",
    "file",
    "isbn",
    "issn",
    "subtitle",
    "language",
)


def paper_in_full(paper: Paper) -> dict[str, Any]:
    shown = paper_as_json(paper)
    shown.update({name: getattr(paper, name) for name in _MORE_TEXT})
    # BibTeX's `type` ("PhD dissertation") under the name BibTeX gives it
    shown["type"] = paper.publication_type
    shown["editors"] = [_name(editor) for editor in paper.editors]
    shown["categories"] = list(paper.categories)
    shown["keywords"] = list(paper.keywords)
    shown["collections"] = list(getattr(paper, "collections", ()))
    shown["records"] = [_record(record) for record in paper.records]
    return shown


def _name(author: Author) -> dict[str, str]:
    if author.literal:
        return {"family": author.literal, "given": "", "literal": author.literal}
    return {"family": author.family, "given": author.given}


def _record(record: Record) -> dict[str, Any]:
    """A record as read: fields as [name, value] pairs, because order and repeats are kept."""
    return {
        "format": record.format,
        "type": record.entry_type,
        "key": record.key,
        "source": str(record.source) if record.source else None,
        "fields": [[name, value] for name, value in record.fields],
        "strings": [[name, value] for name, value in record.strings],
    }
