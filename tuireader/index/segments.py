"""Writing a Whoosh segment straight through Whoosh's codec, for full builds.

Whoosh's `SegmentWriter` sends every posting through an external-sort pool (a tuple, a size
estimate and a sort per posting) before handing it to the codec; at 100 postings per paper that
was most of the build. Here a part's postings are inverted in memory (an array per term) and
handed to the codec's writers in term order, as the pool would have; each term's postings are
then laid out in W3 blocks whole rather than one `add()` call at a time. The files are Whoosh's
format (a test reads every posting, weight, value and term statistic back through Whoosh and
compares them with an index written by Whoosh's own writer); only the route there is shorter.
"""

from __future__ import annotations

import ctypes
import functools
import pickle
import sys
import zlib
from array import array
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from itertools import repeat
from operator import itemgetter, sub
from typing import Any

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3Codec
from whoosh.fields import Schema
from whoosh.filedb.filestore import Storage
from whoosh.system import pack_int, pack_uint

from tuireader.index.documents import AnalyzedDocument
from tuireader.index.whoosh_internals import add_terms, field_writer_files, term_info_bytes

_BLOCK_LIMIT = 128  # postings per block: W3Codec's default
_COMPRESSION = 1  # as in build.whoosh_codec()
# Bytes of pickle: below, zlib saves a few bytes a block (1% of the postings file) for some 8% of
# the time spent writing the postings, and reading them skips decompressing.
_COMPRESS_FROM = 128
# A block's pickle is at most a few kilobytes: a 2 KiB window and small hash tables compress it
# about as well as zlib's defaults, whose 256 KiB of tables, set up afresh for each block, were
# most of the time compressing one took. Any zlib stream reads back the same.
_WINDOW_BITS = 11
_MEMORY_LEVEL = 2
_COUNTED_SLOTS = 2  # a posting of a counted field in its term's list: document number, count
_POSITIONAL_SLOTS = 3  # of a positional field: document number, count, encoded positions
_BIG_ENDIAN = sys.byteorder == "big"
_COUNTS_AS_UINT = array("I").itemsize == 4  # Whoosh's Frequency value: the count, as "!I"
_PROGRESS_EVERY = 8192  # terms written between two reports of a segment's progress

Written = Callable[[float], None]  # the share of a segment's postings written so far

_NARROW_LIMIT = 65535  # the largest document number or count an "H" array holds
_consume: Callable[[Iterable[Any]], None] = deque(maxlen=0).extend  # runs an iterator out, in C
_append_number = array.append
_first, _second, _third = itemgetter(0), itemgetter(1), itemgetter(2)


class _CountedPostings(dict[str, "array[int]"]):
    """Term → its postings in a counted field, flat: document number, count, … Two bytes a
    number while they fit (a list was eight a slot, and 16,000 papers make some four million
    postings), four from the first that does not."""

    def __init__(self) -> None:
        super().__init__()
        self.typecode = "H"

    def __missing__(self, term: str) -> array[int]:
        postings = self[term] = array(self.typecode)
        return postings

    def widen(self) -> None:
        if self.typecode != "I":
            self.typecode = "I"
            for term, postings in self.items():
                self[term] = array("I", postings)


class _PositionalPostings(dict[str, list[Any]]):
    """Term → its postings in a positional field, flat: document number, count, encoded positions."""

    def __missing__(self, term: str) -> list[Any]:
        postings: list[Any] = []
        self[term] = postings
        return postings


