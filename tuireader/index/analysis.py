"""How text becomes index terms, in one place for indexing, querying and highlighting.

Whoosh's analyzers define the terms (English Snowball stemming through `LanguageAnalyzer`, so
`jailbreaks` and `jailbreak` meet and `running` stays `run`). Indexing 100,000 papers through
Whoosh's token objects costs most of the build time, so `TermExtractor` produces the very same
terms with plain regular expressions and a stem cache; a test keeps the two in agreement.
"""

from __future__ import annotations

import re
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import pairwise

from whoosh.analysis import (
    Analyzer,
    CharsetFilter,
    LowercaseFilter,
    RegexTokenizer,
    SpaceSeparatedTokenizer,
    StemFilter,
    StopFilter,
)
from whoosh.lang import stemmer_for_language
from whoosh.support.charset import accent_map

# Words and numbers; a dot joins only a number's parts (`3.5`, `0704.0006`), so that a missing
# space (`models.The`, `WordNet.PT`) does not make one word of two. `*` belongs to the pattern
# so that the query parser sees `gen*` whole.
WORD_PATTERN = r"[\w\*]+(\.(?=\d)[\w\*]+)*"
_WORD = re.compile(WORD_PATTERN)
# The same, as whole matches; possessive, as nothing after a word could make it match otherwise
# (a sixth faster).
_FIND_WORDS = re.compile(r"[\w*]++(?:\.(?=\d)[\w*]++)*+").findall
_LANGUAGE = "en"


def find_words(text: str) -> list[str]:
    """The tokens of `text`, as the analyzers below cut them (before any filter)."""
    return _FIND_WORDS(text)


def text_analyzer() -> Analyzer:
    """Titles, abstracts and venues: lower case, accents folded, English stop words out,
    Snowball stems."""
    return (
        RegexTokenizer(WORD_PATTERN)
        | LowercaseFilter()
        | CharsetFilter(accent_map)
        | StopFilter(lang=_LANGUAGE)
        | StemFilter(lang=_LANGUAGE)
    )


def surface_analyzer() -> Analyzer:
    """The words of titles, abstracts and venues as written (lower case, accents folded, stop
    words out, not stemmed): what prefixes, wildcards and fuzzy words are matched against."""
    return (
        RegexTokenizer(WORD_PATTERN)
        | LowercaseFilter()
        | CharsetFilter(accent_map)
        | StopFilter(lang=_LANGUAGE)
    )


def name_analyzer() -> Analyzer:
    """Author names: whole words, lower case, accents folded (`Sören` is found by `soren`)."""
    return RegexTokenizer(WORD_PATTERN) | LowercaseFilter() | CharsetFilter(accent_map)


def identifier_analyzer() -> Analyzer:
    """Paper ids, arXiv ids, DOIs and citation keys: whole, lower case."""
    return SpaceSeparatedTokenizer() | LowercaseFilter()


PAIR_BITS = 12  # 4,096 terms a field: few enough that their lists are long and cheap to write


def pair_analyzer() -> Analyzer:
    """Word pairs, made by `TermExtractor.pair_terms` and written one a word: taken as they are."""
    return SpaceSeparatedTokenizer()


def pair_term(code: str, first: str, second: str) -> str:
    """The term for two adjacent stems of a field: one of 2**PAIR_BITS a field, not one per
    pair. A term per pair made the index three times as large and its build twice as slow (a
    library has millions of distinct pairs, most in one paper); the papers of a term are those
    of the pair and a few others, and a phrase is then checked in them."""
    return f"{code}{_pair_bucket(zlib.crc32(first.encode()), zlib.crc32(second.encode())):x}"


def _pair_bucket(first: int, second: int) -> int:
    # Multiplicative hashing of the two stems' CRCs (the same in every process, unlike `hash`).
    return ((first * 0x9E3779B1 + second) & 0xFFFFFFFF) >> (32 - PAIR_BITS)


def _text_stop_words() -> frozenset[str]:
    return StopFilter(lang=_LANGUAGE).stops


@dataclass(frozen=True, slots=True)
class Token:
    """A term of the index found in a text, with where it sits (for highlighting)."""

    term: str
    start: int
    end: int


