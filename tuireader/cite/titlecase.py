"""Sentence case (APA, IEEE) and headline case (MLA, Chicago) for titles.

Both conversions are conservative, in the way BibTeX styles and CSL processors are: a word with a
capital beyond its first letter (`LLMs`, `GPT`, `iPhone`) or with digits is left exactly as
written, because it is an acronym, a name or a formula. What cannot be known from the text is
whether a plainly capitalised word is a proper noun. Two things say so: the source's own braces
(BibTeX's `{S}wedish`, passed in as `keep`), and a short list of the proper adjectives that
research titles use most (languages and peoples, and names turned into adjectives like
`Bayesian`). Beyond those, sentence case lowers a capitalised word, so it is applied only to titles
written in headline case to begin with.
"""

from __future__ import annotations

import re
from enum import Enum

ARTICLES = frozenset({"a", "an", "the"})
COORDINATING_CONJUNCTIONS = frozenset({"and", "but", "for", "nor", "or"})
# Prepositions lowercased mid-title. Words that are as often adverbs or verb particles in titles
# (`Scaling Up`, `Zooming Out`: up, down, out, off, over, around, near, past) keep their capital.
PREPOSITIONS = frozenset(
    """about above across after against along amid among as at before behind below beneath beside
    besides between beyond by despite during except for from in inside into of on onto outside per
    since than through throughout till to toward towards under underneath unlike until upon versus
    via vs with within without""".split()
)
# Chicago: a prefix that cannot stand alone leaves the next element of the compound lowercase.
CHICAGO_PREFIXES = frozenset(
    """anti bi co hyper inter intra macro micro mid multi neo non post pre pseudo re semi sub trans
    tri un""".split()
)
# After these a new sentence (or subtitle) begins, and its first word is capitalised.
_SENTENCE_BREAKS = (":", "?", "!", ".", "—", "–")
_WORD = re.compile(r"^(?P<lead>[^\w]*)(?P<core>.*?)(?P<trail>[^\w]*)$")
PROPER_WORDS = frozenset(
    """African Albanian Amharic Arabic Basque Bengali Bulgarian Burmese Catalan Chinese Croatian
    Czech Danish Dutch English Estonian Finnish French Galician German Greek Gujarati Hausa Hebrew
    Hindi Hungarian Icelandic Igbo Indian Indonesian Irish Italian Japanese Javanese Kannada Kazakh
    Korean Kurdish Latin Latvian Lithuanian Malay Malayalam Maltese Marathi Mongolian Nepali
    Norwegian Persian Polish Portuguese Punjabi Romanian Russian Sanskrit Serbian Sinhala Slovak
    Slovene Slovenian Somali Spanish Swahili Swedish Tagalog Tamil Telugu Thai Tibetan Turkish
    Ukrainian Urdu Uyghur Vietnamese Welsh Yoruba Zulu European American Asian Bayesian Boolean
    Gaussian Markov Markovian Euclidean Hilbert Fourier Laplacian Hessian Newtonian Riemannian
    Wikipedia Twitter Reddit""".split()
)


class Headline(Enum):
    MLA = "mla"
    CHICAGO = "chicago"


def _minor_words(style: Headline) -> frozenset[str]:
    words = ARTICLES | COORDINATING_CONJUNCTIONS | PREPOSITIONS
    # MLA 9 lowercases every coordinating conjunction; Chicago capitalises `so` and `yet`.
    return words | {"so", "yet"} if style is Headline.MLA else words


def _is_plain_word(part: str) -> bool:
    """Letters (and apostrophes) only, with no capital after the first letter: safe to recase."""
    letters = part.replace("'", "").replace("’", "")
    return letters.isalpha() and (len(letters) == 1 or letters[1:].islower())


def _is_capitalised(part: str) -> bool:
    return _is_plain_word(part) and part[0].isupper() and len(part) > 1


