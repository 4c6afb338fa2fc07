"""The words of the library as written, for prefixes (search as you type) and fuzzy words.

Expanding `gen` through Whoosh's own term list is what made prefix queries take seconds: every
matching term was read. Here the surface words (`generalization`, `generative`, …) sit in a sorted
list with their stems and document counts, a prefix is two bisections, and only the most common
expansions are kept, within a budget of postings to read. Matching surface words rather than
stems also keeps results steady while a word is typed: `generaliz` already finds `generalization`,
whose stem (`general`) it does not start with.
"""

from __future__ import annotations

import heapq
import marshal
import re
import threading
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

from tuireader.atomic import write_atomically
from tuireader.index.schema import INDEX_FORMAT

VOCABULARY_FILE = "vocabulary.bin"
_WILDCARD_CHARACTERS = re.compile(r"[*?]")
_MOST_COMPARED = 40_000  # words compared with a fuzzy word, at most


@dataclass(frozen=True, slots=True)
class Expansion:
    word: str  # as written, lower case: the term in name fields
    stem: str  # the term in stemmed fields
    documents: int


class VocabularyDamaged(ValueError):
    """A vocabulary read with `load_later` could not be unpacked when first used."""


class Vocabulary:
    def __init__(self, words: list[str], stems: list[str], documents: list[int]) -> None:
        self._lists: tuple[list[str], list[str], list[int]] | None = (words, stems, documents)
        self._packed: bytes | None = None  # the file as read by `load_later`, until unpacked
        self._unpacking = threading.Lock()
        self._all: tuple[list[int], str] | None = None  # every word on a line, and where each starts
        self._by_middle: dict[str, list[int]] | None = None  # words by their 2nd and 3rd letters
        self._by_stem: dict[str, list[str]] | None = None
        # Every word reversed, sorted, with its index: a leading wildcard (`*ing`) is a range.
        self._by_ending: tuple[list[str], list[int]] | None = None

    @property
    def words(self) -> list[str]:
        return self._unpacked()[0]

    @property
    def stems(self) -> list[str]:
        return self._unpacked()[1]

    @property
    def documents(self) -> list[int]:
        return self._unpacked()[2]

    def _unpacked(self) -> tuple[list[str], list[str], list[int]]:
        lists = self._lists
        if lists is None:
            with self._unpacking:
                if self._lists is None:
                    assert self._packed is not None
                    self._lists = _lists(self._packed)
                    if self._lists is None:
                        raise VocabularyDamaged("the index's vocabulary cannot be read")
                    self._packed = None
                lists = self._lists
        return lists

    def warm_up(self) -> None:
        self._joined()
        self._middles()
        self._forms()
        self._endings()

    def __len__(self) -> int:
        return len(self.words)

    def _range(self, prefix: str) -> tuple[int, int]:
        start = bisect_left(self.words, prefix)
        return start, bisect_left(self.words, prefix + "\U0010ffff", start)

    def documents_with(self, word: str) -> int:
        """How many documents have this word as written (0 if none)."""
        index = bisect_left(self.words, word)
        return self.documents[index] if index < len(self.words) and self.words[index] == word else 0

    def expand(self, prefix: str, *, max_terms: int, budget: int | None = None) -> list[Expansion]:
        """The most common words starting with `prefix`; with a `budget`, only as many as keep
        the documents to read under it (always at least one)."""
        start, end = self._range(prefix)
        return self._commonest(range(start, end), max_terms, budget)

    def _commonest(self, indices: Sequence[int], most: int, budget: int | None) -> list[Expansion]:
        """The `most` commonest of these words; with a `budget`, only as many as keep the
        documents to read under it (always at least one)."""
        documents = self.documents
        if len(indices) > most:
            chosen = heapq.nlargest(most, indices, key=documents.__getitem__)
        else:
            chosen = sorted(indices, key=documents.__getitem__, reverse=True)
        found: list[Expansion] = []
        spent = 0
        for index in chosen:
            spent += documents[index]
            if found and budget is not None and spent > budget:
                break
            found.append(Expansion(self.words[index], self.stems[index], documents[index]))
        return found

    def count_starting(self, prefix: str) -> int:
        start, end = self._range(prefix)
        return end - start

    def matching(self, pattern: str, limit: int, budget: int | None = None) -> tuple[list[Expansion], bool]:
        """The `limit` commonest words matching a wildcard pattern (`*`, `?`), within a `budget`
        of documents to read as `expand`; and whether any matching word was left out. The
        pattern is run over all the words at once, in C: a leading `*` has no prefix to narrow it."""
        literal = re.split(r"[*?]", pattern, maxsplit=1)[0]
        ending = pattern.lstrip("*")
        start, end = self._range(literal)
        if not literal and ending and not _WILDCARD_CHARACTERS.search(ending):
            # `*ing`: two bisections in the reversed words, where the pattern had to be run over
            # every word (most of a leading wildcard's time at 100,000 papers).
            reversed_words, order = self._endings()
            key = ending[::-1]
            low = bisect_left(reversed_words, key)
            found = sorted(order[low : bisect_left(reversed_words, key + "\U0010ffff", low)])
        elif literal and end - start < 5_000:
            indices: Iterable[int] = range(start, end)
            matcher = re.compile(_wildcard_regex(pattern)).fullmatch
            found = [i for i in indices if matcher(self.words[i])]
        else:
            offsets, text = self._joined()
            expression = re.compile(f"^{_wildcard_regex(pattern)}$", re.MULTILINE)
            found = [bisect_right(offsets, m.start()) - 1 for m in expression.finditer(text)]
        chosen = self._commonest(found, limit, budget)
        return chosen, len(chosen) < len(found)

    def _endings(self) -> tuple[list[str], list[int]]:
        if self._by_ending is None:
            pairs = sorted((word[::-1], index) for index, word in enumerate(self.words))
            self._by_ending = ([word for word, _ in pairs], [index for _, index in pairs])
        return self._by_ending

    def _joined(self) -> tuple[list[int], str]:
        if self._all is None:
            offsets = list(accumulate((len(w) + 1 for w in self.words[:-1]), initial=0))
            self._all = (offsets, "\n".join(self.words))
        return self._all

    def similar(self, word: str, max_distance: int) -> list[Expansion]:
        """Words within `max_distance` edits of `word` (a swap of two letters is one edit).
        A typo may be in any letter, the first too, yet only a bounded share of the words is
        compared: those sharing the first letter, and those sharing the second and third
        letters (by an index of them), of about the same length."""
        candidates: set[int] = set()
        for prefix in {word[:1], word[1:3]}:
            if prefix:
                candidates.update(range(*self._range(prefix)))
        by_middle = self._middles()
        for key in {word[1:3], word[0:2], word[2:4]}:
            candidates.update(by_middle.get(key, ()))
        found = []
        words = self.words
        low, high = len(word) - max_distance, len(word) + max_distance
        letters = [(letter, word.count(letter)) for letter in set(word)]
        for index in sorted(candidates)[:_MOST_COMPARED]:
            candidate = words[index]
            if not low <= len(candidate) <= high:
                continue
            # Each edit takes at most one of the word's letters away (a swap none), so a word
            # lacking more than `max_distance` of them is too far: most candidates, told apart
            # by a few `str.count`s in C instead of the edit distance's Python loops.
            missing = 0
            for letter, count in letters:
                have = candidate.count(letter)
                if have < count:
                    missing += count - have
            if missing > max_distance or missing + len(candidate) - len(word) > max_distance:
                continue
            if edit_distance(word, candidate, max_distance) <= max_distance:
                found.append(Expansion(candidate, self.stems[index], self.documents[index]))
        return found

    def _middles(self) -> dict[str, list[int]]:
        if self._by_middle is None:
            by_middle: dict[str, list[int]] = {}
            for index, word in enumerate(self.words):
                if len(word) >= 3:
                    by_middle.setdefault(word[1:3], []).append(index)
            self._by_middle = by_middle
        return self._by_middle

    def forms_of(self, stem: str) -> list[str]:
        """The written words whose stem is `stem` (empty when none is known)."""
        return self._forms().get(stem, [])

    def _forms(self) -> dict[str, list[str]]:
        if self._by_stem is None:
            by_stem: dict[str, list[str]] = {}
            for word, stem in zip(self.words, self.stems, strict=True):
                by_stem.setdefault(stem, []).append(word)
            self._by_stem = by_stem
        return self._by_stem

    def suggestions(self, word: str, limit: int = 3) -> list[str]:
        """Common words one or two edits from a rare or unknown `word`, commonest first."""
        own = self.documents_with(word)
        for distance in (1, 2):
            if len(word) <= 2 * distance + 1:
                break
            close = [e for e in self.similar(word, distance) if e.documents > max(own * 4, 1)]
            if close:
                close.sort(key=lambda e: -e.documents)
                return [e.word for e in close[:limit]]
        return []

    def merged(self, counts: Mapping[str, tuple[int, str]]) -> Vocabulary:
        """This vocabulary with more words (document counts added; never removed, which only
        costs a lookup that finds nothing)."""
        table = {w: (n, s) for w, s, n in zip(self.words, self.stems, self.documents, strict=True)}
        for word, (count, stem) in counts.items():
            previous = table.get(word)
            table[word] = (count + (previous[0] if previous else 0), stem)
        return Vocabulary.from_counts(table)

    @classmethod
    def from_counts(cls, counts: Mapping[str, tuple[int, str]]) -> Vocabulary:
        words = sorted(counts)
        return cls(words, [counts[w][1] for w in words], [counts[w][0] for w in words])

    def save(self, folder: Path) -> None:
        data = {"format": INDEX_FORMAT, "words": self.words, "stems": self.stems, "docs": self.documents}
        write_atomically(folder / VOCABULARY_FILE, marshal.dumps(data))

    @classmethod
    def load(cls, folder: Path) -> Vocabulary | None:
        try:
            lists = _lists((folder / VOCABULARY_FILE).read_bytes())
        except OSError:
            return None
        return None if lists is None else cls(*lists)

    @classmethod
    def load_later(cls, folder: Path) -> Vocabulary | None:
        """The vocabulary read now and unpacked when first used (raising `VocabularyDamaged` if it
        cannot be): opening an index for its first list, which needs no words, spares a sixth of its
        work. For a file already checked (see location.py); None when it cannot be read at all."""
        try:
            packed = (folder / VOCABULARY_FILE).read_bytes()
        except OSError:
            return None
        vocabulary = cls([], [], [])
        vocabulary._lists, vocabulary._packed = None, packed
        return vocabulary


def _lists(packed: bytes) -> tuple[list[str], list[str], list[int]] | None:
    """Words, stems and document counts from a vocabulary file's bytes; None when damaged or of
    another format."""
    try:
        data = marshal.loads(packed)
        if data["format"] != INDEX_FORMAT:
            return None
        words, stems, documents = data["words"], data["stems"], data["docs"]
        if not len(words) == len(stems) == len(documents):
            return None
    except (EOFError, ValueError, TypeError, KeyError):
        return None
    return words, stems, documents


def _wildcard_regex(pattern: str) -> str:
    return "".join({"*": "[^\n]*", "?": "[^\n]"}.get(char, re.escape(char)) for char in pattern)


def edit_distance(a: str, b: str, limit: int) -> int:
    """Edits (insertions, deletions, changes, swaps of neighbours) from `a` to `b`, or
    `limit + 1` as soon as it must exceed `limit`."""
    before: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        best = i
        for j, char_b in enumerate(b, 1):
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b))
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                value = min(value, before[j - 2] + 1)
            current.append(value)
            best = min(best, value)
        if best > limit:
            return limit + 1
        before, previous = previous, current
    return previous[-1]
