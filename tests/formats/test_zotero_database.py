"""Zotero's database, read-only: databases built from Zotero's published schema and real items."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest

from tests.formats import zotero_db
from tests.formats.corpora import corpus
from tuireader.corpus.cache import ParseCache
from tuireader.corpus.library import load_library, readers_version

_NOT_WORKS = {"note", "attachment", "annotation"}


def schema() -> Path:
    return corpus("zotero-schema")


@pytest.fixture(scope="module")
def exported_library(tmp_path_factory) -> tuple[Path, int, dict[str, str]]:
    """Every work of the 400 Better BibTeX exports, written into one Zotero database."""
    folder = tmp_path_factory.mktemp("Zotero")
    connection, built = zotero_db.create(folder / "zotero.sqlite", schema())
    writer = zotero_db.Writer(connection, built)
    works = 0
    titles: dict[str, str] = {}
    for path in sorted(corpus("bbt-json").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for item in data.get("items", []) if isinstance(data, dict) else []:
            if not isinstance(item, dict) or item.get("itemType") in _NOT_WORKS:
                continue
            if zotero_db.add_exported_item(writer, item) is not None:
                works += 1
                if item.get("citationKey") == "Collier1990":
                    titles["Collier1990"] = item["title"]
    connection.commit()
    connection.close()
    return folder, works, titles


def test_every_work_in_the_database_is_read(exported_library):
    folder, works, _ = exported_library
    library = load_library([folder], cache=False, merge=False)
    assert works > 2300
    assert library.records_read == works
    assert library.problems == ()
    assert library.files_read == (str(folder / "zotero.sqlite"),)


def test_a_book_section_read_through_its_type_specific_fields(exported_library):
    folder, _, titles = exported_library
    library = load_library([folder / "zotero.sqlite"], cache=False, merge=False)
    [paper] = [p for p in library.papers if p.records[0].key == "Collier1990"]
    assert paper.title == titles["Collier1990"] == "Intrinsic Information"
    assert paper.entry_type == "incollection"
    assert paper.booktitle == "Information, language, and cognition"  # stored as `bookTitle`
    assert [a.display_name for a in paper.authors] == ["Collier, John"]
    assert [a.display_name for a in paper.editors] == ["Hanson, Philip P."]
    assert (paper.year, paper.address) == (1990, "Vancouver")
    assert "Language and languages" in paper.keywords


@pytest.fixture
def small_library(tmp_path) -> Path:
    folder = tmp_path / "Zotero"
    folder.mkdir()
    connection, built = zotero_db.create(folder / "zotero.sqlite", schema())
    writer = zotero_db.Writer(connection, built)
    _, key, _ = writer.add(
        "journalArticle",
        {
            "title": "Attention Is All You Need",
            "publicationTitle": "NeurIPS",
            "date": "2017-12-04",
            "DOI": "10.5555/3295222.3295349",
            "abstractNote": "The dominant sequence transduction models …",
            "citationKey": "vaswani2017",
        },
        [("author", "Ashish", "Vaswani", 0), ("editor", "", "The Editors", 1)],
        tags=["transformers"],
        notes=["<p>Read &amp; loved</p>"],
        attachments=[
            ("imported_file", "application/pdf", "storage:vaswani.pdf"),
            ("linked_file", "application/pdf", str(tmp_path / "elsewhere" / "gone.pdf")),
            ("linked_url", "text/html", ""),
        ],
        collections=["Thesis / Background"],
    )
    trashed, _, _ = writer.add("book", {"title": "In the trash"})
    writer.trash(trashed)
    writer.add("thesis", {"title": "A Thesis", "university": "MIT", "thesisType": "Master's thesis"})
    connection.commit()
    connection.close()
    attachment_key = (
        sqlite3.connect(folder / "zotero.sqlite")
        .execute(
            "SELECT i.key FROM items i JOIN itemAttachments a USING (itemID)"
            " WHERE a.path = 'storage:vaswani.pdf'"
        )
        .fetchone()[0]
    )
    (folder / "storage" / attachment_key).mkdir(parents=True)
    (folder / "storage" / attachment_key / "vaswani.pdf").write_bytes(b"%PDF-1.4\n")
    (folder / "translators").mkdir()
    (folder / "translators" / "BibTeX.js").write_text("{}", encoding="utf-8")
    assert key
    return folder


def test_items_creators_notes_attachments_collections_and_trash(small_library):
    library = load_library([small_library], cache=False, merge=False)
    assert library.problems == ()  # Zotero's own files beside the database are not the library's
    article, thesis = library.papers
    assert article.title == "Attention Is All You Need"
    assert (article.year, str(article.date), article.venue) == (2017, "2017-12-04", "NeurIPS")
    assert article.doi == "10.5555/3295222.3295349"
    assert article.citation_key == "vaswani2017"
    assert [a.display_name for a in article.authors] == ["Vaswani, Ashish"]
    assert [a.literal for a in article.editors] == ["The Editors"]
    assert article.keywords == ("transformers",)
    assert article.note == "Read & loved"
    stored = next((small_library / "storage").glob("*/vaswani.pdf"))
    assert article.file == f"{stored};{small_library.parent / 'elsewhere' / 'gone.pdf'}"
    assert ("collection", "Thesis / Background") in article.records[0].fields
    assert (thesis.entry_type, thesis.school, thesis.publication_type) == (
        "mastersthesis",
        "MIT",
        "Master's thesis",
    )


def test_the_database_is_never_written_and_a_locked_one_is_still_read(small_library):
    database = small_library / "zotero.sqlite"
    before = database.read_bytes(), database.stat().st_mtime_ns
    # Zotero holds its database with an exclusive lock while it runs.
    holder = sqlite3.connect(database)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        library = load_library([database], cache=False)
    finally:
        holder.rollback()
        holder.close()
    assert len(library.papers) == 2
    assert (database.read_bytes(), database.stat().st_mtime_ns) == before
    assert sorted(p.name for p in small_library.iterdir()) == ["storage", "translators", "zotero.sqlite"]


def test_changes_still_in_the_write_ahead_log_are_read_and_renew_the_cache(small_library, tmp_path):
    database = small_library / "zotero.sqlite"
    cache = ParseCache(tmp_path / "cache", readers_version())
    assert len(load_library([database], cache=cache).papers) == 2
    size_before = database.stat().st_size, database.stat().st_mtime_ns
    writer_connection = sqlite3.connect(database)
    writer_connection.execute("PRAGMA journal_mode = WAL")
    writer_connection.execute("PRAGMA wal_autocheckpoint = 0")
    built = zotero_db.Schema(
        item_types=dict(writer_connection.execute("SELECT typeName, itemTypeID FROM itemTypes")),
        fields=dict(writer_connection.execute("SELECT fieldName, fieldID FROM fields")),
        creator_types=dict(writer_connection.execute("SELECT creatorType, creatorTypeID FROM creatorTypes")),
        field_of={("book", "title"): "title"},
    )
    zotero_db.Writer(writer_connection, built, seed=7).add("book", {"title": "Only in the log"})
    writer_connection.commit()
    try:
        assert (small_library / "zotero.sqlite-wal").stat().st_size > 0
        os.utime(database, ns=(size_before[1], size_before[1]))
        assert (database.stat().st_size, database.stat().st_mtime_ns) == size_before
        titles = [p.title for p in load_library([database], cache=cache).papers]
    finally:
        writer_connection.close()
    assert "Only in the log" in titles


def test_a_sqlite_file_that_is_not_zotero_is_not_a_library(tmp_path):
    other = tmp_path / "notes.sqlite"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    library = load_library([other], cache=False)
    assert [p.message for p in library.problems] == ["not in a format tuireader reads; skipped"]
