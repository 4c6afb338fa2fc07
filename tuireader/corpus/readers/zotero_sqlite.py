"""Zotero's own database (`zotero.sqlite`), read without ever touching it.

Zotero keeps its database open, often with an exclusive lock, and writes to it while it runs.
So the database is never opened where it lies: the file and its write-ahead log (`-wal`, the
changes not yet folded into it) are copied to a temporary folder, and the copy is read. Reading
a file takes no lock, so Zotero is never kept waiting, and nothing can ever be written to the
user's library. A copy caught in the middle of a write may be damaged: it is taken again once
before the database is reported unreadable.

What is read: every regular item (not a note, attachment or annotation; not in the trash; not in
a feed), with its fields (itemData → itemDataValues, named by `fields`), creators in order with
their roles, tags, child notes, file attachments (stored ones under `storage/<key>/`, linked ones
where they were linked) and the nested collections holding it. A Source's "line" is the item's
id in the database.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from tuireader.corpus.model import Problem, Source
from tuireader.corpus.readers.base import ReadResult
from tuireader.corpus.readers.zotero_item import NOT_WORKS, Creator, ZoteroItem, paper_of
from tuireader.corpus.readers.zotero_prefs import LINKED_PREFIX, base_folder, resolved

NAME = "Zotero database"
VERSION = 1
# Tables every Zotero database since 2009 has, and no other program's database has together.
_ZOTERO_TABLES = frozenset({"items", "itemData", "itemDataValues", "fields", "itemTypes", "creators"})
_LINKED_URL = 3
_EMBEDDED_IMAGE = 4
_STORAGE_PREFIX = "storage:"
_ATTEMPTS = 2


class NotZotero(Exception):
    """A SQLite database that is not Zotero's."""


@dataclass(slots=True)
class Attachments:
    """Attachment files named by a database: every path, and those that exist."""

    found: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def read_database(path: Path, shown: str) -> ReadResult:
    """The works in the Zotero database at `path`; NotZotero for another program's database."""
    failure: sqlite3.DatabaseError | None = None
    for _ in range(_ATTEMPTS):
        with tempfile.TemporaryDirectory(prefix="tuireader-zotero-") as folder:
            connection = sqlite3.connect(_copied(path, Path(folder)))
            try:
                connection.execute("PRAGMA query_only = ON")
                return _read(connection, path, shown)
            except sqlite3.DatabaseError as error:
                failure = error
            finally:
                connection.close()
    result = ReadResult()
    result.problems.append(Problem(shown, f"the Zotero database could not be read ({failure}); skipped"))
    return result


def _copied(path: Path, folder: Path) -> Path:
    """The database and its write-ahead log, copied; the log first would miss nothing, but the
    database first matches the order SQLite itself reads them in."""
    copy = folder / path.name
    shutil.copyfile(path, copy)
    wal = path.with_name(path.name + "-wal")
    if wal.is_file():
        shutil.copyfile(wal, folder / wal.name)
    return copy


