"""Zotero databases made at test time, the way Zotero makes them.

The tables come from Zotero's own schema scripts (userdata.sql, system.sql, triggers.sql) and the
global schema (schema.json) fills the item types, fields, base-field mappings and creator types,
as Zotero does at start-up. Items are then written as Zotero writes them: type-specific field
names (a book section's `bookTitle`), values shared through itemDataValues, dates as
`YYYY-MM-DD original`, creators shared between items, child notes and attachment items, tags
and nested collections.
"""

from __future__ import annotations

import json
import random
import re
import sqlite3
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_SCRIPTS = ("system.sql", "userdata.sql", "triggers.sql")
_LINK_MODES = {"imported_file": 0, "imported_url": 1, "linked_file": 2, "linked_url": 3}


@dataclass
class Schema:
    item_types: dict[str, int] = field(default_factory=dict)
    fields: dict[str, int] = field(default_factory=dict)
    creator_types: dict[str, int] = field(default_factory=dict)
    # (item type, base or own field name) → the field the item type stores it in
    field_of: dict[tuple[str, str], str] = field(default_factory=dict)


def create(path: Path, schema_folder: Path, *, combined: bool = True) -> tuple[sqlite3.Connection, Schema]:
    """An empty Zotero database at `path`, its global schema filled in; `combined` also fills the
    tables Zotero fills at start-up (`itemTypesCombined`, `fieldsCombined` …)."""
    connection = sqlite3.connect(path)
    for script in _SCRIPTS:
        connection.executescript((schema_folder / script).read_text(encoding="utf-8"))
    global_schema = json.loads((schema_folder / "schema.json").read_text(encoding="utf-8"))
    schema = Schema()
    for item_type in global_schema["itemTypes"]:
        type_id = schema.item_types.setdefault(item_type["itemType"], len(schema.item_types) + 1)
        connection.execute("INSERT INTO itemTypes VALUES (?, ?, NULL, 1)", (type_id, item_type["itemType"]))
        for order, spec in enumerate(item_type["fields"]):
            for name in filter(None, (spec.get("baseField"), spec["field"])):
                if name not in schema.fields:
                    schema.fields[name] = len(schema.fields) + 1
                    connection.execute("INSERT INTO fields VALUES (?, ?, NULL)", (schema.fields[name], name))
            own = schema.fields[spec["field"]]
            connection.execute("INSERT INTO itemTypeFields VALUES (?, ?, NULL, ?)", (type_id, own, order))
            schema.field_of[(item_type["itemType"], spec["field"])] = spec["field"]
            if spec.get("baseField"):
                base = schema.fields[spec["baseField"]]
                connection.execute("INSERT INTO baseFieldMappings VALUES (?, ?, ?)", (type_id, base, own))
                schema.field_of[(item_type["itemType"], spec["baseField"])] = spec["field"]
        for spec in item_type["creatorTypes"]:
            creator_id = schema.creator_types.setdefault(spec["creatorType"], len(schema.creator_types) + 1)
            connection.execute(
                "INSERT OR IGNORE INTO creatorTypes VALUES (?, ?)", (creator_id, spec["creatorType"])
            )
            connection.execute(
                "INSERT INTO itemTypeCreatorTypes VALUES (?, ?, ?)",
                (type_id, creator_id, int(bool(spec.get("primary")))),
            )
    if combined:
        connection.executescript(
            """
            INSERT INTO itemTypesCombined SELECT itemTypeID, typeName, display, 0 FROM itemTypes;
            INSERT INTO fieldsCombined SELECT fieldID, fieldName, NULL, fieldFormatID, 0 FROM fields;
            INSERT INTO itemTypeFieldsCombined SELECT * FROM itemTypeFields;
            INSERT INTO baseFieldMappingsCombined SELECT * FROM baseFieldMappings;
            """
        )
    connection.execute(
        "INSERT INTO libraries (libraryID, type, editable, filesEditable) VALUES (1, 'user', 1, 1)"
    )
    connection.commit()
    return connection, schema


def _key(rng: random.Random) -> str:
    return "".join(rng.choice(string.ascii_uppercase + string.digits) for _ in range(8))


