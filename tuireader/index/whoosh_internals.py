"""The one place that reaches into Whoosh's private attributes.

Two fast paths need what Whoosh's public API does not hand out: reading a term's whole posting
list as bytes (postings.py decodes its blocks at once), and writing a term's whole posting list
and term-table entry (segments.py lays out blocks without one `add()` call per posting). Both rely
on the layout of whoosh-reloaded 2.7.5's W3 codec (`whoosh.codec.whoosh3`): a `W3LeafMatcher`
keeps its postings file, start offset and length as `_postfile`, `_startoffset` and `_length`;
a `W3FieldWriter` keeps its postings file, term table and field number as `_postfile`, `_tindex`
and `_fieldid`; a `W3TermInfo` is packed by its `_struct`; an `OrderedHashWriter` (the term
table) keeps `dbfile`, `hashfn`, `buckets`, `index` and `lastkey`, and writes each entry as its
two lengths (`!ii`), key and value. An upgrade that moves them fails here,
by name, and the index's format stamp (build.format_stamp) names the Whoosh version an index was
written with.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable
from typing import Any

from whoosh.codec.whoosh3 import W3LeafMatcher, W3TermInfo
from whoosh.system import pack_int, pack_long, pack_ushort
from whoosh.util.numeric import length_to_byte

# W3TermInfo's fixed part: flags, total weight, document frequency, min and max length (as
# bytes), max weight, first and last id; then, for postings not inlined, their offset and length.
_TERM_INFO: struct.Struct = W3TermInfo._struct
_NO_LENGTH = length_to_byte(0)
_ENTRY_LENGTHS = struct.Struct("!ii")
_ENTRIES_PER_WRITE = 4096


def posting_list_bytes(matcher: W3LeafMatcher) -> bytes:
    """The matcher's whole posting list as stored: the W3 header, then its blocks."""
    length = matcher._length
    if isinstance(length, tuple):  # the term info keeps the length as struct.unpack gave it
        length = length[0]
    return bytes(matcher._postfile.get(matcher._startoffset, length))


def field_writer_files(field_writer: Any) -> tuple[Any, Any, bytes]:
    """The postings file and term table a W3 field writer writes the current field to, and the
    prefix its term-table keys carry (the field's number), as its add()/finish_term() use them."""
    return field_writer._postfile, field_writer._tindex, pack_ushort(field_writer._fieldid)


def term_info_bytes(
    weight: float, document_frequency: int, max_weight: float, first: int, last: int, offset: int, length: int
) -> bytes:
    """What `W3TermInfo.to_bytes` gives for a posting list written at `offset` (not inlined),
    without document lengths (build.whoosh_codec keeps no length statistics)."""
    packed = _TERM_INFO.pack(0, weight, document_frequency, 0, _NO_LENGTH, max_weight, first, last)
    return packed + pack_long(offset) + pack_int(length)


def add_terms(terms_table: Any, entries: Iterable[tuple[bytes, bytes]]) -> None:
    """`terms_table.add(key, value)` for each entry, keys in increasing order, as Whoosh's
    `OrderedHashWriter` does it, but written some thousand entries at a time: its one call, tell
    and three writes per term were a tenth of a full build."""
    dbfile = terms_table.dbfile
    hashfn = terms_table.hashfn
    buckets = terms_table.buckets
    positions = terms_table.index
    last = terms_table.lastkey
    position = dbfile.tell()
    chunks: list[bytes] = []
    for key, value in entries:
        if key <= last:
            raise ValueError(f"Keys must increase: {last!r}..{key!r}")
        positions.append(position)
        chunks += (_ENTRY_LENGTHS.pack(len(key), len(value)), key, value)
        hashed = hashfn(key)
        buckets[hashed & 255].append((hashed, position))
        position += _ENTRY_LENGTHS.size + len(key) + len(value)
        last = key
        if len(chunks) >= _ENTRIES_PER_WRITE * 3:
            dbfile.write(b"".join(chunks))
            chunks.clear()
    dbfile.write(b"".join(chunks))
    terms_table.lastkey = last
