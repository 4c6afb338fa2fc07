"""Author names the way each style writes them, from the paper's own byline.

The spelling is the source's: these helpers only reorder names, reduce given names to initials
and shorten long lists by a style's rule. They never merge or correct names.
"""

from __future__ import annotations

import re
import unicodedata
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


_SUFFIX = re.compile(r"^(?:Jr|Sr|Jnr|Snr)\.?$|^(?:II|III|IV|V|VI)$")


def parts(author: Author) -> tuple[str, str, str]:
    """(family, given, suffix). BibTeX's `{Smith, Jr., John}` reaches us as family `Smith Jr.`,
    and `John Smith Jr.` as family `Jr.` with given `John Smith`: either way the suffix is
    taken out so that each style can put it where its rules say, after the given name."""
    family_name, given = clean(author.family), clean(author.given)
    given = given.removesuffix(",").strip()
    suffix = ""
    words = family_name.split()
    if len(words) > 1 and _SUFFIX.match(words[-1].strip(",")):
        suffix, family_name = words[-1].strip(","), " ".join(words[:-1]).rstrip(",")
    elif len(words) == 1 and _SUFFIX.match(family_name) and given:
        suffix = family_name
        given_words = given.split()
        family_name = given_words[-1].rstrip(",")
        given = " ".join(given_words[:-1])
    else:
        given_match = re.match(r"^(.*?),?\s+((?:Jr|Sr)\.?)$", given)
        if given_match and given_match.group(1):
            given, suffix = given_match.group(1), given_match.group(2)
    if suffix in ("Jr", "Sr", "Jnr", "Snr"):
        suffix += "."
    return family_name, given, suffix


def family(author: Author) -> str:
    return clean(author.literal) or parts(author)[0]


def inverted(author: Author) -> str:
    """`Sharma, Mrinank`; `King, Martin Luther, Jr.` (MLA, Chicago: the suffix after the given name)."""
    if author.literal:
        return clean(author.literal)
    family_name, given, suffix = parts(author)
    written = f"{family_name}, {given}" if given else family_name
    return f"{written}, {suffix}" if suffix else written


def inverted_initials(author: Author) -> str:
    """`Bowman, S. R.`; `Darwin, C., Jr.` (APA 9.8: the suffix after the initials)."""
    if author.literal:
        return clean(author.literal)
    family_name, given, suffix = parts(author)
    letters = initials(given)
    written = f"{family_name}, {letters}" if letters else family_name
    return f"{written}, {suffix}" if suffix else written


def natural(author: Author) -> str:
    """`Mrinank Sharma`; `Martin Luther King Jr.` (no comma before the suffix, as CMOS 18 and
    MLA 9 write it in running order)."""
    if author.literal:
        return clean(author.literal)
    family_name, given, suffix = parts(author)
    written = f"{given} {family_name}" if given else family_name
    return f"{written} {suffix}" if suffix else written


def initials_first(author: Author) -> str:
    """`S. R. Bowman`; `J. Smith, Jr.` (IEEE: the suffix after a comma)."""
    if author.literal:
        return clean(author.literal)
    family_name, given, suffix = parts(author)
    letters = initials(given)
    written = f"{letters} {family_name}" if letters else family_name
    return f"{written}, {suffix}" if suffix else written


def initials_natural(author: Author) -> str:
    """`R. Rustin` — an editor in APA's `In R. Rustin (Ed.),`."""
    if author.literal:
        return clean(author.literal)
    family_name, given, suffix = parts(author)
    letters = initials(given)
    written = f"{letters} {family_name}" if letters else family_name
    return f"{written}, {suffix}" if suffix else written


def sort_key(authors: Sequence[Author]) -> tuple[str, ...]:
    """Family names then given names, letter by letter, case and accents aside (APA 9.44–9.47,
    MLA 5.123, CMOS 13.69: "nothing precedes something", so `Smith` before `Smith, J.`)."""
    key: list[str] = []
    for author in authors:
        if author.literal:
            key += [_collation(author.literal), ""]
        else:
            family_name, given, _ = parts(author)
            key += [_collation(family_name), _collation(given)]
    return tuple(key)


def _collation(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", clean(text))
    return "".join(char for char in decomposed if char.isalnum() or char == " ").casefold()


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