def _capitalise(part: str) -> str:
    return part[:1].upper() + part[1:] if _is_plain_word(part) and part.islower() else part


def _lower(part: str, *, single_letters: bool = False) -> str:
    """Lowercase a capitalised word. A lone capital (`Part A`, `U-Net`) is a symbol, not an
    article, except where the caller knows it is the article `A`."""
    if _is_capitalised(part) or (single_letters and len(part) == 1 and part.isupper()):
        return part[:1].lower() + part[1:]
    return part


def _split(token: str) -> tuple[str, str, str]:
    match = _WORD.match(token)
    assert match is not None  # the pattern matches any string
    return match["lead"], match["core"], match["trail"]


def _starts_sentence(previous: str | None) -> bool:
    return previous is None or previous.rstrip("”’\"')").endswith(_SENTENCE_BREAKS)


def looks_headline_cased(title: str) -> bool:
    """True when most ordinary words after the first are capitalised (`Learning to Compress …`)."""
    capitalised = lowercase = 0
    previous: str | None = None
    for token in title.split():
        _, core, _ = _split(token)
        if not _starts_sentence(previous):
            for part in core.split("-"):
                if part.lower() in ARTICLES | COORDINATING_CONJUNCTIONS | PREPOSITIONS:
                    continue
                if _is_capitalised(part):
                    capitalised += 1
                elif _is_plain_word(part) and part.islower():
                    lowercase += 1
        previous = token
    return capitalised > lowercase


def _kept(core: str, keep: frozenset[str]) -> bool:
    return core in keep or core in PROPER_WORDS


def sentence_case(title: str, keep: frozenset[str] = frozenset()) -> str:
    """`Sleeper Agents: Training Deceptive LLMs …` → `Sleeper agents: Training deceptive LLMs …`.

    The first word and the first word after a colon (or ?, !, a dash) are capitalised; the rest of
    a headline-cased title is lowercased except acronyms, mixed-case words, proper adjectives and
    the words in `keep`. A title already in sentence case keeps its capitals, which may be proper
    nouns.
    """
    lower_ordinary_words = looks_headline_cased(title)
    words: list[str] = []
    previous: str | None = None
    for token in title.split():
        lead, core, trail = _split(token)
        parts = core.split("-")
        if _starts_sentence(previous):
            parts[0] = _capitalise(parts[0])
            rest = range(1, len(parts))
        else:
            rest = range(len(parts))
        if lower_ordinary_words and not _kept(core, keep):
            for index in rest:
                if not _kept(parts[index], keep):
                    parts[index] = _lower(parts[index])
        words.append(lead + "-".join(parts) + trail)
        previous = token
    return " ".join(words)


def headline_case(title: str, style: Headline, keep: frozenset[str] = frozenset()) -> str:
    """Title case by MLA 9 or Chicago rules: principal words capitalised; articles, prepositions
    and coordinating conjunctions lowercased unless they begin or end the title or a subtitle.
    Words in `keep` (protected by the source's braces) stay exactly as written."""
    minor = _minor_words(style)
    tokens = title.split()
    words: list[str] = []
    previous: str | None = None
    for position, token in enumerate(tokens):
        lead, core, trail = _split(token)
        if core in keep:
            words.append(token)
            previous = token
            continue
        parts = core.split("-")
        ends_title = position == len(tokens) - 1 or trail[:1] in (":", "?", "!", "—")
        is_edge = _starts_sentence(previous) or ends_title
        for index, part in enumerate(parts):
            if part in keep:
                continue
            if index == 0:
                keep_minor_lower = part.lower() in minor and not is_edge
            else:
                keep_minor_lower = part.lower() in minor or (
                    style is Headline.CHICAGO and parts[0].lower() in CHICAGO_PREFIXES
                )
            parts[index] = _lower(part, single_letters=True) if keep_minor_lower else _capitalise(part)
        words.append(lead + "-".join(parts) + trail)
        previous = token
    return " ".join(words)
