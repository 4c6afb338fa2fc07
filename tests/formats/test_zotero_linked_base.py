"""Linked files below Zotero's "Linked Attachment Base Directory" (`attachments:…`): found
through the Zotero profile's prefs.js, and named by `tuireader check` when they cannot be."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import shared_corpus
from tests.formats import zotero_db
from tuireader.corpus.library import load_library

TUIREADER = Path(sys.executable).parent / "tuireader"


def _database(folder: Path) -> None:
    folder.mkdir(parents=True)
    connection, built = zotero_db.create(folder / "zotero.sqlite", shared_corpus("zotero-schema"))
    writer = zotero_db.Writer(connection, built)
    writer.add(
        "journalArticle",
        {"title": "Linked below the base"},
        attachments=[("linked_file", "application/pdf", "attachments:Papers/linked.pdf")],
    )
    connection.commit()
    connection.close()


def _profile(home: Path, data_folder: Path, base: Path) -> None:
    profile = home / ".zotero" / "zotero" / "x1y2z3.default"
    profile.mkdir(parents=True)
    prefs = [
        "// Mozilla User Preferences\n",
        f'user_pref("extensions.zotero.dataDir", {json.dumps(str(data_folder))});\n',
        f'user_pref("extensions.zotero.baseAttachmentPath", {json.dumps(str(base))});\n',
        'user_pref("extensions.zotero.useDataDir", true);\n',
    ]
    (profile / "prefs.js").write_text("".join(prefs), encoding="utf-8")


def test_a_linked_file_is_found_below_the_profiles_base_folder(tmp_path: Path, monkeypatch) -> None:
    home, data = tmp_path / "home", tmp_path / "data" / "Zotero"
    base = tmp_path / "My Papers"
    (base / "Papers").mkdir(parents=True)
    (base / "Papers" / "linked.pdf").write_bytes(b"%PDF-1.4\n")
    _database(data)
    _profile(home, data, base)
    monkeypatch.setenv("HOME", str(home))
    [paper] = load_library([data], cache=False).papers
    assert paper.file == str(base / "Papers" / "linked.pdf")


def test_a_base_folder_set_later_is_seen_through_the_parse_cache(tmp_path: Path, monkeypatch) -> None:
    home, data, cache = tmp_path / "home", tmp_path / "data" / "Zotero", tmp_path / "cache"
    home.mkdir()
    _database(data)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    [paper] = load_library([data]).papers
    assert paper.file == "attachments:Papers/linked.pdf"
    base = tmp_path / "My Papers"
    _profile(home, data, base)  # the user sets the base folder in Zotero; the database is unchanged
    [paper] = load_library([data]).papers
    assert paper.file == str(base / "Papers" / "linked.pdf")


def test_check_names_linked_files_whose_base_folder_is_unknown(tmp_path: Path) -> None:
    home, data = tmp_path / "home", tmp_path / "Zotero"
    home.mkdir()
    _database(data)
    environment = {**os.environ, "HOME": str(home)}
    done = subprocess.run(
        [str(TUIREADER), "check", "--corpus", str(data)],
        capture_output=True,
        text=True,
        timeout=120,
        env=environment,
    )
    assert "Traceback" not in done.stdout + done.stderr
    assert "attachments: 0 found, 1 missing" in done.stdout
    assert "1 linked file below Zotero's linked attachment base folder, which was not found" in done.stdout


@pytest.mark.parametrize("data_dir", ["elsewhere", None])
def test_only_the_profile_of_this_data_folder_is_used(tmp_path: Path, monkeypatch, data_dir) -> None:
    home, data = tmp_path / "home", tmp_path / "Zotero"
    base = tmp_path / "base"
    _database(data)
    _profile(home, tmp_path / data_dir if data_dir else home / "Zotero", base)
    monkeypatch.setenv("HOME", str(home))
    [paper] = load_library([data], cache=False).papers
    assert paper.file == "attachments:Papers/linked.pdf"  # another data folder's base is not ours
