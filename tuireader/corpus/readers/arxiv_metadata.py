"""arXiv's metadata snapshot: one JSON object per line (the Kaggle `arxiv-metadata-oai-snapshot`).

    {"id": "0704.0001", "title": "…", "authors_parsed": [["Balázs", "C.", ""]], "abstract": "…",
     "categories": "hep-ph", "journal-ref": "…", "doi": "…", "versions": [{"created": "Mon, 2 Apr
     2007 19:18:42 GMT"}], "update_date": "2008-11-26", …}

The date is the first version's, when the paper appeared; a line that is not a JSON object is
skipped and reported with its line number.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from tuireader.corpus.keys import normalise_arxiv_id
from tuireader.corpus.model import Author, Paper, Problem, Record, Source
from tuireader.corpus.readers.base import Reader, ReadResult, lines_of
from tuireader.corpus.readers.csl_json import json_fields
from tuireader.corpus.readers.identifiers import clean_doi
from tuireader.corpus.readers.quick_latex import plain, styled

RECORD_FORMAT = "arxiv-metadata"


def sniff(head: str) -> bool:
    first = next((line for _, line in lines_of(head) if line.strip()), "")
    try:
        record = json.loads(first)
    except (ValueError, RecursionError):
        return False
    return (
        isinstance(record, dict) and "id" in record and ("authors_parsed" in record or "versions" in record)
    )


def _authors(record: dict[str, Any]) -> tuple[Author, ...]:
    authors = []
    for parts in record.get("authors_parsed") or []:
        if not isinstance(parts, list) or not parts:
            continue
        family, given, suffix = ([*map(str, parts), "", ""])[:3]
        family = plain(family)
        if suffix:
            family = f"{family} {plain(suffix)}"
        if family:
            authors.append(Author(family=family, given=plain(given)))
    return tuple(authors)


def _first_version_date(record: dict[str, Any]) -> dt.date | None:
    versions = record.get("versions") or []
    if versions and isinstance(versions[0], dict):
        try:
            return dt.datetime.strptime(
                str(versions[0].get("created", "")), "%a, %d %b %Y %H:%M:%S %Z"
            ).date()
        except ValueError:
            pass
    try:
        return dt.date.fromisoformat(str(record.get("update_date", "")))
    except ValueError:
        return None


def _text(value: Any) -> str | None:
    return " ".join(str(value).split()) or None if value else None


def paper_from_record(record: dict[str, Any], path: str, line: int) -> Paper | None:
    arxiv_id = normalise_arxiv_id(str(record.get("id", "")))
    if arxiv_id is None:
        return None
    date = _first_version_date(record)
    title = _text(record.get("title"))
    comments = _text(record.get("comments"))
    return Paper(
        title=plain(title) if title else None,
        authors=_authors(record),
        abstract=styled(str(record.get("abstract") or "").strip()),
        year=date.year if date else None,
        date=date,
        arxiv_id=arxiv_id,
        venue=_text(record.get("journal-ref")),
        doi=clean_doi(record.get("doi")),
        entry_type="article",
        categories=tuple(str(record.get("categories") or "").split()),
        comments=(comments,) if comments else (),
        sources=(Source(path, line),),
        records=(Record(RECORD_FORMAT, "", arxiv_id, json_fields(record), Source(path, line)),),
    )


def _decoded(line: str) -> tuple[Any, str | None]:
    """The line's JSON value, or why it cannot be read."""
    try:
        return json.loads(line), None
    except json.JSONDecodeError as error:
        return None, f"not a JSON record ({error.msg}); skipped"
    except ValueError as error:  # valid JSON Python will not take, such as a 5,000-digit number
        return None, f"not a readable JSON record ({error}); skipped"
    except RecursionError:
        return None, "record nested too deeply to read; skipped"


def read(text: str, path: str) -> ReadResult:
    result = ReadResult()
    for number, line in lines_of(text):
        if not line.strip():
            continue
        record, failure = _decoded(line)
        if failure is not None:
            result.problems.append(Problem(path, failure, number))
            continue
        paper = paper_from_record(record, path, number) if isinstance(record, dict) else None
        if paper is None:
            result.problems.append(Problem(path, "record without an arXiv id; skipped", number))
        else:
            result.records.append(paper)
    return result


READER = Reader(name="arXiv metadata", sniff=sniff, read=read, version=4)