def _tables(connection: sqlite3.Connection) -> set[str]:
    return {name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def _names(connection: sqlite3.Connection, tables: set[str], combined: str, plain: str) -> dict[int, str]:
    """id → name from Zotero's `…Combined` table (the global schema and custom types, filled at
    start-up), or from the plain one when a database was never opened by Zotero itself."""
    columns = {
        "itemTypes": "itemTypeID, typeName",
        "fields": "fieldID, fieldName",
    }[plain]
    for table in (combined, plain):
        if table in tables:
            rows = dict(connection.execute(f"SELECT {columns} FROM {table}"))
            if rows:
                return rows
    return {}


def _read(connection: sqlite3.Connection, path: Path, shown: str) -> ReadResult:
    tables = _tables(connection)
    if not tables >= _ZOTERO_TABLES:
        raise NotZotero(shown)
    result = ReadResult()
    item_types = _names(connection, tables, "itemTypesCombined", "itemTypes")
    field_names = _names(connection, tables, "fieldsCombined", "fields")
    deleted = _deleted(connection, tables, "deletedItems", "itemID")
    feeds = set()
    if "libraries" in tables:
        feeds = {row[0] for row in connection.execute("SELECT libraryID FROM libraries WHERE type = 'feed'")}
    works: dict[int, tuple[str, str]] = {}
    kinds: dict[int, str] = {}
    keys: dict[int, str] = {}
    for item_id, type_id, library_id, key in connection.execute(
        "SELECT itemID, itemTypeID, libraryID, key FROM items ORDER BY itemID"
    ):
        keys[item_id] = key
        item_type = item_types.get(type_id)
        kinds[item_id] = item_type or ""
        if item_id in deleted or library_id in feeds:
            continue
        if item_type is None:
            message = f"item {key} (id {item_id}) has an item type this database does not name; skipped"
            result.problems.append(Problem(shown, message, item_id))
            continue
        if item_type not in NOT_WORKS:
            works[item_id] = (item_type, key)
    fields: dict[int, dict[str, str]] = defaultdict(dict)
    for item_id, field_id, value in connection.execute(
        "SELECT d.itemID, d.fieldID, v.value FROM itemData d JOIN itemDataValues v USING (valueID)"
    ):
        name = field_names.get(field_id)
        if item_id in works and name and value is not None:
            fields[item_id][name] = str(value)
    creators = _creators(connection, works)
    tags = _grouped(
        connection,
        works,
        "SELECT it.itemID, t.name FROM itemTags it JOIN tags t USING (tagID) ORDER BY it.itemID, t.name",
    )
    notes = _notes(connection, tables, works, kinds, deleted)
    attachments = _attachments(connection, works, keys, deleted, path.parent)
    collections = _collections(connection, tables, works)
    for item_id, (item_type, key) in works.items():
        item = ZoteroItem(
            item_type=item_type,
            fields=fields.get(item_id, {}),
            creators=creators.get(item_id, []),
            tags=tags.get(item_id, []),
            notes=notes.get(item_id, []),
            attachments=attachments.get(item_id, []),
            collections=collections.get(item_id, []),
        )
        try:
            result.records.append(paper_of(item, Source(shown, item_id)))
        except Exception as error:  # one odd item costs only itself
            message = f"item {key} (id {item_id}) could not be read ({error}); skipped"
            result.problems.append(Problem(shown, message, item_id))
    return result


def _deleted(connection: sqlite3.Connection, tables: set[str], table: str, column: str) -> set[int]:
    if table not in tables:
        return set()
    return {row[0] for row in connection.execute(f"SELECT {column} FROM {table}")}


def _grouped(
    connection: sqlite3.Connection, works: dict[int, tuple[str, str]], query: str
) -> dict[int, list[str]]:
    grouped: dict[int, list[str]] = defaultdict(list)
    for item_id, value in connection.execute(query):
        if item_id in works and isinstance(value, str):
            grouped[item_id].append(value)
    return grouped


def _creators(connection: sqlite3.Connection, works: dict[int, tuple[str, str]]) -> dict[int, list[Creator]]:
    found: dict[int, list[Creator]] = defaultdict(list)
    rows = connection.execute(
        "SELECT ic.itemID, ct.creatorType, c.firstName, c.lastName, c.fieldMode"
        " FROM itemCreators ic JOIN creators c USING (creatorID)"
        " LEFT JOIN creatorTypes ct USING (creatorTypeID) ORDER BY ic.itemID, ic.orderIndex"
    )
    for item_id, role, first, last, field_mode in rows:
        if item_id not in works:
            continue
        if field_mode == 1:  # a single-field name: an institution, or a name not to be split
            found[item_id].append(Creator(role or "author", single=last or ""))
        else:
            found[item_id].append(Creator(role or "author", family=last or "", given=first or ""))
    return found


def _notes(
    connection: sqlite3.Connection,
    tables: set[str],
    works: dict[int, tuple[str, str]],
    kinds: dict[int, str],
    deleted: set[int],
) -> dict[int, list[str]]:
    notes: dict[int, list[str]] = defaultdict(list)
    if "itemNotes" not in tables:
        return notes
    for note_id, parent, note in connection.execute(
        "SELECT itemID, parentItemID, note FROM itemNotes ORDER BY itemID"
    ):
        if parent in works and kinds.get(note_id) == "note" and note_id not in deleted and note:
            notes[parent].append(note)
    return notes


def _attachments(
    connection: sqlite3.Connection,
    works: dict[int, tuple[str, str]],
    keys: dict[int, str],
    deleted: set[int],
    folder: Path,
) -> dict[int, list[str]]:
    """Each work's attachment files, PDFs first; linked URLs and embedded images are not files."""
    found: dict[int, list[tuple[bool, str]]] = defaultdict(list)
    base: Path | None = None
    looked_for_base = False
    rows = connection.execute(
        "SELECT itemID, parentItemID, linkMode, contentType, path FROM itemAttachments ORDER BY itemID"
    )
    for item_id, parent, link_mode, content_type, stored in rows:
        if parent not in works or item_id in deleted or link_mode in (_LINKED_URL, _EMBEDDED_IMAGE):
            continue
        if not isinstance(stored, str) or not stored:
            continue
        if stored.startswith(_STORAGE_PREFIX):
            where = str(folder / "storage" / keys.get(item_id, "") / stored[len(_STORAGE_PREFIX) :])
        else:
            # A linked file: an absolute path, or `attachments:…` below the base folder set in
            # Zotero's preferences, which the database does not hold (see zotero_prefs.py).
            if stored.startswith(LINKED_PREFIX) and not looked_for_base:
                base, looked_for_base = base_folder(folder), True
            where = resolved(stored, base)
        found[parent].append((content_type != "application/pdf", where))
    return {
        parent: [where for _, where in sorted(paths, key=lambda p: p[0])] for parent, paths in found.items()
    }


def _collections(
    connection: sqlite3.Connection, tables: set[str], works: dict[int, tuple[str, str]]
) -> dict[int, list[str]]:
    """Each work's collections as paths from the top (`Thesis / Chapter 2`); trashed ones left out."""
    holding: dict[int, list[str]] = defaultdict(list)
    if not {"collections", "collectionItems"} <= tables:
        return holding
    deleted = _deleted(connection, tables, "deletedCollections", "collectionID")
    nodes = {
        collection_id: (name, parent)
        for collection_id, name, parent in connection.execute(
            "SELECT collectionID, collectionName, parentCollectionID FROM collections"
        )
    }

    def path_of(collection_id: int) -> str | None:
        names: list[str] = []
        seen: set[int] = set()
        current: int | None = collection_id
        while current is not None and current in nodes and current not in seen:
            if current in deleted:
                return None
            seen.add(current)
            name, current = nodes[current]
            names.append(str(name))
        return " / ".join(reversed(names))

    paths: dict[int, str | None] = {}
    for collection_id, item_id in connection.execute(
        "SELECT collectionID, itemID FROM collectionItems ORDER BY collectionID, orderIndex"
    ):
        if item_id not in works:
            continue
        if collection_id not in paths:
            paths[collection_id] = path_of(collection_id)
        shown = paths[collection_id]
        if shown:
            holding[item_id].append(shown)
    return holding


def attachment_files(paths: list[str]) -> Attachments:
    """The paths split into those that exist and those that do not."""
    attachments = Attachments()
    for path in paths:
        (attachments.found if Path(path).is_file() else attachments.missing).append(path)
    return attachments
