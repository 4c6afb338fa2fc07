"""Sets of documents as Python integers, bit d standing for document d.

Counting how many of a large result's papers fall in a year is then one AND and a popcount
(`int.bit_count`, C speed over 12.5 kB at 100,000 papers) instead of 30,000 dictionary updates.
Both kinds of set are built through a bytearray of ASCII digits read in base 2, which CPython
converts in linear time.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Collection, Iterable
from itertools import repeat

_ONE = ord("1")
_SPARSE = 1_000  # a set with fewer than one document in this many is built bit by bit


def bitset(docnums: Collection[int], size: int) -> int:
    """The set of `docnums` (each below `size`)."""
    if len(docnums) * _SPARSE < size:  # a few: cheaper as a sum of powers of two
        return sum(1 << docnum for docnum in docnums)
    digits = bytearray(b"0") * size
    deque(map(digits.__setitem__, docnums, repeat(_ONE)), maxlen=0)  # a C loop, no Python per item
    digits.reverse()  # the first digit of a base-2 number is its highest bit
    return int(digits, 2) if size else 0


def count_in(matched: int, groups: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """(value, how many of `matched` are in its set) for each (value, set) with any."""
    counted = ((value, (matched & members).bit_count()) for value, members in groups)
    return [(value, count) for value, count in counted if count]
