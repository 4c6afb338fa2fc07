"""CSL-JSON, the interchange format of Zotero, Pandoc and citeproc: one JSON array of items.

The items carry what tuireader's own CSL-JSON reader reads back (title, authors, date, container,
volume, issue, pages, DOI, URL, abstract, type) and the rest CSL has a variable for: editors,
edition, publisher and its place, the thesis's school, the report's number and genre, ISBN, ISSN,
keywords, language, note. An arXiv paper is linked by its arXiv page when the sources give no
other URL, so that the reader finds its arXiv id again.

A paper read from CSL-JSON is written as it was read: each item it came from, every variable in
its order with its value as the file gave it (numbers stay numbers, unknown variables stay).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from tuireader.cite.facts import (
    Kind,
    citation_key,
    clean,
    container_of,
    doi_of,
    full_date,
    is_arxiv_container,
    is_masters,
    kind_of,
    month_of,
    page_range,
    year_of,
)
from tuireader.cite.names import parts
from tuireader.corpus.model import Author, Paper, Record

# CSL 1.0.2 item types, chosen so that the reader's own table maps them back to the same kind.
_TYPE_FOR_KIND = {
    Kind.ARTICLE: "article-journal",
    Kind.PAPER: "paper-conference",
    Kind.CHAPTER: "chapter",
    Kind.PROCEEDINGS: "book",
    Kind.BOOK: "book",
    Kind.THESIS: "thesis",
    Kind.REPORT: "report",
    Kind.MANUAL: "book",
    Kind.UNPUBLISHED: "manuscript",
    Kind.PREPRINT: "article",
    Kind.OTHER: "webpage",
}


def _name(author: Author) -> dict[str, str]:
    if author.literal:
        return {"literal": clean(author.literal)}
    family, given, suffix = parts(author)
    name = {"family": family}
    if given:
        name["given"] = given
    if suffix:
        name["suffix"] = suffix
    return name


def _issued(paper: Paper) -> dict[str, Any] | None:
    year = year_of(paper)
    if year is None:
        return None
    day = full_date(paper)
    if day is not None:
        return {"date-parts": [[day.year, day.month, day.day]]}
    month = month_of(paper)
    return {"date-parts": [[year, month] if month else [year]]}


def csl_item(paper: Paper) -> dict[str, Any]:
    """One CSL item; absent facts are left out, never written empty."""
    kind = kind_of(paper)
    container = container_of(paper)
    if kind is Kind.PREPRINT and is_arxiv_container(container):
        container = ""
    genre = clean(paper.publication_type)
    if kind is Kind.THESIS and not genre:
        genre = "Master's thesis" if is_masters(paper) else "PhD thesis"
    number = clean(paper.number)
    item: dict[str, Any] = {
        "id": citation_key(paper),
        "type": _TYPE_FOR_KIND[kind],
        "citation-key": citation_key(paper),
        "title": clean(paper.title),
        "author": [_name(author) for author in paper.authors],
        "editor": [_name(editor) for editor in paper.editors],
        "issued": _issued(paper),
        "container-title": container,
        "collection-title": clean(paper.series),
        "volume": clean(paper.volume),
        # A journal's issue is `issue`; a report's number is `number` (CSL keeps them apart).
        "issue": number if kind is not Kind.REPORT else "",
        "number": number if kind is Kind.REPORT else (f"arXiv:{paper.arxiv_id}" if paper.arxiv_id else ""),
        "page": page_range(paper, "-"),
        "edition": clean(paper.edition),
        "publisher": clean(paper.publisher or paper.school or paper.institution or paper.organization),
        "publisher-place": clean(paper.address),
        "genre": genre if kind in (Kind.THESIS, Kind.REPORT) else "",
        "DOI": doi_of(paper),
        "URL": clean(paper.url) or (paper.arxiv_url or ""),
        "ISBN": clean(paper.isbn),
        "ISSN": clean(paper.issn),
        "abstract": clean(paper.abstract.text),
        "keyword": ", ".join(clean(keyword) for keyword in paper.keywords),
        "language": clean(paper.language),
        "note": clean(paper.note),
    }
    return {key: value for key, value in item.items() if value}


def csl_records(paper: Paper) -> list[Record]:
    return [record for record in paper.records if record.format == "csl-json"]


def read_item(record: Record) -> dict[str, Any]:
    """A CSL-JSON record's item again: its values are kept as JSON text."""
    return {name: json.loads(value) for name, value in record.fields}


def csl_items(paper: Paper) -> list[dict[str, Any]]:
    """The items the paper was read from, or one item from its facts."""
    return [read_item(record) for record in csl_records(paper)] or [csl_item(paper)]


def format_csl_json(paper: Paper) -> str:
    return format_csl_json_many([paper])


def format_csl_json_many(papers: Sequence[Paper]) -> str:
    """A JSON array, one item per paper, indented as Zotero writes it; non-ASCII kept as UTF-8."""
    return json.dumps([item for paper in papers for item in csl_items(paper)], indent=2, ensure_ascii=False)
