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
from sys import intern

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
# Values up to this long are shared between entries: longer ones (titles, abstracts) seldom repeat.
_SHARED_LENGTH = 80
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


def cut(text: str, count: int) -> list[tuple[int, str]]:
    """`text` in at most `count` parts of about equal size, each with the 0-based number of its
    first line. Cut only where `_pieces` may cut, so the parts scanned one by one give the blocks
    the whole would."""
    parts: list[tuple[int, str]] = []
    start = line = 0
    for number in range(1, count):
        found = _BLOCK_AT_LINE_START.search(text, max(start, len(text) * number // count))
        if found is None:
            break
        end = found.start() + 1
        parts.append((line, text[start:end]))
        line += text.count("\n", start, end)
        start = end
    parts.append((line, text[start:]))
    return parts


@dataclass(slots=True)
class ScannedPart:
    """What one part of a file gave before keys are compared across parts: entries, `@string`s
    and problems (no repeated key among them), lines counted from the start of the file."""

    entries: list[RawEntry] = field(default_factory=list)
    strings: list[RawString] = field(default_factory=list)
    problems: ProblemLog = field(default_factory=ProblemLog)
    shared: dict[str, str] = field(default_factory=dict)  # each short value met, once


def scan_part(
    text: str, path: str, first_line: int = 0, on_progress: Callable[[float], None] | None = None
) -> ScannedPart:
    """The blocks of `text`, the part of a file starting at its 0-based line `first_line`."""
    result = ScannedPart()
    for line, end, piece in _pieces(text):
        line += first_line
        try:
            library = bibtexparser.parse_string(piece, parse_stack=[])
        except Exception as error:  # bibtexparser raises on states it calls its own bugs
            last_line = line + piece.count("\n")
            message = f"lines {line + 1}–{last_line} could not be split into entries ({error}); skipped"
            result.problems.append(Problem(path, message, line + 1))
            continue
        for block in library.blocks:
            _take(block, line, path, result)
        if on_progress is not None:
            on_progress(end / len(text))
    return result


def scan(
    text: str,
    path: str,
    on_progress: Callable[[float], None] | None = None,
    earlier: Iterable[Problem] = (),
) -> BibScan:
    """Every entry and `@string` of `text`; damaged blocks become problems naming their line.

    `earlier` are problems met before scanning (in reading the file), listed first.
    """
    return joined([scan_part(text, path, 0, on_progress)], path, earlier)


def joined(parts: Iterable[ScannedPart], path: str, earlier: Iterable[Problem] = ()) -> BibScan:
    """A file's scan from its parts in order, with a problem for each key used again.

    Problems stay in line order, a repeated key's after any other on its line, whether the file
    was scanned whole or in parts. A part lists its first problems and counts the rest, so merging
    what the parts list with the repeats still lists the file's first problems exactly.
    """
    result = BibScan(problems=ProblemLog(earlier))
    seen: dict[str, int] = {}
    unlisted = 0
    for part in parts:
        repeats: list[Problem] = []
        for entry in part.entries:
            first = seen.setdefault(entry.key.lower(), entry.line) if entry.key else entry.line
            if first != entry.line:
                message = f"key “{entry.key}” is also used at line {first}; both entries are read"
                repeats.append(Problem(path, message, entry.line))
        result.entries.extend(part.entries)
        result.strings.extend(part.strings)
        unlisted += part.problems.unlisted
        waiting = iter(repeats)
        repeat = next(waiting, None)
        for problem in part.problems:
            while repeat is not None and _before(repeat, problem):
                result.problems.append(repeat)
                repeat = next(waiting, None)
            result.problems.append(problem)
        if repeat is not None:
            result.problems.append(repeat)
        result.problems.extend(waiting)
    result.problems.unlisted += unlisted
    return result


def _before(repeat: Problem, problem: Problem) -> bool:
    return repeat.line is not None and problem.line is not None and repeat.line < problem.line


def _take(block: Block, first_line: int, path: str, result: ScannedPart) -> None:
    line = first_line + (block.start_line or 0) + 1
    if isinstance(block, (DuplicateFieldKeyBlock, DuplicateBlockKeyBlock)):
        if isinstance(block, DuplicateFieldKeyBlock):
            names = ", ".join(sorted(block.duplicate_keys))
            result.problems.append(
                Problem(path, f"field repeated in one entry ({names}); first value kept", line)
            )
        # A repeated key is reported once the parts are joined (`joined`). Both kinds always wrap the entry.
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
        _take_entry(block, line, result)
    elif isinstance(block, String):
        result.strings.append(RawString(block.key.strip().lower(), block.value, line))


def _take_entry(entry: Entry, line: int, result: ScannedPart) -> None:
    # Every paper keeps its entry as written: a field name, and a short value (a month, a year, a
    # venue), is one string shared by all entries, not one each (a tenth of a large library's memory).
    shared = result.shared
    raw = tuple(
        (
            intern(item.key.strip()),
            shared.setdefault(item.value, item.value) if len(item.value) <= _SHARED_LENGTH else item.value,
        )
        for item in entry.fields
    )
    key = entry.key.strip()
    entry_type = intern(entry.entry_type.strip().lower())
    result.entries.append(RawEntry(entry_type, key, line, fields_read(raw), raw))


def fields_read(raw: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    """An entry's `fields` from its `raw` ones: those in FIELDS_READ, by lower-case name, the
    first value of a name kept."""
    fields: dict[str, tuple[str, str]] = {}
    for pair in raw:
        written = pair[0]
        name = written.lower()
        if name in FIELDS_READ and name not in fields:
            # The pair as written when its name is already lower-case, as nearly all are: the
            # entry's fields then cost no new tuples and names beside its raw ones.
            fields[name] = pair if name == written else (intern(name), pair[1])
    return tuple(fields.values())


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
