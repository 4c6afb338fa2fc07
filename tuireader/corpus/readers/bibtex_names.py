"""BibTeX name lists: `Last, First and von Last, Jr, First and First von Last and others`.

Follows BibTeX's own rules: names are split at `and` outside braces; `{Research Triangle
Institute}` is one institutional name; lower-case words before the last name are its `von` part
and stay with the family name.
"""

from __future__ import annotations

import re
from functools import lru_cache

from tuireader.corpus.model import Author
from tuireader.corpus.readers.quick_latex import bib_plain

_AND = re.compile(r"\s+and\s+", re.IGNORECASE)


def _outside_braces(text: str) -> list[bool]:
    """For each character, whether it is at brace depth 0."""
    depth = 0
    flags = []
    for char in text:
        if char == "{":
            depth += 1
            flags.append(False)
        elif char == "}":
            depth = max(depth - 1, 0)
            flags.append(False)
        else:
            flags.append(depth == 0)
    return flags


def _split_at(text: str, pattern: re.Pattern[str]) -> list[str]:
    """`text` split where `pattern` matches outside braces."""
    if "{" not in text:
        return pattern.split(text)
    flags = _outside_braces(text)
    pieces, start = [], 0
    for match in pattern.finditer(text):
        if flags[match.start()] and flags[match.end() - 1]:
            pieces.append(text[start : match.start()])
            start = match.end()
    pieces.append(text[start:])
    return pieces


def _words(text: str) -> list[str]:
    return [word for word in _split_at(text.strip(), re.compile(r"[\s~]+")) if word]


def _is_lower_word(word: str) -> bool:
    """BibTeX's test for a `von` word: its first letter outside braces is lower-case.

    A word opening with an accent command (`{\\'e}tienne`) takes the case of the accented letter.
    """
    special = re.match(r"\{\\[^a-zA-Z]?([a-zA-Z])", word) or re.match(r"\{\\[a-zA-Z]+\s*\{?([a-zA-Z])", word)
    if special:
        return special.group(1).islower()
    for char, outside in zip(word, _outside_braces(word), strict=True):
        if outside and char.isalpha():
            return char.islower()
    return False


def _join(words: list[str]) -> str:
    return bib_plain(" ".join(words))


@lru_cache(maxsize=1 << 16)
def parse_bibtex_name(name: str) -> Author | None:
    name = name.strip().strip(",").strip()
    if not name:
        return None
    if name.startswith("{") and name.endswith("}") and _outside_braces(name).count(True) == 0:
        return Author(family="", literal=bib_plain(name))
    parts = [part.strip() for part in _split_at(name, re.compile(","))]
    if len(parts) >= 3:
        return Author(family=_join([parts[0], parts[1]]), given=bib_plain(", ".join(parts[2:])))
    if len(parts) == 2:
        return Author(family=bib_plain(parts[0]), given=bib_plain(parts[1]))
    words = _words(name)
    if len(words) == 1:
        return Author(family=bib_plain(words[0]))
    von_start = next((i for i, word in enumerate(words[:-1]) if i > 0 and _is_lower_word(word)), None)
    if von_start is None:
        return Author(family=bib_plain(words[-1]), given=_join(words[:-1]))
    return Author(family=_join(words[von_start:]), given=_join(words[:von_start]))


_NAME_LISTS_KEPT = 1 << 14
_name_lists: dict[str, tuple[Author, ...]] = {}


def parse_bibtex_names(value: str) -> tuple[Author, ...]:
    """The authors of a name list; `others` (BibTeX's "et al.") is left out. Lists are
    remembered: a proceedings' editors are repeated by every paper in it."""
    found = _name_lists.get(value)
    if found is None:
        if len(_name_lists) >= _NAME_LISTS_KEPT:
            _name_lists.clear()
        found = _name_lists[value] = _parsed_names(value)
    return found


def _parsed_names(value: str) -> tuple[Author, ...]:
    authors = []
    for piece in _split_at(" ".join(value.split()), _AND):
        if piece.strip().lower() == "others":
            continue
        author = parse_bibtex_name(piece)
        if author is not None and (author.family or author.literal):
            authors.append(author)
    return tuple(authors)
