"""Posting lists read whole and fast, and scored with BM25 in bulk.

Whoosh's matchers step through postings one Python call at a time (about a microsecond each),
which for a word found in half of 100,000 papers is most of a query's budget. The index format
is fixed by the exact Whoosh release we pin (whoosh-reloaded 2.7.5, codec W3): a posting list is
a header followed by blocks of (count, last id, …) info and a zlib'd pickle of delta-encoded ids
and weights. `read_postings` decodes whole blocks at once; anything it does not recognise goes
through the public matcher API instead, and a test checks both agree on every term. A term's
list is found through its segment's term table read in place (`TermTable`), not Whoosh's
lookup, and read for its documents alone where only they are wanted (`document_ids`).
"""

from __future__ import annotations

import io
import math
import operator
import pickle
import re
import zlib
from array import array
from collections import OrderedDict
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from itertools import accumulate, compress, islice, repeat
from operator import add, mul, truediv
from typing import Any

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3LeafMatcher
from whoosh.matching import Matcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import IndexReader, TermNotFound
from whoosh.system import unpack_int

from tuireader.index.whoosh_internals import TermTable, posting_list_bytes, term_table

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
        # Each segment's terms read in place where its files allow (Whoosh's lookups otherwise).
        self._tables = [term_table(leaf) for leaf, _ in self._leaves]
        # Per segment, its deleted documents (segment numbering); empty for most segments.
        self._deleted: list[frozenset[int]] = []
        for leaf, offset in self._leaves:
            end = offset + leaf.doc_count_all()
            self._deleted.append(frozenset(d - offset for d in deleted if offset <= d < end))
        self._cache: OrderedDict[tuple[str, str], Postings] = OrderedDict()
        # Lists read for their documents only (`document_ids`), kept within the same capacity.
        self._id_lists: OrderedDict[tuple[str, str], array[int]] = OrderedDict()
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
            self._id_lists.pop(key, None)
            self._cache[key] = found
            self._cached += len(ids) + _ENTRY_COST
            self._make_room()
            return found
        return ids, weights

    def document_ids(self, field: str, term: str) -> Sequence[int]:
        """The documents having the term (those of `postings`), read without their weights
        where the list is not already kept: prefixes, wildcards and fuzzy words want only these."""
        key = (field, term)
        kept = self._cache.get(key)
        if kept is not None:
            self._cache.move_to_end(key)
            return kept[0]
        found = self._id_lists.get(key)
        if found is not None:
            self._id_lists.move_to_end(key)
            return found
        ids, _ = self._read(field, term, weights_too=False)
        if not _CACHE_FROM <= len(ids) <= self._capacity // 8:
            return ids
        found = array("I", ids)
        self._id_lists[key] = found
        self._cached += len(ids) + _ENTRY_COST
        self._make_room()
        return found

    def _make_room(self) -> None:
        """Forget the least recently used lists (those without weights first) until the kept
        ones fit the capacity."""
        while self._cached > self._capacity and self._id_lists:
            _, ids_only = self._id_lists.popitem(last=False)
            self._cached -= len(ids_only) + _ENTRY_COST
        while self._cached > self._capacity:
            (old_field, old_term), (old_ids, _) = self._cache.popitem(last=False)
            self._cached -= len(old_ids) + _ENTRY_COST
            for scored in [k for k in self._scores if k[:2] == (old_field, old_term)]:
                del self._scores[scored]

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

    def close(self) -> None:
        """Let go of the segments' files read in place (Whoosh's own reader is closed apart)."""
        tables, self._tables = self._tables, [None] * len(self._tables)
        for table in tables:
            if table is not None:
                table.close()

    def clear_cache(self) -> None:
        self._cache.clear()
        self._id_lists.clear()
        self._scores.clear()
        self._frequencies.clear()
        self._cached = 0

    def _read(self, field: str, term: str, *, weights_too: bool = True) -> tuple[list[int], list[float]]:
        """Ids and weights (without `weights_too`: an empty list) of the term's postings."""
        text = term.encode("utf-8")
        ids: list[int] = []
        weights: list[float] = []
        for (leaf, offset), deleted, table in zip(self._leaves, self._deleted, self._tables, strict=True):
            # Index-wide numbers as the blocks are decoded, where no deleted ones are to go.
            early = offset if table is not None and not deleted else 0
            leaf_ids, leaf_weights = self._read_leaf(leaf, deleted, field, text, table, early, weights_too)
            if offset != early and leaf_ids:
                leaf_ids = [docnum + offset for docnum in leaf_ids]
            ids.extend(leaf_ids)
            weights.extend(leaf_weights)
        return ids, weights

    @staticmethod
    def _read_leaf(
        leaf: IndexReader,
        deleted: frozenset[int],
        field: str,
        text: bytes,
        table: TermTable | None = None,
        offset: int = 0,
        weights_too: bool = True,
    ) -> tuple[list[int], list[float]]:
        """The segment's postings of the term, its deleted documents left out, each document
        number plus `offset` (which only a segment without deleted documents may ask for);
        without `weights_too`, the weights may come back empty."""
        stored = table.postings(field, text) if table is not None else b""
        if stored is None:
            return [], []
        try:
            ids, weights = _decoded_w3(stored, offset, weights_too=weights_too)
        except _UNEXPECTED_BLOCKS:  # no table, or a list the bulk decoder does not know
            try:
                matcher = leaf.postings(field, text)
            except (TermNotFound, KeyError):
                return [], []
            ids, weights = read_postings(matcher)
            if offset:
                ids = [docnum + offset for docnum in ids]
        if deleted:
            live = list(map(operator.not_, map(deleted.__contains__, ids)))
            ids = list(compress(ids, live))
            weights = list(compress(weights, live)) if weights else weights
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


