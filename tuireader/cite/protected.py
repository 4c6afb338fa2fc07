"""The words a BibTeX title protects with braces (`{S}wedish`, `{W}ord{N}ets`, `{BERT}`).

A Paper's title has its braces gone, converted to text; the entry as written still has them, in
the paper's records. A brace group that does not start with a command protects its letters from
a style's change of case, as BibTeX itself does; `{\\'e}` is an accent, not a protection.
"""

from __future__ import annotations

import re
from functools import lru_cache

from tuireader.corpus.model import Paper
from tuireader.corpus.readers.quick_latex import bib_plain

_CORE = re.compile(r"^[^\w]*(.*?)[^\w]*$")


def protected_words(paper: Paper) -> frozenset[str]:
    """Every word of the title that a protecting brace group touches, as the title reads it."""
    for record in paper.records:
        if record.format != "bibtex":
            continue
        for name, value in record.fields:
            if name.lower() == "title":
                return _protected(value)
    return frozenset()


@lru_cache(maxsize=4096)
def _protected(raw: str) -> frozenset[str]:
    value = raw.strip()
    if len(value) >= 2 and value[0] + value[-1] in ("{}", '""'):
        value = value[1:-1]
    words: set[str] = set()
    for token in _top_level_tokens(value):
        if not _has_protecting_group(token):
            continue
        for word in bib_plain(token).split():
            core = _CORE.match(word)
            if core and core.group(1):
                words.add(core.group(1))
                words.update(part for part in core.group(1).split("-") if part)
    return frozenset(words)


def _top_level_tokens(value: str) -> list[str]:
    """`value` split at white space outside braces: `{New York} {T}imes` → two tokens."""
    tokens: list[str] = []
    current: list[str] = []
    depth = 0
    for char in value:
        if char == "{":
            depth += 1
        elif char == "}":
            depth = max(depth - 1, 0)
        if char.isspace() and depth == 0:
            if current:
                tokens.append("".join(current))
            current = []
        else:
            current.append(char)
    if current:
        tokens.append("".join(current))
    return tokens


def _has_protecting_group(token: str) -> bool:
    depth = 0
    for index, char in enumerate(token):
        if char == "{":
            if depth == 0 and token[index + 1 : index + 2] != "\\":
                return True
            depth += 1
        elif char == "}":
            depth = max(depth - 1, 0)
    return False