class TermExtractor:
    """Fast, exact equivalents of the analyzers above, plus the surface words behind each stem."""

    def __init__(self) -> None:
        self._stop_words = _text_stop_words()
        self._stems = _StemCache(stemmer_for_language(_LANGUAGE))
        self._stem_crcs = _CrcCache(self._stems)
        self._pair_names: dict[str, list[str]] = {}

    def learn(self, words: Iterable[str], stems: Iterable[str]) -> None:
        """Fill the stem cache with known pairs (the index's vocabulary): stemming a word the
        first time costs tens of microseconds, which the first highlights would otherwise pay."""
        self._stems.update(zip(words, stems, strict=True))

    def stem(self, word: str) -> str:
        """The stem of a lower-case word (cached: vocabularies repeat themselves)."""
        return self._stems[word]

    def _lower_words(self, text: str) -> list[str]:
        if text.isascii():  # lower-casing first is only equivalent when no letter changes length
            return _FIND_WORDS(text.lower())
        return [word.lower().translate(accent_map) for word in _FIND_WORDS(text)]

    def is_stop_word(self, word: str) -> bool:
        return word in self._stop_words

    def words(self, text: str) -> list[str]:
        """Lower-case words of `text` that are not stop words, in order (before stemming)."""
        stops = self._stop_words
        return [word for word in self._lower_words(text) if len(word) >= 2 and word not in stops]

    def text_positions(self, text: str) -> tuple[dict[str, list[int]], list[str]]:
        """Stem → positions (numbered as Whoosh's StopFilter renumbers them), and the kept words."""
        stops = self._stop_words
        every = self._lower_words(text)
        kept = [word for word in every if len(word) >= 2 and word not in stops]
        positions: dict[str, list[int]] = {}
        if not kept:
            return positions, kept
        # Whoosh keeps the first kept token's original position and counts on from there.
        first = next(index for index, word in enumerate(every) if len(word) >= 2 and word not in stops)
        for position, stem in enumerate(map(self._stems.__getitem__, kept), first):
            found = positions.get(stem)
            if found is None:
                positions[stem] = [position]
            else:
                found.append(position)
        return positions, kept

    def text_counts(self, text: str) -> tuple[Counter[str], list[str]]:
        """Stem → occurrences, and the kept words: `text_positions` for fields indexed without
        positions (abstracts, keywords), counted in C rather than a Python loop per word."""
        kept = self.words(text)
        return Counter(map(self._stems.__getitem__, kept)), kept

    def stems(self, words: Iterable[str]) -> list[str]:
        """The stems of lower-case words, in order (looked up in C, without a call per word)."""
        return list(map(self._stems.__getitem__, words))

    def pair_terms(self, code: str, kept: list[str]) -> list[str]:
        """Each two adjacent stems of the kept words (`text_positions`'s), as `pair_term`s
        (computed from cached CRCs: a build makes some hundred pairs a paper)."""
        names = self._pair_names.get(code)
        if names is None:
            names = self._pair_names[code] = [f"{code}{bucket:x}" for bucket in range(1 << PAIR_BITS)]
        crcs = list(map(self._stem_crcs.__getitem__, kept))
        # `_pair_bucket`, inline: a call per pair was a third of this.
        shift = 32 - PAIR_BITS
        return [names[((a * 0x9E3779B1 + b) & 0xFFFFFFFF) >> shift] for a, b in pairwise(crcs)]

    def name_positions(self, text: str) -> dict[str, list[int]]:
        positions: dict[str, list[int]] = {}
        for index, match in enumerate(_WORD.finditer(text)):
            positions.setdefault(self.fold(match.group().lower()), []).append(index)
        return positions

    def fold(self, word: str) -> str:
        """Accents folded the way Whoosh's `accent_map` folds them."""
        if word.isascii():
            return word
        return word.translate(accent_map)

    def text_tokens(self, text: str) -> Iterator[Token]:
        """Stemmed terms of `text` with their character offsets, stop words skipped."""
        stops = self._stop_words
        stems = self._stems
        for match in _WORD.finditer(text):
            word = self.fold(match.group().lower())
            if len(word) >= 2 and word not in stops:
                yield Token(stems[word], match.start(), match.end())

    def text_spans(self, text: str, terms: frozenset[str] | set[str]) -> list[tuple[int, int]]:
        """(start, end) of each word of `text` whose stem is one of `terms` (highlighting: no
        per-word objects, only per match)."""
        stops = self._stop_words
        stems = self._stems
        found = []
        for match in _WORD.finditer(text):
            word = self.fold(match.group().lower())
            if len(word) >= 2 and word not in stops and stems[word] in terms:
                found.append(match.span())
        return found

    def name_tokens(self, text: str) -> Iterator[Token]:
        for match in _WORD.finditer(text):
            yield Token(self.fold(match.group().lower()), match.start(), match.end())


class _StemCache(dict[str, str]):
    """word → stem, computed on first use; a dict so that the hot loops look stems up in C."""

    def __init__(self, stem: Callable[[str], str]) -> None:
        super().__init__()
        self._stem = stem

    def __missing__(self, word: str) -> str:
        stem = self._stem(word)
        if len(self) < 1_000_000:  # bounded: a long-lived process sees unbounded vocabularies
            self[word] = stem
        return stem


class _CrcCache(dict[str, int]):
    """word → the CRC of its stem, for `pair_term`, computed on first use."""

    def __init__(self, stems: _StemCache) -> None:
        super().__init__()
        self._stems = stems

    def __missing__(self, word: str) -> int:
        crc = zlib.crc32(self._stems[word].encode())
        if len(self) < 1_000_000:
            self[word] = crc
        return crc
