"""RIS, the tagged format of reference managers and publishers' "export citation" buttons.

    TY  - JOUR
    TI  - A transversely isotropic composite …
    AU  - Federico, S.
    PY  - 2004
    DO  - 10.1016/j.jmps.2004.03.010
    ER  -

A record runs from `TY` to `ER`. One that lacks either end (a missing `TY` line, or a file cut
off before `ER`) is skipped and reported; lines without a tag continue the field before them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict

from tuireader.corpus.model import Paper, Problem, Record, Source, StyledText
from tuireader.corpus.names import parse_name
from tuireader.corpus.readers.base import Reader, ReadResult, lines_of
from tuireader.corpus.readers.identifiers import arxiv_id_in, arxiv_id_of_doi, clean_doi

_TAG_LINE = re.compile(r"^([A-Z][A-Z0-9])  -(?: (.*))?$")
_ENTRY_TYPES = {
    "JOUR": "article",
    "JFULL": "article",
    "MGZN": "article",
    "EJOUR": "article",
    "CONF": "inproceedings",
    "CPAPER": "inproceedings",
    "BOOK": "book",
    "EBOOK": "book",
    "CHAP": "incollection",
    "ECHAP": "incollection",
    "THES": "phdthesis",
    "RPRT": "techreport",
    "UNPB": "unpublished",
    "ELEC": "online",
    "GEN": "misc",
}
_ISSN = re.compile(r"\d{4}-?\d{3}[\dXx](?![\d-])")  # "0028-0836", "0028-0836 (Print)"
_DATE = re.compile(r"^(\d{4})(?:[/-](\d{1,2})?(?:[/-](\d{1,2})?)?)?")

Fields = defaultdict[str, list[str]]


def sniff(head: str) -> bool:
    lines = [line.strip("\ufeff").rstrip() for _, line in lines_of(head) if line.strip("\ufeff \t")]
    tagged = [line for line in lines[:20] if _TAG_LINE.match(line)]
    return bool(lines) and _TAG_LINE.match(lines[0]) is not None and len(tagged) >= 2


def _first(fields: Fields, *tags: str) -> str | None:
    for tag in tags:
        for value in fields.get(tag, ()):
            if value.strip():
                return " ".join(value.split())
    return None


def _year_and_date(fields: Fields) -> tuple[int | None, dt.date | None]:
    for tag in ("PY", "Y1", "DA", "Y2"):
        for value in fields.get(tag, ()):
            match = _DATE.match(value.strip())
            if not match:
                continue
            year = int(match.group(1))
            month, day = match.group(2), match.group(3)
            if month and day:
                try:
                    return year, dt.date(year, int(month), int(day))
                except ValueError:
                    pass
            return year, None
    return None, None


def _names(fields: Fields, *tags: str) -> list[str]:
    return [name for tag in tags for name in fields.get(tag, []) if name.strip()]


def _pages(fields: Fields) -> str | None:
    start, end = _first(fields, "SP"), _first(fields, "EP")
    if start and end and end != start:
        return f"{start}–{end}"
    return start


def _serial_numbers(fields: Fields) -> tuple[str | None, str | None]:
    """`SN` holds an ISSN for a serial and an ISBN for a book; the number's shape tells which."""
    issns: list[str] = []
    isbns: list[str] = []
    for value in fields.get("SN", ()):
        for number in (part.strip() for part in re.split(r"[;,\n]", value)):
            if number:
                (issns if _ISSN.match(number) else isbns).append(number)
    return (", ".join(isbns) or None, ", ".join(issns) or None)


RECORD_FORMAT = "ris"


def paper_from_fields(
    kind: str, fields: Fields, path: str, line: int, tagged: tuple[tuple[str, str], ...] = ()
) -> Paper:
    """A paper from one record's values by tag; `tagged` is the record as read, kept beside it."""
    year, date = _year_and_date(fields)
    doi = clean_doi(_first(fields, "DO")) or clean_doi(_first(fields, "UR"))
    url = _first(fields, "UR", "L2")
    entry_type = _ENTRY_TYPES.get(kind, "misc")
    container = _first(fields, "T2", "JF", "JO", "JA", "J2", "BT", "T3")
    is_journal = entry_type == "article"
    isbn, issn = _serial_numbers(fields)
    return Paper(
        title=_first(fields, "TI", "T1", "CT"),
        authors=tuple(parse_name(name) for name in _names(fields, "AU", "A1")),
        abstract=StyledText(_first(fields, "AB", "N2") or ""),
        year=year,
        date=date,
        arxiv_id=arxiv_id_of_doi(doi) or arxiv_id_in(url if url and "arxiv" in url else None),
        venue=container,
        doi=doi,
        entry_type=entry_type,
        journal=container if is_journal else None,
        booktitle=container if container and not is_journal else None,
        volume=_first(fields, "VL"),
        number=_first(fields, "IS", "CP"),
        pages=_pages(fields),
        publisher=_first(fields, "PB"),
        editors=tuple(
            parse_name(name) for name in fields.get("A2", []) + fields.get("ED", []) if name.strip()
        ),
        edition=_first(fields, "ET"),
        address=_first(fields, "CY"),
        publication_type=_first(fields, "M3"),
        url=url,
        keywords=tuple(k.strip() for k in fields.get("KW", []) if k.strip()),
        isbn=isbn,
        issn=issn,
        note="; ".join(" ".join(note.split()) for note in fields.get("N1", []) if note.strip()) or None,
        sources=(Source(path, line),),
        records=(Record(RECORD_FORMAT, kind, _first(fields, "ID") or "", tagged, Source(path, line)),),
    )


class _Record:
    def __init__(self, kind: str, line: int) -> None:
        self.kind = kind
        self.line = line
        self.fields: Fields = defaultdict(list)
        self.tagged: list[tuple[str, str]] = []  # in the file's order, repeated tags kept
        self.last_tag = ""


def read(text: str, path: str) -> ReadResult:
    result = ReadResult()
    record: _Record | None = None
    orphan_line: int | None = None
    for number, raw in lines_of(text):
        line = raw.strip("\ufeff").rstrip()
        match = _TAG_LINE.match(line)
        if match is None:
            if record is not None and record.last_tag and line.strip():
                values = record.fields[record.last_tag]
                values[-1] = f"{values[-1]} {line.strip()}"
                record.tagged[-1] = (record.last_tag, values[-1])
            continue
        tag, value = match.group(1), (match.group(2) or "").strip()
        if tag == "TY":
            if record is not None:
                result.problems.append(
                    Problem(path, "record has no ER line before the next TY; skipped", record.line)
                )
            record = _Record(value.upper(), number)
            record.tagged.append((tag, value))
        elif tag == "ER":
            if record is not None:
                paper = paper_from_fields(record.kind, record.fields, path, record.line, tuple(record.tagged))
                result.records.append(paper)
            elif orphan_line is not None:
                result.problems.append(Problem(path, "record has no TY line; skipped", orphan_line))
            record, orphan_line = None, None
        elif record is not None:
            record.fields[tag].append(value)
            record.tagged.append((tag, value))
            record.last_tag = tag
        elif orphan_line is None:
            orphan_line = number
    if record is not None:
        result.problems.append(
            Problem(path, "record is not closed by an ER line (truncated?); skipped", record.line)
        )
    elif orphan_line is not None:
        result.problems.append(Problem(path, "record has no TY line; skipped", orphan_line))
    return result


READER = Reader(name="RIS", sniff=sniff, read=read, version=5)
