"""A person's publication list: an owner line, then per paper a title, a byline, an abstract.

    Mu, Jesse
    Learning to Compress Prompts with Gist Tokens
    Mu, Jesse, Li, Xiang Lisa, Goodman, Noah
    Prompting is the primary way to …

A title is recognised as the line before a byline, so abstracts wrapped over several lines and
records missing a line still parse; what is missing is reported with its line.
"""

from __future__ import annotations

from tuireader.corpus.latex import latex_to_plain, latex_to_text
from tuireader.corpus.model import Paper, Problem, Source
from tuireader.corpus.names import parse_family_given_pairs
from tuireader.corpus.readers.base import Reader, ReadResult, numbered_lines


def _content_lines(text: str) -> list[tuple[int, str]]:
    return [(number, line.strip()) for number, line in numbered_lines(text) if line.strip()]


def sniff(head: str) -> bool:
    lines = [line for _, line in _content_lines(head)][:4]
    if len(lines) < 3:
        return False
    owner = parse_family_given_pairs(lines[0])
    return (
        owner is not None
        and len(owner) == 1
        and parse_family_given_pairs(lines[1]) is None
        and parse_family_given_pairs(lines[2]) is not None
    )


def read(text: str, path: str) -> ReadResult:
    result = ReadResult()
    lines = _content_lines(text)[1:]  # the first line names whose list it is
    is_byline = [parse_family_given_pairs(line) is not None for _, line in lines]
    title_at = [i for i in range(len(lines) - 1) if is_byline[i + 1] and not is_byline[i]]
    expected_start = 0
    for position, i in enumerate(title_at):
        for stray_number, _ in lines[expected_start:i]:
            result.problems.append(
                Problem(path, "line outside any record (missing title or byline?)", stray_number)
            )
        next_title = title_at[position + 1] if position + 1 < len(title_at) else len(lines)
        title_number, title = lines[i]
        authors = parse_family_given_pairs(lines[i + 1][1]) or ()
        abstract_lines = [line for _, line in lines[i + 2 : next_title]]
        if not abstract_lines:
            result.problems.append(
                Problem(path, f"“{title[:60]}” has no abstract (truncated record?)", title_number)
            )
        result.records.append(
            Paper(
                title=latex_to_plain(title),
                authors=authors,
                abstract=latex_to_text(" ".join(abstract_lines)),
                sources=(Source(path, title_number),),
            )
        )
        expected_start = next_title
    if not title_at:
        for number, _ in lines[:1]:
            result.problems.append(Problem(path, "no record with a title and a byline found", number))
    trailing = lines[expected_start:] if title_at else []
    if trailing and title_at:
        result.problems.append(
            Problem(path, "line outside any record (missing title or byline?)", trailing[0][0])
        )
    return result


READER = Reader(name="publication list", sniff=sniff, read=read)