# The start of a block's pickle (protocol 2) of (deltas, weights, values) up to the end of the
# deltas: a tuple of small ints, each op a fixed size (MARK ints TUPLE, or 1-3 ints and TUPLEn).
# Unpickled alone, the ids come without a float made per posting for its weight, nor bytes for
# its positions, nor a list of weights kept: a leading wildcard reads 300,000 postings and
# wants only their documents. Anything else is unpickled whole.
_DELTAS = re.compile(rb"\x80\x02(?:\((?:K.|M..|J....)*t|(?:K.|M..|J....){1,3}[\x85\x86\x87])", re.DOTALL)
_UNEXPECTED_BLOCKS = (AttributeError, ValueError, TypeError, pickle.UnpicklingError, zlib.error)


def read_postings(matcher: Matcher) -> tuple[list[int], list[float]]:
    if isinstance(matcher, FilterMatcher):
        matcher = matcher.child  # deleted documents are removed by the caller, in bulk
    if isinstance(matcher, W3LeafMatcher):
        try:
            return _read_w3_blocks(matcher)
        except _UNEXPECTED_BLOCKS:
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
    return _decoded_w3(posting_list_bytes(matcher))


def _decoded_w3(buffer: bytes, offset: int = 0, *, weights_too: bool = True) -> tuple[list[int], list[float]]:
    """Ids (plus `offset`) and weights of a W3 posting list as stored (header, then blocks).
    Each block's first delta is its first id: the offset is added there, in C, where a pass
    over the ids in Python cost as much as decoding them. Without `weights_too`, only the ids
    are unpickled (see `_DELTAS`) and the weights come back empty."""
    if buffer[:_HEADER_SIZE] != WHOOSH3_HEADER_MAGIC:
        raise ValueError("not a W3 posting list")
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
        if weights_too:
            deltas, block_weights, _values = pickle.loads(data)
            if block_weights is None:
                weights.extend(repeat(1.0, count))
            elif isinstance(block_weights, float):
                weights.extend(repeat(block_weights, count))
            else:
                weights.extend(block_weights)
        else:
            head = _DELTAS.match(data)
            deltas = pickle.loads(data[: head.end()] + b".") if head else pickle.loads(data)[0]
            if len(deltas) != count:
                raise ValueError("posting block lengths disagree")
        ids.extend(islice(accumulate(deltas, initial=offset), 1, None) if offset else accumulate(deltas))
        position = end
        if size < 0:  # the last block says so with a negative size
            break
    if weights_too and len(ids) != len(weights):
        raise ValueError("posting block lengths disagree")
    return ids, weights


def length_norms(lengths: Sequence[int], live: Iterable[int] | None = None) -> list[float]:
    """BM25's per-document length factor K1·(1 − B + B·length/average), precomputed; the
    average is over the `live` documents (default: all) that have the field."""
    if live is None:
        total, present = sum(lengths), len(lengths) - _zeros(lengths)
    else:
        counted = [length for length in map(lengths.__getitem__, live) if length]
        total, present = sum(counted), len(counted)
    average = total / present if present else 1.0
    constant, slope = K1 * (1 - B), K1 * B / average
    # Computed once per distinct length (the same floats a comprehension gets), then looked up
    # in C: a third of the time, and one float object per length rather than per document.
    table = [constant + slope * length for length in range(max(lengths, default=0) + 1)]
    return list(map(table.__getitem__, lengths))


def _zeros(lengths: Sequence[int]) -> int:
    return lengths.count(0) if isinstance(lengths, array | list) else sum(1 for n in lengths if not n)


class LengthNorms(Mapping[str, list[float]]):
    """`length_norms` of each field, each computed when a search first scores that field (or the
    engine's warm-up gets there first): not at open, where all four took a quarter of its time.
    Two threads asking at once both compute the same list, and either is kept."""

    def __init__(self, lengths: Mapping[str, Sequence[int]], live: Iterable[int] | None = None) -> None:
        self._lengths = lengths
        self._live = live
        self._made: dict[str, list[float]] = {}

    def __getitem__(self, name: str) -> list[float]:
        made = self._made.get(name)
        if made is None:
            made = self._made[name] = length_norms(self._lengths[name], self._live)
        return made

    def __iter__(self) -> Iterator[str]:
        return iter(self._lengths)

    def __len__(self) -> int:
        return len(self._lengths)

    def warm_up(self) -> None:
        for name in self._lengths:
            self[name]


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
