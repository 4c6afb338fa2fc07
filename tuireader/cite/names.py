"""Author names the way each style writes them, from the paper's own byline.

The spelling is the source's: these helpers only reorder names, reduce given names to initials
and shorten long lists by a style's rule. They never merge or correct names.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from tuireader.cite.facts import clean
from tuireader.corpus.model import Author

# A given name's words: `Samuel R.` → `Samuel`, `R`; `E.J.` → `E`, `J`; `Jean-Paul` stays whole.
_GIVEN_WORDS = re.compile(r"[^\s.]+")


def _initial(word: str) -> str:
    letter = next((char for char in word if char.isalpha()), "")
    return f"{letter}." if letter else ""


def initials(given: str) -> str:
    """`Samuel R.` → `S. R.`; `Xiang Lisa` → `X. L.`; `Jean-Paul` → `J.-P.` (APA and IEEE)."""
    written = []
    for word in _GIVEN_WORDS.findall(clean(given)):
        parts = [_initial(part) for part in word.split("-")]
        written.append("-".join(part for part in parts if part))
    return " ".join(part for part in written if part)


def family(author: Author) -> str:
    return clean(author.literal or author.family)


def inverted(author: Author) -> str:
    """`Sharma, Mrinank` — family name first, given name as written."""
    if author.literal:
        return clean(author.literal)
    given = clean(author.given)
    return f"{family(author)}, {given}" if given else family(author)


def inverted_initials(author: Author) -> str:
    """`Bowman, S. R.` (APA)."""
    if author.literal:
        return clean(author.literal)
    given = initials(author.given)
    return f"{family(author)}, {given}" if given else family(author)


def natural(author: Author) -> str:
    """`Mrinank Sharma` — given name first, as written."""
    if author.literal:
        return clean(author.literal)
    given = clean(author.given)
    return f"{given} {family(author)}" if given else family(author)


def initials_first(author: Author) -> str:
    """`S. R. Bowman` (IEEE)."""
    if author.literal:
        return clean(author.literal)
    given = initials(author.given)
    return f"{given} {family(author)}" if given else family(author)


def serial(names: Sequence[str], conjunction: str = "and") -> str:
    """`A`, `A and B`, `A, B, and C` — the serial comma only from three names on."""
    if len(names) <= 1:
        return "".join(names)
    if len(names) == 2:
        return f"{names[0]} {conjunction} {names[1]}"
    return ", ".join(names[:-1]) + f", {conjunction} " + names[-1]


def short_byline(authors: Sequence[Author], *, most: int = 3) -> str:
    """Natural names, all of them up to `most`, else the first and `et al.` (plain, Markdown)."""
    if len(authors) > most:
        return f"{natural(authors[0])} et al."
    return serial([natural(author) for author in authors])
