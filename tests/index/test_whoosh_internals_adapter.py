"""Whoosh's private attributes are reached from one module, and what it writes is Whoosh's own."""

from __future__ import annotations

import re
from pathlib import Path

import whoosh
from whoosh.codec.whoosh3 import W3TermInfo
from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.filetables import OrderedHashWriter

import tuireader.index
from tuireader.index.whoosh_internals import add_terms, term_info_bytes

_PRIVATE_ACCESS = re.compile(r"(?<!self)\._([a-z]\w*)")
_PRIVATE_SET = re.compile(r"self\._([a-z]\w*)\s*[:=]")


def _private_names(folder: Path) -> set[str]:
    return {name for path in folder.rglob("*.py") for name in _PRIVATE_SET.findall(path.read_text("utf-8"))}


def test_only_the_adapter_reaches_into_whoosh() -> None:
    """No other module of the engine uses an attribute Whoosh keeps private (one of our own
    objects' private attributes, named like no Whoosh one, is another matter)."""
    ours = Path(tuireader.index.__file__).parent
    whoosh_private = _private_names(Path(whoosh.__file__).parent) - _private_names(ours)
    assert {"postfile", "startoffset", "tindex", "fieldid"} <= whoosh_private
    offenders = [
        f"{path.name}:{number}: {name}"
        for path in sorted(ours.glob("*.py"))
        if path.name != "whoosh_internals.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        for name in _PRIVATE_ACCESS.findall(line.split("#")[0])
        if name in whoosh_private
    ]
    assert offenders == []


def _table(storage: FileStorage, name: str, fill: object) -> bytes:
    writer = OrderedHashWriter(storage.create_file(name))
    fill(writer)  # type: ignore[operator]
    writer.close()
    return (Path(storage.folder) / name).read_bytes()


def test_terms_are_written_as_whoosh_writes_them(tmp_path: Path) -> None:
    storage = FileStorage(str(tmp_path))
    entries = [(b"\x00\x01" + f"term{n:06d}".encode(), bytes([n % 251]) * (n % 40)) for n in range(10_000)]

    def one_by_one(writer: OrderedHashWriter) -> None:
        for key, value in entries:
            writer.add(key, value)

    def batched(writer: OrderedHashWriter) -> None:
        add_terms(writer, iter(entries[:5_000]))
        add_terms(writer, iter(entries[5_000:]))

    assert _table(storage, "ours.trm", batched) == _table(storage, "whoosh.trm", one_by_one)


class _Block:
    def __init__(self, ids: list[int], weights: list[float]) -> None:
        self._ids, self._weights = ids, weights

    def __len__(self) -> int:
        return len(self._ids)

    def min_length(self) -> None:
        return None

    def max_length(self) -> int:
        return 0

    def max_weight(self) -> float:
        return max(self._weights)

    def min_id(self) -> int:
        return self._ids[0]

    def max_id(self) -> int:
        return self._ids[-1]


def test_term_info_is_packed_as_whoosh_packs_it() -> None:
    blocks = [_Block([3, 9, 40], [1.0, 2.0, 1.5]), _Block([41, 90], [4.0, 1.0])]
    info = W3TermInfo()
    for block in blocks:
        info.add_block(block)
    info.set_extent(1234, 567)
    assert term_info_bytes(9.5, 5, 4.0, 3, 90, 1234, 567) == info.to_bytes()
    assert term_info_bytes(9.5, 5, 4.0, 3, 91, 1234, 567) != info.to_bytes()
