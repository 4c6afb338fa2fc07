"""An arXiv listing: per paper an abstract, optional comment lines, then `arXiv:ID` and a date.

    Language models (LMs) can produce errors …

    ACL 2024 Main Conference

    arXiv:2409.12822
    Created: 2024-09-19

The listing gives no titles or authors; those stay unknown.
"""

from __future__ import annotations

import datetime as dt
import re

from tuireader.corpus.keys import normalise_arxiv_id
from tuireader.corpus.latex import join_paragraphs, latex_to_text
from tuireader.corpus.model import Paper, Problem, Source
from tuireader.corpus.problem_log import ProblemLog
from tuireader.corpus.readers.base import Reader, ReadResult, lines_of, paragraphs

_ID_LINE = re.compile(r"^arXiv:\s*(\S+)$", re.IGNORECASE)
_DATE_LINE = re.compile(r"^Created:\s*(.+)$", re.IGNORECASE)
_DATE_FORMATS = ("%Y-%m-%d", "%d %b %Y", "%d %B %Y", "%a, %d %b %Y")
_NOT_A_VENUE = re.compile(r"\b(\d+\s*(pages?|figures?|tables?)|https?://|code|github)\b", re.IGNORECASE)
_VENUE_PREFIX = re.compile(
    r"^(accepted|to appear|published|appears?|presented|camera[- ]ready)( (at|to|in|by|for|as))*[: ]+",
    re.IGNORECASE,
)
_YEAR = re.compile(r"\b(19|20)\d{2}\b")


def sniff(head: str) -> bool:
    lines = [line.strip() for _, line in lines_of(head)]
    return any(
        _ID_LINE.match(line) and index + 1 < len(lines) and _DATE_LINE.match(lines[index + 1])
        for index, line in enumerate(lines)
    )


def venue_from_comment(comment: str) -> str | None:
    """`ACL 2024 Main Conference` or `Accepted at ICLR 2024` → the venue; page counts are not."""
    if _NOT_A_VENUE.search(comment) or not _YEAR.search(comment):
        return None
    venue = _VENUE_PREFIX.sub("", comment).strip().rstrip(".")
    return venue or None


def _is_comment(block: list[str]) -> bool:
    """Comments are short single lines; abstract paragraphs are prose ending in punctuation."""
    return len(block) == 1 and len(block[0]) <= 160 and not block[0].endswith((".", "!", "?", ":"))


def _parse_date(text: str) -> dt.date | None:
    for date_format in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text.strip(), date_format).date()
        except ValueError:
            continue
    return None


def _kind(line: str) -> str:
    if _ID_LINE.match(line):
        return "id"
    return "date" if _DATE_LINE.match(line) else "text"


def _blocks(text: str) -> list[tuple[int, list[str]]]:
    """Paragraphs, also split where a blank line is missing around the `arXiv:`/`Created:` pair,
    so that one missing blank line does not glue a record onto its neighbour."""
    blocks: list[tuple[int, list[str]]] = []
    for start, block in paragraphs(text):
        kinds = [_kind(line) for line in block]
        cut = 0
        for k in range(1, len(block)):
            if (
                kinds[k] == "id"
                or (kinds[k] == "date" and kinds[k - 1] != "id")
                or (kinds[k] == "text" and kinds[k - 1] != "text")
            ):
                blocks.append((start + cut, block[cut:k]))
                cut = k
        blocks.append((start + cut, block[cut:]))
    return blocks


def read(text: str, path: str) -> ReadResult:
    result = ReadResult()
    pending: list[tuple[int, list[str]]] = []
    blocks = _blocks(text)
    index = 0
    while index < len(blocks):
        start, block = blocks[index]
        index += 1
        id_match = _ID_LINE.match(block[0])
        if id_match:
            date_line: tuple[int, str] | None = (start + 1, block[1]) if len(block) > 1 else None
            if date_line is None and index < len(blocks) and _kind(blocks[index][1][0]) == "date":
                date_line = (blocks[index][0], blocks[index][1][0])  # a blank line between the two
                index += 1
            record = _record(pending, start, id_match.group(1), date_line, path, result.problems)
            if record is not None:
                result.records.append(record)
        elif _kind(block[0]) == "date":
            skipped = f"; the record at line {pending[0][0]} is skipped" if pending else ""
            result.problems.append(
                Problem(path, f"“Created:” line with no arXiv:ID line above it{skipped}", start)
            )
        else:
            pending.append((start, block))
            continue
        pending = []
    if pending:
        result.problems.append(
            Problem(path, "record ends without its arXiv:ID and Created: lines (truncated?)", pending[0][0])
        )
    return result


def _record(
    pending: list[tuple[int, list[str]]],
    id_line: int,
    raw_id: str,
    date_line: tuple[int, str] | None,
    path: str,
    problems: ProblemLog,
) -> Paper | None:
    arxiv_id = normalise_arxiv_id(raw_id)
    if arxiv_id is None:
        problems.append(Problem(path, f"“{raw_id}” is not an arXiv identifier; record skipped", id_line))
        return None
    date = None
    date_match = _DATE_LINE.match(date_line[1]) if date_line else None
    if date_line is None or date_match is None:
        problems.append(Problem(path, f"arXiv:{arxiv_id} has no Created: line", id_line))
    else:
        date = _parse_date(date_match.group(1))
        if date is None:
            problems.append(Problem(path, f"unreadable date “{date_match.group(1)}”", date_line[0]))
    comment_count = 0
    while comment_count < len(pending) - 1 and _is_comment(pending[-1 - comment_count][1]):
        comment_count += 1
    abstract_blocks = pending[: len(pending) - comment_count]
    comments = tuple(block[0] for _, block in pending[len(pending) - comment_count :])
    if not abstract_blocks:
        problems.append(Problem(path, f"arXiv:{arxiv_id} has no abstract", id_line))
    abstract = join_paragraphs([latex_to_text(" ".join(lines)) for _, lines in abstract_blocks])
    venue = next((v for v in map(venue_from_comment, comments) if v), None)
    first_line = pending[0][0] if pending else id_line
    return Paper(
        abstract=abstract,
        arxiv_id=arxiv_id,
        date=date,
        year=date.year if date else None,
        venue=venue,
        comments=comments,
        sources=(Source(path, first_line),),
    )


READER = Reader(name="arXiv listing", sniff=sniff, read=read, version=4)