def write_segment(
    storage: Storage,
    schema: Schema,
    codec: W3Codec,
    index_name: str,
    documents: Iterable[AnalyzedDocument],
    written: Written | None = None,
) -> Any:
    """Write `documents` as one new segment in `storage`; returns the segment, which a table of
    contents must then list. The codec must be `build.whoosh_codec()`'s (block size, compression
    and no length statistics are assumed below). `written(share)` follows the inverted postings'
    writing, the longer half of the work once the documents are in."""
    segment = codec.new_segment(storage, index_name)
    per_document = codec.per_document_writer(storage, segment)
    counted_fields = {name: _CountedPostings() for name in schema.names()}
    positional_fields = {name: _PositionalPostings() for name in schema.names()}
    document_count = 0
    posting_count = 0
    for docnum, document in enumerate(documents):
        document_count = docnum + 1
        if docnum > _NARROW_LIMIT:
            for postings in counted_fields.values():
                postings.widen()
        per_document.start_doc(docnum)
        for name, value in document.stored.items():
            per_document.add_field(name, schema[name], value, 0)
        for name, length in document.lengths.items():
            if length:  # Whoosh's writer records nothing else for a field that is not stored
                per_document.add_field(name, schema[name], None, length)
        # Each posting appended by `map` over bound C methods: no Python step per posting.
        for name, counts in document.counted.items():
            field_postings = counted_fields[name]
            if document.lengths.get(name, 0) > _NARROW_LIMIT:  # a count may be: their sum is
                field_postings.widen()
            term_arrays = list(map(field_postings.__getitem__, counts))
            _consume(map(_append_number, term_arrays, repeat(docnum, len(term_arrays))))
            _consume(map(_append_number, term_arrays, counts.values()))
            posting_count += len(term_arrays)
        for name, items in document.positional.items():
            term_lists = list(map(positional_fields[name].__getitem__, map(_first, items)))
            _consume(map(list.append, term_lists, repeat(docnum, len(term_lists))))
            _consume(map(list.append, term_lists, map(_second, items)))
            _consume(map(list.append, term_lists, map(_third, items)))
            posting_count += len(term_lists)
        per_document.finish_doc()
    per_document.close()
    inverted: dict[str, dict[str, Any]] = {}
    for name in schema.names():
        inverted[name] = positional_fields[name] if positional_fields[name] else counted_fields[name]
    del counted_fields, positional_fields

    field_writer = codec.field_writer(storage, segment)
    done = 0
    for name in sorted(inverted):
        terms = inverted.pop(name)
        if not terms:
            continue
        field_object = schema[name]
        field_writer.start_field(name, field_object)
        fixed_size = field_object.format.fixed_value_size()
        write = _write_positional if fixed_size is None else _write_counted
        slots = _POSITIONAL_SLOTS if fixed_size is None else _COUNTED_SLOTS
        # The field writer's own files, written as its add()/finish_term() would write them.
        postings_file, terms_table, field_key = field_writer_files(field_writer)
        # UTF-8 keeps the order of code points: the terms sort as their encodings would.
        ordered = sorted(terms)
        for first in range(0, len(ordered), _PROGRESS_EVERY):
            chunk = ordered[first : first + _PROGRESS_EVERY]
            # Each list is let go once written: the part's memory shrinks as its fields are written.
            lists = [terms.pop(term) for term in chunk]
            entries = [
                (field_key + term.encode(), write(postings_file, fixed_size, postings))
                for term, postings in zip(chunk, lists, strict=True)
            ]
            add_terms(terms_table, entries)
            if written is not None and posting_count:
                done += sum(map(len, lists)) // slots
                written(done / posting_count)
        field_writer.finish_field()
    field_writer.close()
    segment.set_doc_count(document_count)
    _return_freed_memory()
    # Not assembled into one compound file: Whoosh reads a compound file by copying it whole
    # into memory at every open (a second for a 100,000-paper index), separate files it does not.
    return segment


def _write_counted(postings_file: Any, fixed_size: int, postings: array[int]) -> bytes:
    """A counted field's term (Frequency: the count as the weight and as a 4-byte value;
    Existence: no value), its flat (document, count) list written as `_write_blocks` does."""
    if len(postings) == 2 and fixed_size in (0, 4):  # most terms: no slicing or arrays
        start = postings_file.tell()
        value = pack_uint(postings[1]) if fixed_size else b""
        return _write_single_posting(postings_file, start, fixed_size, postings[0], float(postings[1]), value)
    ids, counts = postings[0::2], postings[1::2]
    if fixed_size == 0:
        values: Any = None
    elif fixed_size == 4 and _COUNTS_AS_UINT:
        packed = array("I", counts)
        if not _BIG_ENDIAN:
            packed.byteswap()
        values = packed.tobytes()
    else:  # another fixed size: not one of our schema's, but Whoosh's values say what it is
        values = b"".join(pack_uint(count) for count in counts)
    return _write_blocks(postings_file, fixed_size, ids, counts, values)


def _write_positional(postings_file: Any, fixed_size: int | None, postings: list[Any]) -> bytes:
    return _write_blocks(postings_file, fixed_size, postings[0::3], postings[1::3], postings[2::3])


