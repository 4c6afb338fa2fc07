"""What BibTeX and BibLaTeX entries share: escaping, protected capitals, names, and the layout.

Encoding choice: non-ASCII letters are kept as UTF-8 (`Sören`, not `S{\\"o}ren`) — biber and
BibTeX with `inputenc`/`fontenc` read them, and a .bib stays readable — while the characters that
are commands in LaTeX (`& % $ # _ { } ~ ^ \\`) are always escaped. Every text field goes through
the same function, so a title, a name and a journal are escaped the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from tuireader.cite.facts import clean
from tuireader.corpus.model import Author

_LATEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_SPECIAL = re.compile("|".join(re.escape(char) for char in _LATEX_SPECIALS))
_WORD = re.compile(r"^(?P<lead>[^\w]*)(?P<core>.*?)(?P<trail>[^\w]*)$")
# BibTeX splits an author list at ` and ` in any case; a name containing it must be braced.
_AND = re.compile(r"\sand\s", re.IGNORECASE)


def escape(text: str) -> str:
    """Text with LaTeX's special characters escaped; everything else kept as written."""
    return _SPECIAL.sub(lambda match: _LATEX_SPECIALS[match.group(0)], clean(text))


def _needs_protection(word: str) -> bool:
    """A capital after a word's first letter marks an acronym or a name a style must not lowercase
    (`LLMs`, `GPT-4`, `U-SOPHISTRY`, `iPhone`); so does a lone capital (`Model X`, `Part B`) —
    except `A`, which in a headline-cased title is the article, and `I`, which no style lowers."""
    for part in word.split("-"):
        letters = [char for char in part if char.isalpha()]
        if any(char.isupper() for char in letters[1:]):
            return True
        if part.isupper() and len(part) == 1 and part not in "AI":
            return True
    return False


def protected_title(title: str) -> str:
    """The title escaped, with braces around the words a sentence-casing .bst must leave alone.

    Plainly capitalised words are not braced: styles that sentence-case titles are meant to lower
    them, and bracing every word would defeat those styles. The first word is never at risk.
    """
    words = []
    for position, token in enumerate(clean(title).split()):
        match = _WORD.match(token)
        assert match is not None  # the pattern matches any string
        lead, core, trail = match["lead"], match["core"], match["trail"]
        if position > 0 and core and _needs_protection(core):
            words.append(f"{escape(lead)}{{{escape(core)}}}{escape(trail)}")
        else:
            words.append(escape(token))
    return " ".join(words)


def _name(author: Author) -> str:
    if author.literal:
        # Braces make an institution one name, even with commas or `and` inside.
        return "{" + escape(author.literal) + "}"
    family, given = escape(author.family), escape(author.given)
    if _AND.search(f" {family} ") or "," in family:
        family = "{" + family + "}"
    if _AND.search(f" {given} ") or "," in given:
        given = "{" + given + "}"
    if not given:
        # `Le Cun` alone would be read as given name `Le`; braces keep it one family name.
        return "{" + family + "}" if " " in family and not family.startswith("{") else family
    return f"{family}, {given}"


def names(authors: Sequence[Author]) -> str:
    """`Sharma, Mrinank and Tong, Meg` — `Family, Given` is the form BibTeX never misreads."""
    return " and ".join(_name(author) for author in authors)


def verbatim(text: str) -> str:
    """A URL, DOI or identifier: not escaped (the `url` package reads it raw), but its braces
    must balance or they would end the field early, so they are percent-encoded."""
    return clean(text).replace("{", "%7B").replace("}", "%7D").replace(" ", "%20")


def entry(entry_type: str, key: str, fields: Iterable[tuple[str, str]]) -> str:
    """`@type{key,` then one aligned `name = {value}` line per non-empty field, then `}`."""
    present = [(name, value) for name, value in fields if value]
    width = max((len(name) for name, _ in present), default=0)
    lines = [f"  {name:<{width}} = {{{value}}}" for name, value in present]
    return f"@{entry_type}{{{key},\n" + ",\n".join(lines) + ("\n}" if lines else "}")


def written_entry(entry_type: str, key: str, fields: Iterable[tuple[str, str]]) -> str:
    """An entry whose values are BibTeX as a file wrote them (`{…}`, `"…"`, `jan`, `a # b`),
    each kept exactly: its delimiters, brace protection and `and others` are what the file said —
    unless its braces do not balance (see `parseable`)."""
    lines = [f"  {name} = {parseable(value.strip())}" for name, value in fields]
    return f"@{entry_type}{{{key},\n" + ",\n".join(lines) + ("\n}" if lines else "}")


def string_definition(name: str, value: str) -> str:
    return f"@string{{{name} = {parseable(value.strip())}}}"


def _balances(value: str) -> bool:
    """Whether BibTeX, which counts every brace (escaped ones too), reads `value` to its end."""
    depth = 0
    for position, char in enumerate(value):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth < 0 or (depth == 0 and value[0] == "{" and position < len(value) - 1):
                return False
    return depth == 0


def parseable(value: str) -> str:
    """`value` as written when BibTeX can read it; otherwise with its braces made harmless.

    One entry's lone `\\{` made BibTeX-based tools (pybtex, biber) read the rest of a whole
    export as that value. Escaped braces become `\\textbraceleft{}`/`\\textbraceright{}`, the
    same characters in LaTeX; any brace still unmatched is dropped."""
    if _balances(value):
        return value
    mended = value.replace("\\{", "\\textbraceleft{}").replace("\\}", "\\textbraceright{}")
    if _balances(mended):
        return mended
    outer = mended[0] + mended[-1] if len(mended) >= 2 and mended[0] + mended[-1] in ("{}", '""') else ""
    inner = mended[1:-1] if outer else mended
    kept: list[str] = []
    depth = 0
    for char in inner:
        if char == "}" and depth == 0:
            continue  # closes nothing
        depth += {"{": 1, "}": -1}.get(char, 0)
        kept.append(char)
    text = "".join(kept)
    while depth > 0:  # drop the opening braces nothing closes, last first
        cut = text.rindex("{")
        text, depth = text[:cut] + text[cut + 1 :], depth - 1
    return f"{outer[0]}{text}{outer[1]}" if outer else text
