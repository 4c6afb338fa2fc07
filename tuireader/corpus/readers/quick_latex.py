"""The LaTeX that bibliographies are made of, converted without a full parse.

Real libraries are mostly `{P}rotected` capitals, accents (`{\\'e}`), escaped signs (`{\\%}`),
dashes and TeX quotes. `latex.py` parses everything with pylatexenc, which reads one character at
a time: about 2 ms for a typical abstract, minutes for a 60,000-entry file. This module converts
those common forms with a few regular expressions and gives the same text `latex.py` would; any
other markup (math, emphasis, unknown commands) is handed to `latex.py` untouched.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from tuireader.corpus.latex import latex_to_text
from tuireader.corpus.model import Span, StyledText

# Combining marks for TeX's accent commands.
_ACCENTS = {
    "`": "\u0300",
    "'": "\u0301",
    "^": "\u0302",
    "~": "\u0303",
    "=": "\u0304",
    "u": "\u0306",
    ".": "\u0307",
    '"': "\u0308",
    "r": "\u030a",
    "H": "\u030b",
    "v": "\u030c",
    "d": "\u0323",
    "c": "\u0327",
    "k": "\u0328",
    "b": "\u0331",
}
_LETTERS = {
    "ss": "ß",
    "o": "ø",
    "O": "Ø",
    "ae": "æ",
    "AE": "Æ",
    "oe": "œ",
    "OE": "Œ",
    "aa": "å",
    "AA": "Å",
    "l": "ł",
    "L": "Ł",
    "i": "ı",
    "j": "ȷ",
}
# Escaped signs stand in as private-use characters until the braces are gone.
# `\-` marks where a word may break: nothing to show, and a soft hyphen would hide it from search.
_ESCAPED_SIGNS = {
    "%": "%",
    "&": "&",
    "#": "#",
    "_": "_",
    "$": "$",
    "{": "{",
    "}": "}",
    " ": " ",
    ",": " ",
    "-": "",
}
_PLACEHOLDERS = {sign: chr(0xE000 + index) for index, sign in enumerate(_ESCAPED_SIGNS)}
_APOSTROPHE, _BACKTICK, _TILDE = "\ue00e", "\ue00f", "\ue00d"
_RESTORE = str.maketrans(
    {
        **{chr(0xE000 + i): text for i, text in enumerate(_ESCAPED_SIGNS.values())},
        _APOSTROPHE: "'",
        _BACKTICK: "`",
        _TILDE: "~",
    }
)
_PRIVATE_USE = re.compile("[\ue000-\ue00f]")

# `\'e`, `\'{e}`, `{\'\i}`; letter-named accents (`\c c`, `\v{s}`) need a brace or a space.
_SYMBOL_ACCENT = re.compile(
    r"""\\([`'^"~=.])\s*(?:\{\s*(\\[ij]|[A-Za-z])\s*\}|(\\[ij](?![A-Za-z])|[A-Za-z]))"""
)
_LETTER_ACCENT = re.compile(r"\\([uvHcdkrb])(?:\s*\{\s*(\\[ij]|[A-Za-z])\s*\}|\s+([A-Za-z]))")
_LETTER = re.compile(r"\\(ss|ae|AE|oe|OE|aa|AA|[oOlLij])(?![A-Za-z])(?:\{\}|[ \t\n]+)?")
# Text-mode symbols; like every control word, each swallows the spaces after it.
_SYMBOL_WORDS = {"textgreater": ">", "textless": "<", "textasciitilde": _TILDE, "ldots": "…", "dots": "…"}
_SYMBOL_WORD = re.compile(r"\\(textgreater|textless|textasciitilde|ldots|dots)(?![A-Za-z])(?:\{\}|\s+)?")
_SIGN = re.compile(r"\\([%&#_${} ,-])")
_LEFTOVER_MARKUP = re.compile(r"[\\$^_]")


def _accented(mark: str, base: str) -> str:
    base = {"\\i": "i", "\\j": "j"}.get(base, base)
    return unicodedata.normalize("NFC", base + _ACCENTS[mark])


def _accent_match(match: re.Match[str]) -> str:
    return _accented(match.group(1), match.group(2) or match.group(3))


def quick_plain(source: str, *, tilde_is_space: bool = True) -> str | None:
    """The readable text of `source`, or None when it holds markup only latex.py understands."""
    if _PRIVATE_USE.search(source):
        return None
    placeholders = False
    if "\\" in source:
        source = _SIGN.sub(lambda m: _PLACEHOLDERS[m.group(1)], source)
        source = _SYMBOL_WORD.sub(lambda m: _SYMBOL_WORDS[m.group(1)], source)
        placeholders = True
        source = _SYMBOL_ACCENT.sub(_accent_match, source)
        source = _LETTER_ACCENT.sub(_accent_match, source)
        source = _LETTER.sub(lambda m: _LETTERS[m.group(1)], source)
    if _LEFTOVER_MARKUP.search(source) or (not tilde_is_space and "~" in source):
        return None
    # A quote kept apart by braces forms no ligature: `{'}{'}` stays two apostrophes.
    if "{'}" in source or "{`}" in source:
        source = source.replace("{'}", _APOSTROPHE).replace("{`}", _BACKTICK)
        placeholders = True
    text = source.replace("{", "").replace("}", "")
    text = (
        text.replace("---", "\u2014").replace("--", "\u2013").replace("``", "\u201c").replace("''", "\u201d")
    )
    text = text.replace("!`", "¡").replace("?`", "¿")
    if tilde_is_space:
        text = text.replace("~", " ")
    return " ".join((text.translate(_RESTORE) if placeholders else text).split())


@lru_cache(maxsize=1 << 16)
def plain(source: str, *, tilde_is_space: bool = False) -> str:
    """Readable text; `tilde_is_space` for BibTeX, where `~` is a tie (elsewhere it means "about")."""
    quick = quick_plain(source, tilde_is_space=tilde_is_space)
    return quick if quick is not None else latex_to_text(source, tilde_is_space=tilde_is_space).text


def styled(source: str, *, tilde_is_space: bool = False) -> StyledText:
    """Readable text with its emphasis, e.g. an abstract.

    Only the sentences holding other markup go through latex.py: pylatexenc's cost grows with
    every character, and an abstract's markup is usually one `$x$` in one sentence.
    """
    quick = quick_plain(source, tilde_is_space=tilde_is_space)
    if quick is not None:
        return StyledText(quick)
    sentences = _sentences(source)
    if len(sentences) == 1:
        return latex_to_text(source, tilde_is_space=tilde_is_space)
    texts: list[str] = []
    spans: list[Span] = []
    offset = 0
    for sentence in sentences:
        quick = quick_plain(sentence, tilde_is_space=tilde_is_space)
        if quick is not None:
            part = StyledText(quick)
        else:
            part = latex_to_text(sentence, tilde_is_space=tilde_is_space)
        if not part.text:
            continue
        if texts:
            offset += 1
        texts.append(part.text)
        spans.extend(Span(s.start + offset, s.end + offset, s.emphasis) for s in part.spans)
        offset += len(part.text)
    return StyledText(" ".join(texts), tuple(spans))


# Without these a value is plain text already, bar its spacing: most venues, names, numbers.
_MAYBE_MARKUP = re.compile(r"[\\{}~$^_`\ue000-\ue00f]|--|''")
_BIB_PLAIN_KEPT = 1 << 16
_bib_plain_memo: dict[str, str] = {}


def bib_plain(source: str) -> str:
    """`plain` for BibTeX values, remembered by value: a large library repeats its venues,
    publishers and months tens of thousands of times."""
    found = _bib_plain_memo.get(source)
    if found is None:
        if _MAYBE_MARKUP.search(source) is None:
            found = " ".join(source.split())
        else:
            found = plain(source, tilde_is_space=True)
        if len(_bib_plain_memo) >= _BIB_PLAIN_KEPT:
            _bib_plain_memo.clear()
        _bib_plain_memo[source] = found
    return found


def bib_styled(source: str) -> StyledText:
    return styled(source, tilde_is_space=True)


# Markup whose reach is not bounded by braces: a sentence cannot be read without its neighbours.
_UNBOUNDED = re.compile(
    r"\\(?:em|it|bf|sl|tt|sc|rm|sf|itshape|bfseries|ttfamily|slshape|scshape|upshape|mdseries|"
    r"rmfamily|sffamily|normalfont|begin|end)(?![A-Za-z])|\\[(\[]|\$\$"
)
_SENTENCE_END = re.compile(r"[.?!]\s+")


def _unescaped(text: str, char: str) -> int:
    return text.count(char) - text.count("\\" + char)


def _sentences(source: str) -> list[str]:
    """`source` cut after each sentence that ends outside braces and math; whole if unsure."""
    if _UNBOUNDED.search(source):
        return [source]
    pieces: list[str] = []
    start = 0
    depth = dollars = 0
    scanned = 0
    for match in _SENTENCE_END.finditer(source):
        chunk = source[scanned : match.end()]
        depth += _unescaped(chunk, "{") - _unescaped(chunk, "}")
        dollars += _unescaped(chunk, "$")
        scanned = match.end()
        if depth == 0 and dollars % 2 == 0:
            pieces.append(source[start : match.end()])
            start = match.end()
    pieces.append(source[start:])
    return [piece for piece in pieces if piece.strip()]
