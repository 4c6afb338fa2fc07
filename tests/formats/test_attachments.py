"""PDFs beside a library: never problems; attached to the paper their file name names."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.formats import zotero_db
from tests.formats.corpora import corpus, write
from tuireader.corpus.cache import ParseCache
from tuireader.corpus.library import load_library, readers_version

TUIREADER = Path(sys.executable).parent / "tuireader"
BIB = """@article{smith2020, title = {One}, doi = {10.1000/xyz.123}}
@article{jones2021, title = {Two}, journal = {J}, eprint = {2101.00001}, archivePrefix = {arXiv}}
@article{lee2019, title = {Three}}
"""


def library_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "papers"
    (folder / "pdfs").mkdir(parents=True)
    write(folder, "refs.bib", BIB)
    for name in ("lee2019.pdf", "10.1000_xyz.123.pdf", "2101.00001v2.pdf", "unrelated.pdf", "figure.png"):
        (folder / "pdfs" / name).write_bytes(b"%PDF-1.5\n")
    return folder


def test_pdfs_are_not_problems_and_attach_by_key_doi_or_arxiv_id(tmp_path):
    folder = library_folder(tmp_path)
    library = load_library([folder], cache=False)
    assert library.problems == ()
    by_key = {paper.citation_key: paper for paper in library.papers}
    pdfs = folder / "pdfs"
    assert by_key["lee2019"].file == str(pdfs / "lee2019.pdf")
    assert by_key["smith2020"].file == str(pdfs / "10.1000_xyz.123.pdf")
    assert by_key["jones2021"].arxiv_id == "2101.00001"
    assert by_key["jones2021"].file == str(pdfs / "2101.00001v2.pdf")
    assert len(library.attachments) == 5


def test_attachments_survive_the_cached_start(tmp_path):
    folder = library_folder(tmp_path)
    cache = ParseCache(tmp_path / "cache", readers_version())
    first = load_library([folder], cache=cache)
    again = load_library([folder], cache=cache)
    assert [p.file for p in again.papers] == [p.file for p in first.papers]
    assert again.attachments == first.attachments


def test_a_pdf_named_on_its_own_is_still_reported(tmp_path):
    pdf = tmp_path / "paper.pdf"
    pdf.write_bytes(b"%PDF-1.5\n")
    library = load_library([pdf], cache=False)
    assert [p.message for p in library.problems] == ["not in a format tuireader reads; skipped"]


def check(*args: str) -> str:
    done = subprocess.run([str(TUIREADER), "check", *args], capture_output=True, text=True, timeout=120)
    assert "Traceback" not in done.stdout + done.stderr
    return done.stdout


def test_check_reports_each_source_and_its_attachments(tmp_path):
    folder = library_folder(tmp_path)
    zotero = tmp_path / "Zotero"
    zotero.mkdir()
    connection, built = zotero_db.create(zotero / "zotero.sqlite", corpus("zotero-schema"))
    writer = zotero_db.Writer(connection, built)
    writer.add(
        "book",
        {"title": "Kept"},
        attachments=[
            ("imported_file", "application/pdf", "storage:kept.pdf"),
            ("linked_file", "application/pdf", "/nowhere/lost.pdf"),
        ],
    )
    connection.commit()
    key = connection.execute("SELECT key FROM items WHERE itemTypeID = ?", (built.item_types["attachment"],))
    stored = zotero / "storage" / key.fetchone()[0]
    connection.close()
    stored.mkdir(parents=True)
    (stored / "kept.pdf").write_bytes(b"%PDF-1.5\n")
    lines = check("--corpus", str(folder), "--corpus", str(zotero)).splitlines()
    assert f"- {folder / 'refs.bib'}: 3 entries" in lines
    assert f"- {zotero / 'zotero.sqlite'}: 1 entry; attachments: 1 found, 1 missing" in lines
    assert "- 5 documents beside the library files, 3 attached to papers by file name" in lines
    assert sqlite3.connect(zotero / "zotero.sqlite").execute("SELECT count(*) FROM items").fetchone() == (3,)
