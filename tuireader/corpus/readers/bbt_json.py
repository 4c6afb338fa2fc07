"""Better BibTeX JSON: Zotero items exported whole, with their citation keys.

    {"config": {"label": "BetterBibTeX JSON", …},
     "collections": {"KEY": {"name": "…", "collections": ["CHILD", …], "items": [itemID, …]}, …},
     "items": [{"itemID": 1, "itemType": "journalArticle", "citationKey": "…", "title": "…",
                "creators": [{"creatorType": "author", "firstName": "…", "lastName": "…"}],
                "tags": [{"tag": "…"}], "notes": ["<p>…</p>"],
                "attachments": [{"path": "…", "title": "…"}], …}, …]}

The top-level object is walked value by value, and the items one by one, so that each item keeps
its line and one that cannot be used costs only itself. Relative attachment paths are taken from
the export's own folder, where Better BibTeX writes the files it exports beside it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from tuireader.corpus.model import Problem, Source
from tuireader.corpus.readers.base import Reader, ReadResult
from tuireader.corpus.readers.zotero_item import NOT_WORKS, Creator, ZoteroItem, paper_of
from tuireader.corpus.readers.zotero_prefs import LINKED_PREFIX, base_folder, resolved

_DECODER = json.JSONDecoder()
_SPACE = re.compile(r"[ \t\n\r]*")
# Keys of an exported item that are structure or bookkeeping, not fields of the work.
_NOT_FIELDS = frozenset(
    {
        "itemType",
        "creators",
        "tags",
        "notes",
        "attachments",
        "relations",
        "collections",
        "multi",
        "itemID",
        "itemKey",
        "key",
        "libraryID",
        "uri",
        "citekey",
        "deleted",
        "version",
        "seeAlso",
    }
)


class _Damaged(ValueError):
    def __init__(self, message: str, position: int) -> None:
        super().__init__(message)
        self.position = position


def sniff(head: str) -> bool:
    match = re.match(r"\s*\{", head)
    if not match:
        return False
    opening = head[: 64 * 1024]
    return '"items"' in opening and ('"config"' in opening or '"itemType"' in opening)


def _skip_space(text: str, position: int) -> int:
    found = _SPACE.match(text, position)
    return found.end() if found else position


def _expect(text: str, position: int, char: str) -> int:
    position = _skip_space(text, position)
    if not text.startswith(char, position):
        raise _Damaged(f"expected “{char}”", position)
    return position + 1


def _value(text: str, position: int) -> tuple[Any, int]:
    try:
        return _DECODER.raw_decode(text, position)
    except json.JSONDecodeError as error:
        raise _Damaged(error.msg, error.pos) from None
    except RecursionError:
        raise _Damaged("nested too deeply to read", position) from None


def _next_member(text: str, position: int, close: str, *, first: bool) -> int | None:
    """Where the next member of an object or array starts, or None past its closing bracket:
    `position` is just inside the opening bracket (`first`) or just after a member."""
    position = _skip_space(text, position)
    if text.startswith(close, position):
        return None
    if not first:
        position = _skip_space(text, _expect(text, position, ","))
    return position


def _closed(text: str, position: int) -> int:
    return _skip_space(text, position) + 1


def _walk(text: str, others: dict[str, Any], items: list[tuple[int, Any]]) -> None:
    """The top-level values other than `items`, and each item with its offset, into `others` and
    `items`: on damage (`_Damaged`) they hold what came before it."""
    position = _expect(text, 0, "{")
    start = _next_member(text, position, "}", first=True)
    while start is not None:
        name, position = _value(text, start)
        position = _skip_space(text, _expect(text, position, ":"))
        if name == "items" and text.startswith("[", position):
            position = _items(text, position + 1, items)
        else:
            others[str(name)], position = _value(text, position)
        start = _next_member(text, position, "}", first=False)


def _items(text: str, position: int, items: list[tuple[int, Any]]) -> int:
    """Each item of the array opened just before `position`; where the array ends."""
    start = _next_member(text, position, "]", first=True)
    while start is not None:
        item, position = _value(text, start)
        items.append((start, item))
        start = _next_member(text, position, "]", first=False)
    return _closed(text, position)


def _line_at(text: str, position: int, counted: tuple[int, int]) -> tuple[int, int]:
    """The line of `position`, counting on from an earlier (offset, line)."""
    offset, line = counted
    return position, line + text.count("\n", offset, position)


def _collection_paths(collections: Any) -> dict[Any, list[str]]:
    """Each item id → the paths (`Parent / Child`) of the collections holding it."""
    if not isinstance(collections, dict):
        return {}
    nodes = {key: value for key, value in collections.items() if isinstance(value, dict)}
    parent: dict[str, str] = {}
    for key, node in nodes.items():
        for child in node.get("collections") or []:
            if isinstance(child, str) and child in nodes:
                parent.setdefault(child, key)
        if isinstance(node.get("parent"), str) and node["parent"] in nodes:
            parent.setdefault(key, node["parent"])

    def path_of(key: str) -> str:
        names, seen = [], set()
        while key in nodes and key not in seen:
            seen.add(key)
            names.append(str(nodes[key].get("name") or key))
            key = parent.get(key, "")
        return " / ".join(reversed(names))

    holding: dict[Any, list[str]] = {}
    for key, node in nodes.items():
        for member in node.get("items") or []:
            if isinstance(member, (int, str)):
                holding.setdefault(member, []).append(path_of(key))
    return holding


def _text(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, list) and all(isinstance(part, str) for part in value):
        return "\n".join(value)  # `extra` is exported as a list of lines
    return None


def _creators(value: Any) -> list[Creator]:
    creators = []
    for entry in value if isinstance(value, list) else []:
        if not isinstance(entry, dict):
            continue
        creators.append(
            Creator(
                role=str(entry.get("creatorType") or "author"),
                family=_text(entry.get("lastName")) or "",
                given=_text(entry.get("firstName")) or "",
                single=_text(entry.get("name")) or "",
            )
        )
    return creators


def _tags(value: Any) -> list[str]:
    tags = []
    for entry in value if isinstance(value, list) else []:
        tag = entry.get("tag") if isinstance(entry, dict) else entry
        if isinstance(tag, str) and tag.strip():
            tags.append(tag)
    return tags


def _notes(value: Any) -> list[str]:
    notes = []
    for entry in value if isinstance(value, list) else []:
        note = entry.get("note") if isinstance(entry, dict) else entry
        if isinstance(note, str):
            notes.append(note)
    return notes


def _attachments(value: Any, folder: Path) -> list[str]:
    paths = []
    for entry in value if isinstance(value, list) else []:
        if not isinstance(entry, dict):
            continue
        path = entry.get("localPath") or entry.get("path")
        if isinstance(path, str) and path.startswith(LINKED_PREFIX):
            # Below Zotero's linked-attachment base folder: the export does not say whose.
            paths.append(resolved(path, base_folder(None)))
        elif isinstance(path, str) and path.strip():
            given = Path(path).expanduser()
            paths.append(str(given if given.is_absolute() else folder / given))
    return paths


def item_of(entry: dict[str, Any], folder: Path, collections: list[str]) -> ZoteroItem:
    fields = {}
    for name, value in entry.items():
        if name in _NOT_FIELDS:
            continue
        text = _text(value)
        if text is not None:
            fields[name] = text
    citekey = entry.get("citekey")
    return ZoteroItem(
        item_type=str(entry.get("itemType")),
        fields=fields,
        creators=_creators(entry.get("creators")),
        tags=_tags(entry.get("tags")),
        notes=_notes(entry.get("notes")),
        attachments=_attachments(entry.get("attachments"), folder),
        collections=collections,
        key=citekey if isinstance(citekey, str) else None,
    )


def read(text: str, path: str) -> ReadResult:
    result = ReadResult()
    others: dict[str, Any] = {}
    items: list[tuple[int, Any]] = []
    try:
        _walk(text, others, items)
    except _Damaged as damage:
        # The items before the damage are still read.
        line = text.count("\n", 0, damage.position) + 1
        message = f"damaged Better BibTeX JSON ({damage}); nothing after this point was read"
        result.problems.append(Problem(path, message, line))
    holding = _collection_paths(others.get("collections"))
    folder = Path(path).parent
    counted = (0, 1)
    for number, (offset, entry) in enumerate(items, start=1):
        counted = _line_at(text, offset, counted)
        line = counted[1]
        if not isinstance(entry, dict):
            result.problems.append(Problem(path, f"item {number} is not a JSON object; skipped", line))
            continue
        item_type = entry.get("itemType")
        if not isinstance(item_type, str) or not item_type:
            result.problems.append(Problem(path, f"item {number} has no itemType; skipped", line))
            continue
        if item_type in NOT_WORKS or entry.get("deleted"):
            continue
        member_of = holding.get(entry.get("itemID"), []) + holding.get(entry.get("itemKey") or "", [])
        try:
            result.records.append(paper_of(item_of(entry, folder, member_of), Source(path, line)))
        except Exception as error:  # one odd item costs only itself
            result.problems.append(Problem(path, f"item {number} could not be read ({error}); skipped", line))
    return result


READER = Reader(name="Better BibTeX JSON", sniff=sniff, read=read)
