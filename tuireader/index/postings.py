"""Posting lists read whole and fast, and scored with BM25 in bulk.

Whoosh's matchers step through postings one Python call at a time (about a microsecond each),
which for a word found in half of 100,000 papers is most of a query's budget. The index format
is fixed by the exact Whoosh release we pin (whoosh-reloaded 2.7.5, codec W3): a posting list is
a header followed by blocks of (count, last id, …) info and a zlib'd pickle of delta-encoded ids
and weights. `read_postings` decodes whole blocks at once; anything it does not recognise goes
through the public matcher API instead, and a test checks both agree on every term.
"""

from __future__ import annotations

import io
import math
import operator
import pickle
import zlib
from array import array
from collections import OrderedDict
from collections.abc import Collection, Iterable, Iterator, Sequence
from itertools import accumulate, compress, repeat
from operator import add, mul, truediv
from typing import Any

from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching import Matcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import IndexReader, TermNotFound
from whoosh.system import unpack_int

from tuireader.index.whoosh_internals import posting_list_bytes

K1 = 1.2
B = 0.75
_HEADER_SIZE = 4  # the W3 posting-list magic
_INT_SIZE = 4

Postings = tuple[Sequence[int], Sequence[float]]  # document numbers and term frequencies
# Every list is kept, the empty ones too: a short list decodes fast, but finding a term costs
# a Python-level hash lookup in each segment (a third of a millisecond over eight), and a
# wildcard or fuzzy word asks for a hundred rare words, in two fields, at every keystroke.
_CACHE_FROM = 0
_ENTRY_COST = 32  # postings' worth of memory a kept list costs beyond its postings
_FREQUENCIES_KEPT = 100_000  # document frequencies remembered (some 20 MB at most)


class PostingReader:
    """Posting lists of every segment of an index, with index-wide document numbers, deleted
    documents left out: every search, filter and statistic built on them (document frequencies
    for BM25 among them) then sees the live documents only.

    Lists are kept, most recently used first, up to `cache_postings` postings in all (8 bytes
    each): a search as you type asks for the same common words at every keystroke, and
    decoding a word found in a quarter of the library is most of what such a search costs."""

    def __init__(
        self, reader: IndexReader, cache_postings: int = 4_000_000, deleted: Collection[int] = ()
    ) -> None:
        self._leaves = list(reader.leaf_readers())
        # Per segment, its deleted documents (segment numbering); empty for most segments.
        self._deleted: list[frozenset[int]] = []
        for leaf, offset in self._leaves:
            end = offset + leaf.doc_count_all()
            self._deleted.append(frozenset(d - offset for d in deleted if offset <= d < end))
        self._cache: OrderedDict[tuple[str, str], Postings] = OrderedDict()
        self._scores: dict[tuple[str, str, float], array[float]] = {}
        self._cached = 0
        self._capacity = cache_postings
        self._frequencies: dict[tuple[str, str], int] = {}

    def postings(self, field: str, term: str) -> Postings:
        key = (field, term)
        found = self._cache.get(key)
        if found is not None:
            self._cache.move_to_end(key)
            return found
        ids, weights = self._read(field, term)
        if _CACHE_FROM <= len(ids) <= self._capacity // 8:
            found = (array("I", ids), array("f", weights))
            self._cache[key] = found
            self._cached += len(ids) + _ENTRY_COST
            while self._cached > self._capacity:
                (old_field, old_term), (old_ids, _) = self._cache.popitem(last=False)
                self._cached -= len(old_ids) + _ENTRY_COST
                for scored in [k for k in self._scores if k[:2] == (old_field, old_term)]:
                    del self._scores[scored]
            return found
        return ids, weights

    def scores(self, field: str, term: str, weight: float, norms: Sequence[float]) -> dict[int, float]:
        """`bm25` of the whole posting list; for long lists the scores themselves are kept too
        (another 8 bytes a posting, dropped with the list)."""
        ids, frequencies = self.postings(field, term)
        key = (field, term)
        if key not in self._cache:
            return bm25((ids, frequencies), norms, weight)
        kept = self._scores.get((field, term, weight))
        if kept is None:
            kept = array("d", bm25_values((ids, frequencies), norms, weight))
            self._scores[(field, term, weight)] = kept
        return dict(zip(ids, kept, strict=True))

    def clear_cache(self) -> None:
        self._cache.clear()
        self._scores.clear()
        self._frequencies.clear()
        self._cached = 0

    def _read(self, field: str, term: str) -> tuple[list[int], list[float]]:
        text = term.encode("utf-8")
        ids: list[int] = []
        weights: list[float] = []
        for (leaf, offset), deleted in zip(self._leaves, self._deleted, strict=True):
            leaf_ids, leaf_weights = self._read_leaf(leaf, deleted, field, text)
            ids.extend(leaf_ids if not offset else [docnum + offset for docnum in leaf_ids])
            weights.extend(leaf_weights)
        return ids, weights

    @staticmethod
    def _read_leaf(
        leaf: IndexReader, deleted: frozenset[int], field: str, text: bytes
    ) -> tuple[list[int], list[float]]:
        try:
            matcher = leaf.postings(field, text)
        except (TermNotFound, KeyError):
            return [], []
        ids, weights = read_postings(matcher)
        if deleted:
            live = list(map(operator.not_, map(deleted.__contains__, ids)))
            ids, weights = list(compress(ids, live)), list(compress(weights, live))
        return ids, weights

    def document_frequency(self, field: str, term: str) -> int:
        """How many live documents have the term: a segment's own count where it has no deleted
        documents, its postings counted where it has (and remembered, when any are: related
        papers ask for the same common words again and again)."""
        key = (field, term)
        known = self._frequencies.get(key)
        if known is not None:
            return known
        text = term.encode("utf-8")
        count = 0
        for (leaf, _), deleted in zip(self._leaves, self._deleted, strict=True):
            if deleted:
                count += len(self._read_leaf(leaf, deleted, field, text)[0])
            else:
                count += leaf.doc_frequency(field, text)
        if any(self._deleted):
            if len(self._frequencies) >= _FREQUENCIES_KEPT:
                self._frequencies.clear()
            self._frequencies[key] = count
        return count

    def has_term(self, field: str, term: str) -> bool:
        text = term.encode("utf-8")
        return any((field, text) in leaf for leaf, _ in self._leaves)


