"""Splitting a BibTeX file into raw entries and `@string` definitions, through bibtexparser.

Values stay unevaluated (`"Proc. " # popl`, `jan`, `{...}`): macros and crossref parents may be
defined in another file of the same library, so evaluating waits until every file is scanned.

The text is handed to bibtexparser in pieces cut before an `@` that starts a line. bibtexparser
itself ends any block at such an `@`, so the pieces split exactly as the whole would; cutting keeps
its memory bounded (it holds a copy of every block's text, and a damaged block's exception with its
traceback) and lets a caller show progress.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import bibtexparser
from bibtexparser.exceptions import BlockAbortedException
from bibtexparser.model import (
    Block,
    DuplicateBlockKeyBlock,
    DuplicateFieldKeyBlock,
    Entry,
    ParsingFailedBlock,
    String,
)

from tuireader.corpus.model import Problem
from tuireader.corpus.problem_log import ProblemLog

# We report damaged blocks ourselves, with file and line; bibtexparser's log would repeat them.
# Below its level no log record is even made: a file of damaged blocks would make one per block.
logging.getLogger("bibtexparser").addHandler(logging.NullHandler())
logging.getLogger("bibtexparser").propagate = False
logging.getLogger("bibtexparser").setLevel(logging.CRITICAL + 1)

PIECE_CHARS = 1 << 20
# A megabyte of real entries is about a thousand blocks, but of one-line damaged blocks some
# 150,000, which bibtexparser would hold at 2 KB each: so a piece also ends after this many.
PIECE_BLOCKS = 1000
# The fields a Paper is made from (and those linking entries); the rest is never evaluated, so an
# odd `acknowledgement = ack-nhfb` in a field nobody reads costs nothing and warns nobody.
FIELDS_READ = frozenset(
    """title author abstract year date doi url journal journaltitle booktitle volume number issue
    pages publisher keywords primaryclass note eprint archiveprefix eprinttype howpublished
    crossref ids editor edition month address location school institution organization type series
    chapter file isbn issn subtitle language langid""".split()
)
_BLOCK_AT_LINE_START = re.compile(r"\n(?=@[\w]*[ \t]*[{(])")


@dataclass(frozen=True, slots=True)
class RawEntry:
    """One entry as written: lower-case type and field names, values not yet evaluated. `fields`
    are those a Paper is made from; `raw` is every field, its name as written."""

    entry_type: str
    key: str
    line: int
    fields: tuple[tuple[str, str], ...]
    raw: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class RawString:
    name: str
    value: str
    line: int


@dataclass(slots=True)
class BibScan:
    entries: list[RawEntry] = field(default_factory=list)
    strings: list[RawString] = field(default_factory=list)
    problems: ProblemLog = field(default_factory=ProblemLog)


def _pieces(text: str) -> Iterator[tuple[int, int, str]]:
    """(first line's 0-based number, end, text) of pieces of about PIECE_CHARS or PIECE_BLOCKS
    blocks, whichever comes first, cut one at a time so the text is never held twice."""
    start = line = blocks = 0
    for block_start in _BLOCK_AT_LINE_START.finditer(text):
        blocks += 1
        end = block_start.start() + 1
        if blocks >= PIECE_BLOCKS or end - start >= PIECE_CHARS:
            yield line, end, text[start:end]
            line += text.count("\n", start, end)
            start, blocks = end, 0
    if start < len(text):
        yield line, len(text), text[start:]


def scan(
    text: str,
    path: str,
    on_progress: Callable[[float], None] | None = None,
    earlier: Iterable[Problem] = (),
) -> BibScan:
    """Every entry and `@string` of `text`; damaged blocks become problems naming their line.

    `earlier` are problems met before scanning (in reading the file), listed first.
    """
    result = BibScan(problems=ProblemLog(earlier))
    seen_keys: dict[str, int] = {}
    for first_line, end, piece in _pieces(text):
        try:
            library = bibtexparser.parse_string(piece, parse_stack=[])
        except Exception as error:  # bibtexparser raises on states it calls its own bugs
            last_line = first_line + piece.count("\n")
            message = f"lines {first_line + 1}–{last_line} could not be split into entries ({error}); skipped"
            result.problems.append(Problem(path, message, first_line + 1))
            continue
        for block in library.blocks:
            _take(block, first_line, path, result, seen_keys)
        if on_progress is not None:
            on_progress(end / len(text))
    return result


def _take(block: Block, first_line: int, path: str, result: BibScan, seen: dict[str, int]) -> None:
    line = first_line + (block.start_line or 0) + 1
    if isinstance(block, (DuplicateFieldKeyBlock, DuplicateBlockKeyBlock)):
        if isinstance(block, DuplicateFieldKeyBlock):
            names = ", ".join(sorted(block.duplicate_keys))
            result.problems.append(
                Problem(path, f"field repeated in one entry ({names}); first value kept", line)
            )
        # A repeated key is reported below, across pieces too. Both kinds always wrap the entry.
        wrapped = block.ignore_error_block
        if wrapped is None:
            return
        block = wrapped
    elif isinstance(block, ParsingFailedBlock):
        result.problems.append(Problem(path, _failure_message(block), line))
        # The error's traceback holds bibtexparser's frames and through them the whole piece: a
        # cycle only the garbage collector would free, pieces later, so a file of damaged blocks
        # would hold many pieces at once.
        block.error.__traceback__ = None
        return
    if isinstance(block, (Entry, String)) and "\x00" in (block.raw or ""):
        result.problems.append(Problem(path, _nul_message(block, line), line))
        return
    if isinstance(block, Entry):
        _take_entry(block, line, path, result, seen)
    elif isinstance(block, String):
        result.strings.append(RawString(block.key.strip().lower(), block.value, line))


def _take_entry(entry: Entry, line: int, path: str, result: BibScan, seen: dict[str, int]) -> None:
    fields: dict[str, str] = {}
    raw: list[tuple[str, str]] = []
    for item in entry.fields:
        written = item.key.strip()
        raw.append((written, item.value))
        name = written.lower()
        if name in FIELDS_READ:
            fields.setdefault(name, item.value)
    key = entry.key.strip()
    earlier = seen.setdefault(key.lower(), line) if key else line
    if earlier != line:
        result.problems.append(
            Problem(path, f"key “{key}” is also used at line {earlier}; both entries are read", line)
        )
    entry_type = entry.entry_type.strip().lower()
    result.entries.append(RawEntry(entry_type, key, line, tuple(fields.items()), tuple(raw)))


_OPENING = re.compile(r"@\s*(\w*)\s*[{(]\s*([^,\s]*)")


def _described(block: Block) -> str:
    """`@article “key”`, as the block's opening names it."""
    opening = _OPENING.match(block.raw or "")
    what = f"@{opening.group(1).lower()}" if opening else "block"
    if opening and opening.group(2):
        what += f" “{opening.group(2)}”"
    return what


def _nul_message(block: Block, line: int) -> str:
    # A NUL byte is never written on purpose: the file was damaged here (a disk or sync fault), so
    # this entry cannot be trusted, while the rest of the file can.
    raw = block.raw or ""
    at = line + raw.count("\n", 0, raw.index("\x00"))
    where = "" if at == line else f" (on line {at})"
    return f"{_described(block)} holds a NUL byte{where}, a sign of damage; skipped"


def _failure_message(block: ParsingFailedBlock) -> str:
    what = _described(block)
    error = block.error
    if isinstance(error, BlockAbortedException):
        if "end of file" in error.abort_reason:
            reason = "the file ends inside it (truncated?)"
        elif "Unexpected block start" in error.abort_reason:
            reason = "it is not closed before the next entry starts"
        else:
            reason = error.abort_reason.strip().rstrip(".")
    else:
        reason = str(error)
    return f"{what} is damaged and was skipped: {reason}"
