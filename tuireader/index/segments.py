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
from typing import Any

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3Codec, W3TermInfo
from whoosh.fields import Schema
from whoosh.filedb.filestore import Storage
from whoosh.system import pack_ushort
from whoosh.util.numlists import delta_encode

from tuireader.index.documents import AnalyzedDocument

_ONE = 1.0  # one float object for every weight of 1, instead of millions of equal ones
_BLOCK_LIMIT = 128  # postings per block: W3Codec's default
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
                postings.append((docnum, _ONE if weight == 1.0 else weight, value))
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
        postings_file, terms_table = field_writer._postfile, field_writer._tindex
        field_key = pack_ushort(field_writer._fieldid)
        for term in sorted(terms):
            terminfo = _write_postings(postings_file, fixed_size, terms[term])
            terms_table.add(field_key + term, terminfo.to_bytes())
        field_writer.finish_field()
    field_writer.close()
    segment.set_doc_count(document_count)
    # Not assembled into one compound file: Whoosh reads a compound file by copying it whole
    # into memory at every open (a second for a 100,000-paper index), separate files it does not.
    return segment


class _Block:
    """What `W3TermInfo.add_block` reads of a block of postings (lengths are not kept)."""

    __slots__ = ("_ids", "_max_weight", "_weights")

    def __init__(self, ids: list[int], weights: array[float], max_weight: float) -> None:
        self._ids = ids
        self._weights = weights
        self._max_weight = max_weight

    def __len__(self) -> int:
        return len(self._ids)

    def min_length(self) -> None:
        return None

    def max_length(self) -> int:
        return 0

    def max_weight(self) -> float:
        return self._max_weight

    def min_id(self) -> int:
        return self._ids[0]

    def max_id(self) -> int:
        return self._ids[-1]


def _write_postings(postings_file: Any, fixed_size: int | None, postings: list[Any]) -> W3TermInfo:
    """One term's posting list in W3's block format, whole: what `W3PostingsWriter` writes one
    posting at a time. Blocks whose pickle is tiny are left uncompressed (each block says)."""
    terminfo = W3TermInfo()
    start = postings_file.tell()
    postings_file.write(WHOOSH3_HEADER_MAGIC)
    for first in range(0, len(postings), _BLOCK_LIMIT):
        block = postings[first : first + _BLOCK_LIMIT]
        ids = [docnum for docnum, _, _ in block]
        weights = array("f", [weight for _, weight, _ in block])  # stored as W3 stores them
        max_weight = max(0.0, *(weight for _, weight, _ in block))
        terminfo.add_block(_Block(ids, weights, max_weight))
        values = [value for _, _, value in block if value]
        if fixed_size is None or fixed_size < 0:
            packed_values: Any = tuple(values)
        else:
            packed_values = None if fixed_size == 0 else b"".join(values)
        if all(weight == 1.0 for weight in weights):
            packed_weights: Any = None
        elif all(weight == weights[0] for weight in weights):
            packed_weights = weights[0]
        else:
            packed_weights = tuple(weights)
        data = pickle.dumps((tuple(delta_encode(ids)), packed_weights, packed_values), 2)
        compression = _COMPRESSION if len(data) >= _COMPRESS_FROM else 0
        if compression:
            data = zlib.compress(data, compression)
        info = pickle.dumps((len(ids), ids[-1], max_weight, compression, 0, 0), 2)
        size = len(info) + len(data)
        postings_file.write_int(-size if first + _BLOCK_LIMIT >= len(postings) else size)
        postings_file.write(info)
        postings_file.write(data)
    terminfo.set_extent(start, postings_file.tell() - start)
    return terminfo
