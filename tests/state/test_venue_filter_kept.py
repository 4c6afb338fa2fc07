"""The venue filter is kept with saved searches and the session, and a database from before it
was kept is upgraded with its searches intact."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tuireader.state import SavedSearch, Session, StateStore
from tuireader.state.backup import backup_document, parse_backup
from tuireader.state.schema import MIGRATIONS

VENUES = ("Annual Meeting of the Association for Computational Linguistics", "EMNLP")


def test_saved_searches_and_the_session_keep_the_venue_filter(tmp_path: Path) -> None:
    with StateStore.open(tmp_path / "state.sqlite3") as store:
        store.save_search(3, SavedSearch("acl", "parsing", (), (2019, 2021), "year", VENUES))
        store.remember_session(Session("parsing", (), None, "relevance", "p1", ("key:p1",), VENUES))
    with StateStore.open(tmp_path / "state.sqlite3") as store:
        assert store.saved_searches()[3].venues == VENUES
        session = store.last_session()
        assert session is not None and session.venues == VENUES
        backup = parse_backup(store.export_json())
    assert backup.saved_searches is not None and backup.saved_searches[3].venues == VENUES
    assert backup.session is not None and backup.session.venues == VENUES


def test_a_first_version_database_is_upgraded_keeping_its_searches(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    db = sqlite3.connect(path)
    db.executescript(MIGRATIONS[0])  # the tables as the first version made them
    db.execute("INSERT INTO schema_version VALUES (1)")
    db.execute("INSERT INTO saved_searches VALUES (1, 'old', 'attention', '[]', 2017, 2017, 'relevance')")
    db.commit()
    db.close()
    with StateStore.open(path) as store:
        search = store.saved_searches()[1]
        assert (search.query, search.years, search.venues) == ("attention", (2017, 2017), ())
        store.save_search(1, SavedSearch("new", "attention", venues=VENUES[:1]))
        assert store.saved_searches()[1].venues == VENUES[:1]


def test_a_backup_without_venues_reads_as_no_venue_filter() -> None:
    document = backup_document(parse_backup({"format": "tuireader-state", "version": 1}))
    document["saved_searches"] = [{"slot": 2, "name": "x", "query": "q"}]
    assert parse_backup(document).saved_searches == {2: SavedSearch("x", "q")}
