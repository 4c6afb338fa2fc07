"""What every format reader provides: a content sniffer and a reader."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from tuireader.corpus.model import Paper, Problem


@dataclass(slots=True)
class ReadResult:
    records: list[Paper] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Reader:
    """`sniff` sees the start of a file's text; `read` gets the text and the path to report.

    `version` is part of the parse cache's key: raise it when the same file would read differently.
    """

    name: str
    sniff: Callable[[str], bool]
    read: Callable[[str, str], ReadResult]
    version: int = 1


def numbered_lines(text: str) -> list[tuple[int, str]]:
    """(1-based line number, line without trailing white space) for every line."""
    return [(number, line.rstrip()) for number, line in enumerate(text.splitlines(), start=1)]


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
