"""What every format reader provides: a content sniffer and a reader."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from tuireader.corpus.model import Paper
from tuireader.corpus.problem_log import ProblemLog


@dataclass(slots=True)
class ReadResult:
    """A reader's papers and problems; the problem log keeps a bounded number, however many come."""

    records: list[Paper] = field(default_factory=list)
    problems: ProblemLog = field(default_factory=ProblemLog)


@dataclass(frozen=True, slots=True)
class Reader:
    """`sniff` sees the start of a file's text; `read` gets the text and the path to report.

    `version` is part of the parse cache's key: raise it when the same file would read differently.
    """

    name: str
    sniff: Callable[[str], bool]
    read: Callable[[str, str], ReadResult]
    version: int = 1


def lines_of(text: str) -> Iterator[tuple[int, str]]:
    r"""(1-based line number, line) for every line, made one at a time.

    Lines end at `\n` only, the one line end `files.decode` leaves: so they are numbered as the
    BibTeX and CSL-JSON readers number them, and a form feed or U+2028 (allowed inside a JSON
    string) does not split one. One at a time, because a list of a file's lines costs some 60
    bytes a line over the text itself, 30 times the size of a file of short damaged lines.
    """
    start = 0
    number = 0
    end = len(text)
    while start < end:
        stop = text.find("\n", start)
        if stop < 0:
            stop = end
        number += 1
        yield number, text[start:stop]
        start = stop + 1


def numbered_lines(text: str) -> Iterator[tuple[int, str]]:
    """(1-based line number, line without trailing white space) for every line."""
    return ((number, line.rstrip()) for number, line in lines_of(text))


def paragraphs(text: str) -> list[tuple[int, list[str]]]:
    """Blocks of consecutive non-blank lines, each with the number of its first line."""
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = 0
    for number, line in numbered_lines(text):
        if line.strip():
            if not current:
                start = number
            current.append(line.strip())
        elif current:
            blocks.append((start, current))
            current = []
    if current:
        blocks.append((start, current))
    return blocks
