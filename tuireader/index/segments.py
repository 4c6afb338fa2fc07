"""Writing a Whoosh segment straight through Whoosh's codec, for full builds.

Whoosh's `SegmentWriter` sends every posting through an external-sort pool (a tuple, a size
estimate and a sort per posting) before handing it to the codec; at 100 postings per paper that
was most of the build. Here a part's postings are inverted in memory (a list per term) and
handed to the codec's writers in term order, as the pool would have; each term's postings are
then laid out in W3 blocks whole rather than one `add()` call at a time. The files are Whoosh's
format (a test reads every posting, weight, value and term statistic back through Whoosh and
compares them with an index written by Whoosh's own writer); only the route there is shorter.
"""

from __future__ import annotations

import pickle
import zlib
from array import array
from collections.abc import Iterable
from operator import sub
from typing import Any

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3Codec
from whoosh.fields import Schema
from whoosh.filedb.filestore import Storage
from whoosh.system import pack_int

from tuireader.index.documents import AnalyzedDocument
from tuireader.index.whoosh_internals import add_terms, field_writer_files, term_info_bytes

_ONE = 1.0  # one float object for every weight of 1, instead of millions of equal ones
_BLOCK_LIMIT = 128  # postings per block: W3Codec's default
_SLOTS = 3  # a posting in a term's list: document number, weight, encoded value
_COMPRESSION = 1  # as in build.whoosh_codec()
_COMPRESS_FROM = 64  # bytes of pickle: below, zlib's own overhead outweighs the saving


def write_segment(
    storage: Storage, schema: Schema, codec: W3Codec, index_name: str, documents: Iterable[AnalyzedDocument]
) -> Any:
    """Write `documents` as one new segment in `storage`; returns the segment, which a table of
    contents must then list. The codec must be `build.whoosh_codec()`'s (block size, compression
    and no length statistics are assumed below)."""
    segment = codec.new_segment(storage, index_name)
    per_document = codec.per_document_writer(storage, segment)
    inverted: dict[str, dict[bytes, list[Any]]] = {name: {} for name in schema.names()}
    document_count = 0
    for docnum, document in enumerate(documents):
        document_count = docnum + 1
        per_document.start_doc(docnum)
        for name, value in document.stored.items():
            per_document.add_field(name, schema[name], value, document.lengths.get(name, 0))
        for name, items in document.postings.items():
            if name not in document.stored:
                per_document.add_field(name, schema[name], None, document.lengths.get(name, 0))
            terms = inverted[name]
            for term, _frequency, weight, value in items:
                postings = terms.get(term)
                if postings is None:
                    postings = terms[term] = []
                # Flat, three slots a posting: a tuple each was three times the memory.
                postings += (docnum, _ONE if weight == 1.0 else weight, value)
        per_document.finish_doc()
    per_document.close()

    field_writer = codec.field_writer(storage, segment)
    for name in sorted(inverted):
        terms = inverted.pop(name)
        if not terms:
            continue
        field_object = schema[name]
        field_writer.start_field(name, field_object)
        fixed_size = field_object.format.fixed_value_size()
        # The field writer's own files, written as its add()/finish_term() would write them.
        postings_file, terms_table, field_key = field_writer_files(field_writer)
        # Each list is let go once written: the part's memory shrinks as its fields are written.
        entries = (
            (field_key + term, _write_postings(postings_file, fixed_size, terms.pop(term)))
            for term in sorted(terms)
        )
        add_terms(terms_table, entries)
        field_writer.finish_field()
    field_writer.close()
    segment.set_doc_count(document_count)
    # Not assembled into one compound file: Whoosh reads a compound file by copying it whole
    # into memory at every open (a second for a 100,000-paper index), separate files it does not.
    return segment


def _write_postings(postings_file: Any, fixed_size: int | None, postings: list[Any]) -> bytes:
    """One term's posting list (flat: `_SLOTS` items a posting) in W3's block format, whole,
    and its term info: what `W3PostingsWriter` and `W3TermInfo` make one posting at a time.
    Blocks whose pickle is tiny are left uncompressed (each block says). The list is written with
    one call, each block's columns are taken apart by slicing, and no per-block objects are made."""
    start = postings_file.tell()
    if len(postings) == _SLOTS:  # half a build's terms occur in one paper: no slicing or arrays
        return _write_single_posting(postings_file, start, fixed_size, *postings)
    chunks = [WHOOSH3_HEADER_MAGIC]
    total_weight: float = 0
    max_weight: float = 0
    count = len(postings) // _SLOTS
    packs_values = fixed_size is None or fixed_size < 0
    for first in range(0, count, _BLOCK_LIMIT):
        block = postings[first * _SLOTS : (first + _BLOCK_LIMIT) * _SLOTS]
        ids, given_weights, values = block[0::_SLOTS], block[1::_SLOTS], block[2::_SLOTS]
        block_max = max(0.0, max(given_weights))
        weights = array("f", given_weights)  # stored as W3 stores them
        total_weight += sum(weights)
        max_weight = max(max_weight, block_max)
        size = len(ids)
        given_values = tuple(filter(None, values))
        if packs_values:
            packed_values: Any = given_values
        else:
            packed_values = None if fixed_size == 0 else b"".join(given_values)
        if weights.count(1.0) == size:
            packed_weights: Any = None
        elif weights.count(weights[0]) == size:
            packed_weights = weights[0]
        else:
            packed_weights = tuple(weights)
        deltas = (ids[0], *map(sub, ids[1:], ids))
        data = pickle.dumps((deltas, packed_weights, packed_values), 2)
        compression = _COMPRESSION if len(data) >= _COMPRESS_FROM else 0
        if compression:
            data = zlib.compress(data, compression)
        info = pickle.dumps((size, ids[-1], block_max, compression, 0, 0), 2)
        block_size = len(info) + len(data)
        chunks.append(pack_int(-block_size if first + _BLOCK_LIMIT >= count else block_size))
        chunks.append(info)
        chunks.append(data)
    written = b"".join(chunks)
    postings_file.write(written)
    return term_info_bytes(total_weight, count, max_weight, postings[0], ids[-1], start, len(written))


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
    compression = _COMPRESSION if len(data) >= _COMPRESS_FROM else 0
    if compression:
        data = zlib.compress(data, compression)
    info = pickle.dumps((1, docnum, block_max, compression, 0, 0), 2)
    written = b"".join((WHOOSH3_HEADER_MAGIC, pack_int(-(len(info) + len(data))), info, data))
    postings_file.write(written)
    return term_info_bytes(weight, 1, max(0, block_max), docnum, docnum, start, len(written))
