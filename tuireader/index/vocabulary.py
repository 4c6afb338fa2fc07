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
from bisect import bisect_left
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from tuireader.index.schema import INDEX_FORMAT
from tuireader.index.sidecar import write_atomically

VOCABULARY_FILE = "vocabulary.bin"


@dataclass(frozen=True, slots=True)
class Expansion:
    word: str  # as written, lower case: the term in name fields
    stem: str  # the term in stemmed fields
    documents: int


class Vocabulary:
    def __init__(self, words: list[str], stems: list[str], documents: list[int]) -> None:
        self.words = words
        self.stems = stems
        self.documents = documents

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
        documents = self.documents
        if end - start > max_terms:
            chosen = heapq.nlargest(max_terms, range(start, end), key=documents.__getitem__)
        else:
            chosen = sorted(range(start, end), key=documents.__getitem__, reverse=True)
        found: list[Expansion] = []
        spent = 0
        for index in chosen:
            spent += documents[index]
            if found and budget is not None and spent > budget:
                break
            found.append(Expansion(self.words[index], self.stems[index], documents[index]))
        return found

    def similar(self, word: str, max_distance: int, prefix_length: int = 1) -> list[Expansion]:
        """Words within `max_distance` edits of `word` that share its first `prefix_length`
        letters (as Whoosh's fuzzy terms do: typos rarely hit the first letter)."""
        start, end = self._range(word[:prefix_length])
        found = []
        for index in range(start, end):
            candidate = self.words[index]
            if abs(len(candidate) - len(word)) <= max_distance and (
                edit_distance(word, candidate, max_distance) <= max_distance
            ):
                found.append(Expansion(candidate, self.stems[index], self.documents[index]))
        return found

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
            data = marshal.loads((folder / VOCABULARY_FILE).read_bytes())
            if data["format"] != INDEX_FORMAT:
                return None
            words, stems, documents = data["words"], data["stems"], data["docs"]
        except (OSError, EOFError, ValueError, TypeError, KeyError):
            return None
        if not len(words) == len(stems) == len(documents):
            return None
        return cls(words, stems, documents)


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, or `limit + 1` as soon as it must exceed `limit`."""
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        best = i
        for j, char_b in enumerate(b, 1):
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b))
            current.append(value)
            best = min(best, value)
        if best > limit:
            return limit + 1
        previous = current
    return previous[-1]