def _write_blocks(
    postings_file: Any, fixed_size: int | None, ids: Sequence[int], counts: Sequence[int], values: Any
) -> bytes:
    """One term's posting list in W3's block format, whole, and its term info: what
    `W3PostingsWriter` and `W3TermInfo` make one posting at a time. The weight of a posting is
    its count; `values` are the encoded values, one each (a list), or their fixed-size encodings
    joined (bytes), or None (no values). Blocks whose pickle is tiny are left uncompressed (each
    block says), and so are those zlib would not make smaller. Each block's columns are taken
    apart by slicing, and no per-block objects are made."""
    start = postings_file.tell()
    count = len(ids)
    if count == 1:  # half a build's terms occur in one paper: no slicing or arrays
        value = values if values is None or isinstance(values, bytes) else values[0]
        return _write_single_posting(postings_file, start, fixed_size, ids[0], float(counts[0]), value or b"")
    chunks = [WHOOSH3_HEADER_MAGIC]
    total_weight: float = 0
    max_weight: float = 0
    value_size = fixed_size or 0
    packs_values = fixed_size is None or fixed_size < 0
    block_ids: Sequence[int] = ids
    for first in range(0, count, _BLOCK_LIMIT):
        block_ids = ids[first : first + _BLOCK_LIMIT]
        block_counts = counts[first : first + _BLOCK_LIMIT]
        block_max = float(max(0, max(block_counts)))
        total_weight += sum(block_counts)
        max_weight = max(max_weight, block_max)
        size = len(block_ids)
        if values is None or fixed_size == 0:
            packed_values: Any = None
        elif packs_values:
            packed_values = tuple(filter(None, values[first : first + _BLOCK_LIMIT]))
        else:
            packed_values = values[first * value_size : (first + size) * value_size]
        if block_counts.count(1) == size:
            packed_weights: Any = None
        elif block_counts.count(block_counts[0]) == size:
            packed_weights = float(block_counts[0])
        else:
            packed_weights = tuple(map(float, block_counts))
        deltas = (block_ids[0], *map(sub, block_ids[1:], block_ids))
        data = pickle.dumps((deltas, packed_weights, packed_values), 2)
        data, compression = _compressed(data)
        info = pickle.dumps((size, block_ids[-1], block_max, compression, 0, 0), 2)
        block_size = len(info) + len(data)
        chunks.append(pack_int(-block_size if first + _BLOCK_LIMIT >= count else block_size))
        chunks.append(info)
        chunks.append(data)
    written = b"".join(chunks)
    postings_file.write(written)
    return term_info_bytes(float(total_weight), count, max_weight, ids[0], block_ids[-1], start, len(written))


def _write_single_posting(
    postings_file: Any, start: int, fixed_size: int | None, docnum: int, weight: float, value: bytes
) -> bytes:
    """`_write_postings` for a list of one posting: the same bytes, without its per-block work."""
    if weight != 1.0:
        weight = array("f", (weight,))[0]  # as W3 stores it
    block_max = max(0.0, weight)
    if fixed_size is None or fixed_size < 0:
        packed_values: Any = (value,) if value else ()
    else:
        packed_values = None if fixed_size == 0 else value
    data = pickle.dumps(((docnum,), None if weight == 1.0 else weight, packed_values), 2)
    data, compression = _compressed(data)
    info = pickle.dumps((1, docnum, block_max, compression, 0, 0), 2)
    written = b"".join((WHOOSH3_HEADER_MAGIC, pack_int(-(len(info) + len(data))), info, data))
    postings_file.write(written)
    return term_info_bytes(weight, 1, max(0, block_max), docnum, docnum, start, len(written))


def _compressed(data: bytes) -> tuple[bytes, int]:
    """A block's pickle as written, and its compression flag (0: as it is)."""
    if len(data) < _COMPRESS_FROM:
        return data, 0
    compressor = zlib.compressobj(_COMPRESSION, zlib.DEFLATED, _WINDOW_BITS, _MEMORY_LEVEL)
    packed = compressor.compress(data) + compressor.flush()
    if len(packed) >= len(data):
        return data, 0
    return packed, _COMPRESSION


def _return_freed_memory() -> None:
    """Give the pages the segment's postings held back to the system. glibc keeps freed memory
    for reuse, much of it amid its heap where trimming the top does not reach; the next segment
    and the part's result are then written in a process tens of megabytes larger than needed."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        trim: Callable[[int], int] = ctypes.CDLL(None).malloc_trim  # glibc's; not every C library has it
    except (OSError, AttributeError):
        return None
    return trim
