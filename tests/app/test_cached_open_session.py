"""The last session's paper is found for the first paint without rebuilding a large library's
papers: by id, or by citation key or arXiv id looked up directly; a paper from another library
(the last session was elsewhere) costs no scan of this one."""

from __future__ import annotations

import pytest

from tests.conftest import acl_slice
from tuireader.app import reading_state
from tuireader.app.reading_state import StartingState
from tuireader.corpus.library import Library, load_library
from tuireader.corpus.snapshot import PaperTable
from tuireader.state import Session, StateStore, identities


def _rebuilt(library: Library) -> int:
    assert isinstance(library.papers, PaperTable)
    return sum(paper is not None for paper in library.papers._papers)


def _start(library: Library, session: Session) -> StartingState:
    store = StateStore.open()
    store.remember_session(session)
    store.close()
    return StartingState.read(library)


@pytest.fixture
def kept(tmp_path, monkeypatch):
    library_file = acl_slice(tmp_path, 300)
    load_library([library_file])
    monkeypatch.setattr(reading_state, "SESSION_SCAN_AT_MOST", 100)  # 300 papers: a large library
    library = load_library([library_file])
    assert _rebuilt(library) == 0
    return library


def test_a_paper_of_another_library_costs_no_scan(kept):
    session = Session(cursor_id="elsewhere-2020", cursor=("key:elsewhere-2020", "title:2020:other paper"))
    start = _start(kept, session)
    start.store.close()
    assert start.session_paper is None
    assert _rebuilt(kept) == 0


def test_a_paper_whose_id_changed_is_found_by_its_citation_key(kept):
    paper = kept.papers[120]
    cursor = identities(paper)
    assert any(key.startswith("key:") for key in cursor)
    start = _start(kept, Session(cursor_id="an-id-from-before", cursor=cursor))
    start.store.close()
    assert start.session_paper == paper.id
    assert _rebuilt(kept) == 1


def test_a_small_library_is_still_scanned_by_title(tmp_path):
    library_file = acl_slice(tmp_path, 50)
    library = load_library([library_file])
    paper = library.papers[30]
    by_title = tuple(key for key in identities(paper) if key.startswith("title:"))
    start = _start(library, Session(cursor_id="gone", cursor=by_title))
    start.store.close()
    assert start.session_paper == paper.id