def read_postings(matcher: Matcher) -> tuple[list[int], list[float]]:
    if isinstance(matcher, FilterMatcher):
        matcher = matcher.child  # deleted documents are removed by the caller, in bulk
    if isinstance(matcher, W3LeafMatcher):
        try:
            return _read_w3_blocks(matcher)
        except (AttributeError, ValueError, TypeError, pickle.UnpicklingError, zlib.error):
            matcher.reset()
    return _read_one_by_one(matcher)


def _read_one_by_one(matcher: Matcher) -> tuple[list[int], list[float]]:
    ids: list[int] = []
    weights: list[float] = []
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        matcher.next()
    return ids, weights


def _read_w3_blocks(matcher: W3LeafMatcher) -> tuple[list[int], list[float]]:
    buffer = posting_list_bytes(matcher)
    ids: list[int] = []
    weights: list[float] = []
    position = _HEADER_SIZE
    while position < len(buffer):
        size = unpack_int(buffer[position : position + _INT_SIZE])[0]
        position += _INT_SIZE
        end = position + abs(size)
        stream = io.BytesIO(buffer[position:end])
        count, _last_id, _max_weight, compression, _min_length, _max_length = pickle.load(stream)
        data: Any = buffer[position + stream.tell() : end]
        if compression:
            data = zlib.decompress(data)
        deltas, block_weights, _values = pickle.loads(data)
        ids.extend(accumulate(deltas))
        if block_weights is None:
            weights.extend(repeat(1.0, count))
        elif isinstance(block_weights, float):
            weights.extend(repeat(block_weights, count))
        else:
            weights.extend(block_weights)
        position = end
        if size < 0:  # the last block says so with a negative size
            break
    if len(ids) != len(weights):
        raise ValueError("posting block lengths disagree")
    return ids, weights


def length_norms(lengths: Sequence[int], live: Iterable[int] | None = None) -> list[float]:
    """BM25's per-document length factor K1·(1 − B + B·length/average), precomputed; the
    average is over the `live` documents (default: all) that have the field."""
    counted = lengths if live is None else map(lengths.__getitem__, live)
    present = [length for length in counted if length]
    average = (sum(present) / len(present)) if present else 1.0
    constant, slope = K1 * (1 - B), K1 * B / average
    return [constant + slope * length for length in lengths]


def idf(document_count: int, documents_with_term: int) -> float:
    return math.log(1 + (document_count - documents_with_term + 0.5) / (documents_with_term + 0.5))


def bm25_values(postings: Postings, norms: Sequence[float], weight: float) -> Iterator[float]:
    """weight·(K1+1)·tf / (tf + norm) per posting, as a pipeline of C-level maps: several times
    faster than a comprehension over 50,000 postings."""
    ids, frequencies = postings
    numerators = map(mul, frequencies, repeat(weight * (K1 + 1)))
    denominators = map(add, frequencies, map(norms.__getitem__, ids))
    return map(truediv, numerators, denominators)


def bm25(postings: Postings, norms: Sequence[float], weight: float) -> dict[int, float]:
    """Document number → score of one term in one field (`weight` includes idf and boost)."""
    return dict(zip(postings[0], bm25_values(postings, norms, weight), strict=True))
