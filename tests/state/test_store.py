from __future__ import annotations

import sqlite3

import pytest

from tuireader.corpus.model import Paper
from tuireader.state import (
    DEFAULT_STATE,
    PaperState,
    ReadStatus,
    SavedSearch,
    Session,
    StateStore,
    StateUnavailable,
    default_path,
)

PAPER = Paper(title="Attention Is All You Need", year=2017, citation_key="vaswani2017", id="vaswani2017")


def test_default_location_is_the_user_data_folder(isolated_user_dirs):
    with StateStore.open() as store:
        assert store.path == default_path()
        assert store.path.name == "state.sqlite3"
        assert str(store.path).startswith(str(isolated_user_dirs / "data"))
        assert store.notice is None


def test_the_database_uses_wal_foreign_keys_and_a_schema_version(store):
    db = sqlite3.connect(store.path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("SELECT version FROM schema_version").fetchall() == [(2,)]
    db.close()
    assert store._db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store._db.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000


def test_a_paper_never_touched_has_the_default_state(store):
    assert store.state_of(PAPER) == DEFAULT_STATE
    assert not store.state_of(PAPER)


def test_each_setter_returns_the_new_state(store):
    assert store.set_star(PAPER).starred
    assert store.set_status(PAPER, "to-read").status is ReadStatus.TO_READ
    assert store.add_tag(PAPER, "  deep   learning ").tags == {"deep learning"}
    assert store.add_tag(PAPER, "nlp").tags == {"deep learning", "nlp"}
    assert store.remove_tag(PAPER, "deep learning").tags == {"nlp"}
    assert store.set_note(PAPER, "# Notes\n\nread *twice*").note == "# Notes\n\nread *twice*"
    assert store.set_marked(PAPER).marked
    assert store.state_of(PAPER) == PaperState(
        starred=True,
        status=ReadStatus.TO_READ,
        tags=frozenset({"nlp"}),
        note="# Notes\n\nread *twice*",
        marked=True,
    )


def test_bad_values_are_refused(store):
    with pytest.raises(ValueError):
        store.set_status(PAPER, "skimmed")
    with pytest.raises(ValueError):
        store.add_tag(PAPER, "   ")
    with pytest.raises(ValueError):
        store.set_star(Paper(id="nothing"))
    with pytest.raises(ValueError):
        store.save_search(10, SavedSearch("too far"))


def test_notes_are_kept_exactly_as_given(store):
    note = "[bold red]not markup[/] \x1b[31m \x00 nul \u202e rtl ```code```\r\n"
    store.set_note(PAPER, note)
    assert store.state_of(PAPER).note == note


def test_state_back_to_the_defaults_is_not_kept(store):
    store.set_star(PAPER)
    store.add_tag(PAPER, "x")
    store.set_star(PAPER, False)
    store.remove_tag(PAPER, "x")
    assert store._db.execute("SELECT count(*) FROM records").fetchone() == (0,)
    assert store._db.execute("SELECT count(*) FROM identities").fetchone() == (0,)
    store.remove_tag(PAPER, "never there")
    assert store._db.execute("SELECT count(*) FROM records").fetchone() == (0,)


def test_state_survives_closing_and_reopening(tmp_path):
    path = tmp_path / "state.sqlite3"
    with StateStore.open(path) as store:
        store.set_star(PAPER)
        store.add_tag(PAPER, "transformers")
        store.set_note(PAPER, "Read §3 again.")
        store.set_marked(PAPER)
        store.save_search(3, SavedSearch("mine", "attention", ("Vaswani, Ashish",), (2015, 2020), "year"))
        store.remember_session(
            Session("attention", (), (2017, 2017), "title", "vaswani2017", ("key:vaswani2017",))
        )
    with StateStore.open(path) as store:
        assert store.state_of(PAPER) == PaperState(
            True, ReadStatus.UNREAD, frozenset({"transformers"}), "Read §3 again.", True
        )
        assert store.saved_searches() == {
            3: SavedSearch("mine", "attention", ("Vaswani, Ashish",), (2015, 2020), "year")
        }
        assert store.last_session() == Session(
            "attention", (), (2017, 2017), "title", "vaswani2017", ("key:vaswani2017",)
        )


def test_state_reattaches_when_the_citation_key_changes_but_the_doi_stays(store):
    before = Paper(
        title="Deep Residual Learning", year=2016, doi="10.1109/CVPR.2016.90", citation_key="he2016deep"
    )
    store.set_star(before)
    store.add_tag(before, "vision")
    after = Paper(
        title="Deep residual learning for image recognition",
        year=2016,
        doi="https://doi.org/10.1109/cvpr.2016.90",
        citation_key="He_2016_CVPR",
    )
    assert store.state_of(after).starred
    assert store.state_of(after).tags == {"vision"}


def test_state_reattaches_after_the_paper_gains_a_doi(store):
    before = Paper(title="A Study of Things", year=2020, citation_key="smith2020study")
    store.set_status(before, ReadStatus.READ)
    after = Paper(title="A Study of Things", year=2020, citation_key="smith2020study", doi="10.5555/things")
    assert store.state_of(after).status is ReadStatus.READ
    store.add_tag(after, "later")  # the record learns the DOI …
    moved = Paper(
        title="A study of things (extended)", year=2021, citation_key="smith2021", doi="10.5555/THINGS"
    )
    assert store.state_of(moved).status is ReadStatus.READ  # … so only the DOI is needed now


def test_state_is_found_by_title_when_the_key_changes_and_there_is_no_doi(store):
    store.set_star(Paper(title="On Things: A Survey", year=2019, citation_key="old"))
    assert store.state_of(Paper(title="On things — a survey", year=2019, citation_key="new")).starred
    assert not store.state_of(Paper(title="On Things: A Survey", year=2020, citation_key="other")).starred


def test_two_versions_sharing_an_arxiv_id_keep_their_own_state(store):
    preprint_key = "arxiv:2101.00001"
    journal = Paper(title="X", year=2022, arxiv_id="2101.00001", doi="10.1/journal", citation_key="a")
    proceedings = Paper(title="X", year=2021, arxiv_id="2101.00001v2", doi="10.1/proc", citation_key="b")
    store.set_star(journal)
    assert not store.state_of(proceedings).starred
    store.set_status(proceedings, "read")
    assert store.state_of(journal) == PaperState(starred=True)
    assert store.state_of(proceedings) == PaperState(status=ReadStatus.READ)
    rows = store._db.execute("SELECT count(*) FROM identities WHERE identity = ?", (preprint_key,)).fetchone()
    assert rows == (2,)


def test_a_key_handed_to_another_paper_no_longer_points_here(store):
    store.set_star(Paper(title="First", year=2020, doi="10.1/first", citation_key="smith2020"))
    renamed = Paper(title="First", year=2020, doi="10.1/first", citation_key="smith2020a")
    store.add_tag(renamed, "x")  # a write under the new key forgets the old one
    newcomer = Paper(title="Second", year=2020, citation_key="smith2020")
    assert store.state_of(newcomer) == DEFAULT_STATE


def test_marks_are_kept_and_cleared(tmp_path):
    papers = [Paper(title=f"Paper {n}", year=2000 + n, citation_key=f"k{n}", id=f"k{n}") for n in range(10)]
    path = tmp_path / "state.sqlite3"
    with StateStore.open(path) as store:
        assert store.mark_papers(papers[:4]) == 4
        store.set_star(papers[0])
        store.set_marked(papers[3], False)
    with StateStore.open(path) as store:
        assert store.marked_papers(papers) == papers[:3]
        assert store.mark_count() == 3
        assert store.clear_marks() == 3
        assert store.marked_papers(papers) == []
        assert store.state_of(papers[0]) == PaperState(starred=True)
        assert store._db.execute("SELECT count(*) FROM records").fetchone() == (1,)


def test_saved_searches_by_slot(store):
    store.save_search(1, SavedSearch("a"))
    store.save_search(9, SavedSearch("b", "query", sort="year"))
    store.save_search(1, SavedSearch("c", authors=("x", "y")))
    assert store.saved_searches() == {
        1: SavedSearch("c", authors=("x", "y")),
        9: SavedSearch("b", "query", sort="year"),
    }
    assert list(store.saved_searches()) == [1, 9]
    assert store.delete_search(1)
    assert not store.delete_search(1)
    assert list(store.saved_searches()) == [9]


def test_last_session_is_replaced(store):
    assert store.last_session() is None
    store.remember_session(Session("one"))
    store.remember_session(Session("two", cursor_id="x", cursor=("key:x",)))
    assert store.last_session() == Session("two", cursor_id="x", cursor=("key:x",))


def test_a_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(StateUnavailable, match="does not exist"):
        StateStore.open(tmp_path / "nowhere" / "state.sqlite3")


def test_a_folder_that_cannot_be_created_is_a_clear_error(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker / "data"))
    with pytest.raises(StateUnavailable, match="cannot create"):
        StateStore.open()


def test_a_path_that_is_a_folder_is_a_clear_error(tmp_path):
    with pytest.raises(StateUnavailable):
        StateStore.open(tmp_path)


def test_a_read_only_folder_is_a_clear_error(tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        probe = folder / "probe"
        try:
            probe.write_text("")
        except PermissionError:
            pass
        else:
            pytest.skip("this user can write to read-only folders")
        with pytest.raises(StateUnavailable):
            StateStore.open(folder / "state.sqlite3")
    finally:
        folder.chmod(0o700)


def test_a_newer_database_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "state.sqlite3"
    StateStore.open(path).close()
    db = sqlite3.connect(path)
    db.execute("UPDATE schema_version SET version = 99")
    db.commit()
    db.close()
    with pytest.raises(StateUnavailable, match="newer"):
        StateStore.open(path)
    assert path.exists()
    assert list(tmp_path.glob("*damaged*")) == []
