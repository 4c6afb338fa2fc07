"""The state database's tables, and the steps that bring an older database up to date.

`MIGRATIONS[n]` turns a version-n database into version n+1; a database newer than this code is
refused rather than guessed at, so an older tuireader never damages a newer one's state.
"""

from __future__ import annotations

import sqlite3

# A paper's state is one `records` row; `identities` says under which DOIs, arXiv ids, keys and
# titles it is found (one identity may name several records: see identity.py). A record whose
# state is back to the defaults is deleted, so the tables hold only what the reader said.
_VERSION_1 = """
CREATE TABLE schema_version (version INTEGER NOT NULL);
CREATE TABLE records (
    id INTEGER PRIMARY KEY,
    starred INTEGER NOT NULL DEFAULT 0 CHECK (starred IN (0, 1)),
    status TEXT NOT NULL DEFAULT 'unread' CHECK (status IN ('unread', 'to-read', 'read')),
    note TEXT NOT NULL DEFAULT '',
    marked INTEGER NOT NULL DEFAULT 0 CHECK (marked IN (0, 1))
);
CREATE TABLE identities (
    identity TEXT NOT NULL,
    record INTEGER NOT NULL REFERENCES records (id) ON DELETE CASCADE,
    PRIMARY KEY (identity, record)
) WITHOUT ROWID;
CREATE INDEX identities_of_record ON identities (record);
CREATE TABLE tags (
    record INTEGER NOT NULL REFERENCES records (id) ON DELETE CASCADE,
    tag TEXT NOT NULL,
    PRIMARY KEY (record, tag)
) WITHOUT ROWID;
CREATE TABLE saved_searches (
    slot INTEGER PRIMARY KEY CHECK (slot BETWEEN 1 AND 9),
    name TEXT NOT NULL,
    query TEXT NOT NULL,
    authors TEXT NOT NULL,  -- a JSON array of author filter keys
    first_year INTEGER,
    last_year INTEGER,
    sort TEXT NOT NULL
);
CREATE TABLE session (
    only_row INTEGER PRIMARY KEY CHECK (only_row = 1),
    query TEXT NOT NULL,
    authors TEXT NOT NULL,
    first_year INTEGER,
    last_year INTEGER,
    sort TEXT NOT NULL,
    cursor_id TEXT NOT NULL,
    cursor TEXT NOT NULL  -- a JSON array of the cursor paper's identities
);
"""

# The venue filter, kept with the other filters (a JSON array of venues as the facets name them)
_VERSION_2 = """
ALTER TABLE saved_searches ADD COLUMN venues TEXT NOT NULL DEFAULT '[]';
ALTER TABLE session ADD COLUMN venues TEXT NOT NULL DEFAULT '[]';
"""

MIGRATIONS: tuple[str, ...] = (_VERSION_1, _VERSION_2)
VERSION = len(MIGRATIONS)


def version_of(db: sqlite3.Connection) -> int:
    """0 for a new, empty database."""
    exists = db.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
    ).fetchone()
    if not exists:
        return 0
    row = db.execute("SELECT max(version) FROM schema_version").fetchone()
    return int(row[0] or 0)


def migrate(db: sqlite3.Connection, current: int) -> None:
    """Run the steps after `current`, inside the caller's transaction."""
    for step in MIGRATIONS[current:]:
        # executescript() would commit the caller's transaction first; one statement at a time
        # keeps every step inside it, so a failed upgrade leaves the old database untouched.
        for statement in _statements(step):
            db.execute(statement)
    db.execute("DELETE FROM schema_version")
    db.execute("INSERT INTO schema_version (version) VALUES (?)", (VERSION,))


def _statements(script: str) -> list[str]:
    lines = [line.split("--", 1)[0] for line in script.splitlines()]
    return [statement.strip() for statement in "\n".join(lines).split(";") if statement.strip()]