class Writer:
    """Adds items to a database made by `create`, sharing values and creators as Zotero does."""

    def __init__(self, connection: sqlite3.Connection, schema: Schema, seed: int = 1) -> None:
        self.connection = connection
        self.schema = schema
        self.rng = random.Random(seed)
        self.values: dict[str, int] = {}
        self.creators: dict[tuple[str, str, int], int] = {}
        self.tags: dict[str, int] = {}
        self.collections: dict[str, int] = {}
        self.keys: set[str] = set()

    def _new_key(self) -> str:
        while (key := _key(self.rng)) in self.keys:
            pass
        self.keys.add(key)
        return key

    def _item(self, item_type: str, key: str | None = None) -> tuple[int, str]:
        key = key or self._new_key()
        cursor = self.connection.execute(
            "INSERT INTO items (itemTypeID, libraryID, key) VALUES (?, 1, ?)",
            (self.schema.item_types[item_type], key),
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid, key

    def _value(self, value: str) -> int:
        found = self.values.get(value)
        if found is None:
            cursor = self.connection.execute("INSERT INTO itemDataValues (value) VALUES (?)", (value,))
            assert cursor.lastrowid is not None
            found = self.values[value] = cursor.lastrowid
        return found

    def _set(self, item_id: int, item_type: str, name: str, value: str) -> bool:
        own = self.schema.field_of.get((item_type, name))
        if own is None:
            return False
        if own == "date":
            value = sql_date(value)
        self.connection.execute(
            "INSERT INTO itemData VALUES (?, ?, ?)", (item_id, self.schema.fields[own], self._value(value))
        )
        return True

    def _creator(self, first: str, last: str, mode: int) -> int:
        found = self.creators.get((first, last, mode))
        if found is None:
            cursor = self.connection.execute(
                "INSERT INTO creators (firstName, lastName, fieldMode) VALUES (?, ?, ?)", (first, last, mode)
            )
            assert cursor.lastrowid is not None
            found = self.creators[(first, last, mode)] = cursor.lastrowid
        return found

    def collection(self, path: str) -> int:
        """The collection at `Parent / Child`, made with its parents when new."""
        found = self.collections.get(path)
        if found is not None:
            return found
        parent_path, _, name = path.rpartition(" / ")
        parent = self.collection(parent_path) if parent_path else None
        cursor = self.connection.execute(
            "INSERT INTO collections (collectionName, parentCollectionID, libraryID, key)"
            " VALUES (?, ?, 1, ?)",
            (name, parent, self._new_key()),
        )
        assert cursor.lastrowid is not None
        self.collections[path] = cursor.lastrowid
        return cursor.lastrowid

    def add(
        self,
        item_type: str,
        fields: Mapping[str, str],
        creators: Iterable[tuple[str, str, str, int]] = (),
        *,
        tags: Iterable[str] = (),
        notes: Iterable[str] = (),
        attachments: Iterable[tuple[str, str, str]] = (),
        collections: Iterable[str] = (),
    ) -> tuple[int, str, list[str]]:
        """A new item: its id, key, and the fields its type has no place for (Zotero's `extra`).

        `creators` are (role, first, last, fieldMode); `attachments` are (link mode, content
        type, path as Zotero stores it, `storage:name.pdf` for a stored file)."""
        item_id, key = self._item(item_type)
        left_out = [
            name for name, value in fields.items() if value and not self._set(item_id, item_type, name, value)
        ]
        for order, (role, first, last, mode) in enumerate(creators):
            role_id = self.schema.creator_types.get(role, self.schema.creator_types["author"])
            self.connection.execute(
                "INSERT INTO itemCreators VALUES (?, ?, ?, ?)",
                (item_id, self._creator(first, last, mode), role_id, order),
            )
        for tag in dict.fromkeys(tags):
            tag_id = self.tags.get(tag)
            if tag_id is None:
                cursor = self.connection.execute("INSERT INTO tags (name) VALUES (?)", (tag,))
                assert cursor.lastrowid is not None
                tag_id = self.tags[tag] = cursor.lastrowid
            self.connection.execute("INSERT INTO itemTags VALUES (?, ?, 0)", (item_id, tag_id))
        for note in notes:
            note_id, _ = self._item("note")
            self.connection.execute("INSERT INTO itemNotes VALUES (?, ?, ?, '')", (note_id, item_id, note))
        for mode, content_type, path in attachments:
            attachment_id, _ = self._item("attachment")
            self.connection.execute(
                "INSERT INTO itemAttachments (itemID, parentItemID, linkMode, contentType, path)"
                " VALUES (?, ?, ?, ?, ?)",
                (attachment_id, item_id, _LINK_MODES[mode], content_type, path),
            )
        for order, path in enumerate(collections):
            self.connection.execute(
                "INSERT INTO collectionItems VALUES (?, ?, ?)", (self.collection(path), item_id, order)
            )
        return item_id, key, left_out

    def trash(self, item_id: int) -> None:
        self.connection.execute("INSERT INTO deletedItems (itemID) VALUES (?)", (item_id,))


def sql_date(value: str) -> str:
    """A date as Zotero stores it: `YYYY-MM-DD` (zeros for what is unknown), a space, the original."""
    found = re.search(r"\b(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", value)
    if not found:
        return f"0000-00-00 {value}"
    year, month, day = found.group(1), found.group(2) or "0", found.group(3) or "0"
    return f"{year}-{int(month):02d}-{int(day):02d} {value}"


def add_exported_item(writer: Writer, item: dict[str, Any]) -> int | None:
    """A Better BibTeX export's item written into the database; None for notes and attachments."""
    item_type = item.get("itemType")
    if item_type not in writer.schema.item_types or item_type in ("note", "attachment", "annotation"):
        return None
    fields = {name: value for name, value in item.items() if isinstance(value, str)}
    if isinstance(item.get("extra"), list):
        fields["extra"] = "\n".join(item["extra"])
    creators = []
    for creator in item.get("creators") or []:
        if "name" in creator:
            creators.append((creator.get("creatorType", "author"), "", creator["name"], 1))
        else:
            creators.append(
                (
                    creator.get("creatorType", "author"),
                    creator.get("firstName", ""),
                    creator.get("lastName", ""),
                    0,
                )
            )
    tags = [tag["tag"] if isinstance(tag, dict) else tag for tag in item.get("tags") or []]
    notes = [note for note in item.get("notes") or [] if isinstance(note, str)]
    item_id, _, _ = writer.add(item_type, fields, creators, tags=tags, notes=notes)
    return item_id
