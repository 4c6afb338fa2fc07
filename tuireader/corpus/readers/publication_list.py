"""A person's publication list: an owner line, then per paper a title, a byline, an abstract.

    Mu, Jesse
    Learning to Compress Prompts with Gist Tokens
    Mu, Jesse, Li, Xiang Lisa, Goodman, Noah
    Prompting is the primary way to …

A byline is recognised by its shape and the title is the line above it, so abstracts wrapped over
several lines still parse. An abstract written as one long line ends there: anything after it and
before the next title belongs to no record (a record that lost its byline) and is reported rather
than glued onto the abstract. Whatever is missing is reported with its line.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from itertools import pairwise

from tuireader.corpus.latex import latex_to_plain, latex_to_text
from tuireader.corpus.model import Paper, Problem, Source
from tuireader.corpus.names import parse_family_given_pairs
from tuireader.corpus.readers.base import Reader, ReadResult, numbered_lines

# Wrapped text never runs this long, so a line this long is a whole abstract.
_ONE_LINE_ABSTRACT = 120
# Longer than any real title: the line above such a byline is the previous paper's abstract.
_MAX_TITLE = 300
_SNIFF_LINES = 12
_SENTENCE_END = (".", "!", "?", ")", '"', "'", "”", "’")

Line = tuple[int, str]


def _content_lines(text: str) -> list[Line]:
    return [(number, line.strip()) for number, line in numbered_lines(text) if line.strip()]


def sniff(head: str) -> bool:
    """An owner line naming one person, then near the top a title with a byline under it."""
    lines = [line for _, line in _content_lines(head)][:_SNIFF_LINES]
    owner = parse_family_given_pairs(lines[0]) if lines else None
    if owner is None or len(owner) != 1:
        return False
    is_byline = [parse_family_given_pairs(line) is not None for line in lines]
    return any(not is_byline[i] and is_byline[i + 1] for i in range(1, len(lines) - 1))


def _excerpt(text: str) -> str:
    return f"“{text[:60]}…”" if len(text) > 60 else f"“{text}”"


@dataclass(frozen=True, slots=True)
class _Layout:
    """Where one record lies in the content lines: title (None if missing), byline, end (exclusive)."""

    title: int | None
    byline: int
    end: int

    @property
    def start(self) -> int:
        return self.byline if self.title is None else self.title


def _layouts(lines: list[Line]) -> list[_Layout]:
    is_byline = [parse_family_given_pairs(line) is not None for _, line in lines]
    # The last of a run of byline-shaped lines is the byline: a title can look like one ("Hello, World").
    bylines = [
        i for i, shaped in enumerate(is_byline) if shaped and not (i + 1 < len(lines) and is_byline[i + 1])
    ]
    layouts: list[_Layout] = []
    previous = -1
    for byline in bylines:
        titled = byline - 1 > previous and len(lines[byline - 1][1]) <= _MAX_TITLE
        layouts.append(_Layout(byline - 1 if titled else None, byline, len(lines)))
        previous = byline
    # Each record ends where the next one starts.
    return [replace(layout, end=after.start) for layout, after in pairwise(layouts)] + layouts[-1:]


def read(text: str, path: str) -> ReadResult:
    result = ReadResult()
    lines = _content_lines(text)[1:]  # the first line names whose list it is
    layouts = _layouts(lines)
    if not layouts:
        first = lines[0][0] if lines else 1
        result.problems.append(Problem(path, "no record with a title and a byline found", first))
        return result
    if layouts[0].start > 0:
        _report_stray(result, path, lines[: layouts[0].start], at_end=False)
    for layout in layouts:
        cut_off = layout.end == len(lines) and not text.endswith("\n")
        result.records.append(_record(result, path, lines, layout, cut_off=cut_off))
    return result


def _record(result: ReadResult, path: str, lines: list[Line], layout: _Layout, *, cut_off: bool) -> Paper:
    byline_number, byline = lines[layout.byline]
    if layout.title is None:
        result.problems.append(
            Problem(path, "byline with no title line above it; read without a title", byline_number)
        )
        first_number, title = byline_number, ""
    else:
        first_number, title = lines[layout.title]
    label = _excerpt(title) if title else f"the record at line {byline_number}"
    abstract = lines[layout.byline + 1 : layout.end]
    if len(abstract) > 1 and len(abstract[0][1]) > _ONE_LINE_ABSTRACT:
        _report_stray(result, path, abstract[1:], at_end=layout.end == len(lines))
        abstract = abstract[:1]
    if not abstract:
        result.problems.append(Problem(path, f"{label} has no abstract (truncated record?)", first_number))
    elif cut_off and not abstract[-1][1].endswith(_SENTENCE_END):
        # The file stops in mid-line: what there is of the abstract still loads.
        result.problems.append(
            Problem(path, f"the abstract of {label} stops mid-sentence (truncated file?)", abstract[-1][0])
        )
    return Paper(
        title=latex_to_plain(title) or None,
        authors=parse_family_given_pairs(byline) or (),
        abstract=latex_to_text(" ".join(line for _, line in abstract)),
        sources=(Source(path, first_number),),
    )


def _report_stray(result: ReadResult, path: str, stray: list[Line], *, at_end: bool) -> None:
    first, text = stray[0]
    last = stray[-1][0]
    where = f"line {first}" if first == last else f"lines {first}–{last}"
    cause = "a record cut short at the end of the file?" if at_end else "a record without its byline?"
    result.problems.append(
        Problem(path, f"{_excerpt(text)} belongs to no record; {where} skipped ({cause})", first)
    )


READER = Reader(name="publication list", sniff=sniff, read=read, version=4)
