"""The one place that reaches into Whoosh's private attributes.

Two fast paths need what Whoosh's public API does not hand out: reading a term's whole posting
list as bytes (postings.py decodes its blocks at once), and writing a term's whole posting list
and term-table entry (segments.py lays out blocks without one `add()` call per posting). Both rely
on the layout of whoosh-reloaded 2.7.5's W3 codec (`whoosh.codec.whoosh3`): a `W3LeafMatcher`
keeps its postings file, start offset and length as `_postfile`, `_startoffset` and `_length`;
a `W3FieldWriter` keeps its postings file, term table and field number as `_postfile`, `_tindex`
and `_fieldid`; a `W3TermInfo` is packed by its `_struct`; an `OrderedHashWriter` (the term
table) keeps `dbfile`, `hashfn`, `buckets`, `index` and `lastkey`, and writes each entry as its
two lengths (`!ii`), key and value. A segment reader keeps its term table reader as `_terms`,
which keeps the table, postings file and field numbers as `_tindex`, `_postfile` and `_fieldmap`;
the table (a disk hash) keeps its hash function and 256 (position, slots) pairs as `hashfn` and
`tables`, each slot a (hash, entry position) pair (`!Iq`). An upgrade that moves them fails here,
by name, and the index's format stamp (build.format_stamp) names the Whoosh version an index was
written with.
"""

from __future__ import annotations

import io
import mmap
import struct
from collections.abc import Iterable
from typing import Any

from whoosh.codec.whoosh3 import W3LeafMatcher, W3TermInfo, W3TermsReader
from whoosh.system import pack_int, pack_long, pack_ushort
from whoosh.util.numeric import length_to_byte

# W3TermInfo's fixed part: flags, total weight, document frequency, min and max length (as
# bytes), max weight, first and last id; then, for postings not inlined, their offset and length.
_TERM_INFO: struct.Struct = W3TermInfo._struct
_NO_LENGTH = length_to_byte(0)
_ENTRY_LENGTHS = struct.Struct("!ii")
_ENTRIES_PER_WRITE = 4096
_SLOT = struct.Struct("!Iq")
_FIELD_NUMBER = struct.Struct("!H")
_NOT_INDEXED = 65535  # what Whoosh's key coder gives a field the segment lacks


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


class TermTable:
    """A segment's term table and postings file read in place, through memory maps: a term's
    posting list as stored, with no Whoosh objects made on the way. A leading wildcard looks
    up some 250 words in each of eight segments, most of them absent from the author field;
    Whoosh's own lookup (a generator, a seek and read per hash slot, a term-info object and a
    matcher) cost some 40 microseconds a time, hit or miss, most of such a search."""

    def __init__(self, leaf: Any) -> None:
        terms = leaf._terms
        table = terms._tindex
        self._fields: dict[str, int] = dict(terms._fieldmap)
        self._hash = table.hashfn
        self._tables: list[tuple[int, int]] = list(table.tables)
        self._table_bytes = _mapped(table.dbfile)
        self._posting_bytes = _mapped(terms._postfile)

    def postings(self, field: str, text: bytes) -> bytes | None:
        """The term's posting list as stored (see `posting_list_bytes`); None when the segment
        lacks the term, and empty bytes for a list kept inside the term table (which this
        Whoosh release never writes: its writer fails on them), left to Whoosh to read."""
        value = self._term_info(field, text)
        if value is None:
            return None
        if value[0]:  # flags: the postings are inlined
            return b""
        offset, length = _EXTENT.unpack_from(value, _TERM_INFO.size)
        found = self._posting_bytes[offset : offset + length]
        if len(found) != length:
            raise ValueError(f"posting list of {field}:{text!r} runs past the end of its file")
        return found

    def close(self) -> None:
        self._table_bytes.close()
        self._posting_bytes.close()

    def _term_info(self, field: str, text: bytes) -> bytes | None:
        """The term table's value for the term: Whoosh's `HashReader.ranges_for_key`."""
        number = self._fields.get(field, _NOT_INDEXED)
        key = _FIELD_NUMBER.pack(number) + text
        key_hash = self._hash(key)
        start, slots = self._tables[key_hash & 255]
        if not slots:
            return None
        data = self._table_bytes
        end = start + slots * _SLOT.size
        slot = start + ((key_hash >> 8) % slots) * _SLOT.size
        for _ in range(slots):
            slot_hash, position = _SLOT.unpack_from(data, slot)
            if not position:
                return None
            if slot_hash == key_hash:
                key_length, value_length = _ENTRY_LENGTHS.unpack_from(data, position)
                key_start = position + _ENTRY_LENGTHS.size
                if key_length == len(key) and data[key_start : key_start + key_length] == key:
                    value_start = key_start + key_length
                    return data[value_start : value_start + value_length]
            slot += _SLOT.size
            if slot == end:
                slot = start
        return None


_EXTENT = struct.Struct("!qi")  # a posting list's offset and length, after the fixed term info


def term_table(leaf: Any) -> TermTable | None:
    """The segment's `TermTable`, or None where it cannot be read in place (a term table of
    another codec, or files inside a compound file, whose positions are not the file's own):
    Whoosh then looks terms up itself."""
    terms = getattr(leaf, "_terms", None)
    if not isinstance(terms, W3TermsReader) or terms._tindex.startoffset:
        return None
    try:
        return TermTable(leaf)
    except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
        return None


def _mapped(structfile: Any) -> mmap.mmap:
    """The whole of the file a Whoosh `StructFile` reads, mapped read-only (its own file: a
    part of a compound file has no file number, and fails here)."""
    return mmap.mmap(structfile.file.fileno(), 0, access=mmap.ACCESS_READ)
