from __future__ import annotations

import copy
import json
import subprocess
import sys

import pytest

from tuireader.cli import state_commands
from tuireader.corpus.model import Paper
from tuireader.state import (
    BadBackup,
    PaperState,
    ReadStatus,
    SavedSearch,
    Session,
    StateFilter,
    StateStore,
    papers_matching,
    split_state_terms,
    status_counts,
    tag_counts,
)


def _library(count: int) -> list[Paper]:
    return [
        Paper(
            title=f"Synthetic paper number {n}",
            year=1990 + n % 30,
            doi=f"10.9999/{n}" if n % 3 == 0 else None,
            arxiv_id=f"2101.{n:05d}" if n % 5 == 0 else None,
            citation_key=f"author{n}",
            id=f"author{n}",
        )
        for n in range(count)
    ]


def test_state_of_100k_papers_is_read_with_one_query(store):
    papers = _library(100_000)
    store.mark_papers(papers[::100])
    for paper in papers[:30]:
        store.set_star(paper)
    store.add_tag(papers[7], "seven")
    store.set_note(
        Paper(title="Synthetic paper number 8", year=1998, citation_key="renamed"), "found by title"
    )
    statements: list[str] = []
    store._db.set_trace_callback(statements.append)
    states = store.states_for(papers)
    store._db.set_trace_callback(None)
    assert len(statements) == 1
    assert len(states) == 1000 + 29  # paper 0 is both marked and starred
    assert states["author7"] == PaperState(starred=True, tags=frozenset({"seven"}))
    assert states["author8"].note == "found by title"
    assert states["author100"].marked and not states["author100"].starred


def _fill(store: StateStore) -> None:
    papers = _library(20)
    store.set_star(papers[0])
    store.set_status(papers[1], ReadStatus.TO_READ)
    store.add_tag(papers[2], "a")
    store.add_tag(papers[2], "b c")
    store.set_note(papers[3], "[b]markup[/b] stays text\n\x00")
    store.mark_papers(papers[4:6])
    store.save_search(2, SavedSearch("two", "q", ("Smith, J",), (2000, 2010), "year"))
    store.remember_session(Session("q", ("Smith, J",), None, "title", "author3", ("key:author3",)))


def test_export_then_import_round_trip_is_equal(tmp_path):
    with StateStore.open(tmp_path / "one.sqlite3") as one:
        _fill(one)
        exported = one.export_json()
    text = json.dumps(exported)
    with StateStore.open(tmp_path / "two.sqlite3") as two:
        summary = two.import_json(json.loads(text))
        assert summary.papers_added == 6
        assert two.export_json() == exported
        again = two.import_json(json.loads(text))  # importing twice changes nothing
        assert again.papers_added == 0
        assert two.export_json() == exported
    assert exported["format"] == "tuireader-state"
    assert exported["version"] == 1


def test_a_merging_import_keeps_what_is_here(store):
    paper = _library(1)[0]
    store.set_status(paper, "read")
    store.set_note(paper, "mine")
    store.add_tag(paper, "here")
    store.save_search(1, SavedSearch("mine"))
    backup = {
        "format": "tuireader-state",
        "version": 1,
        "papers": [
            {
                "identities": ["key:author0"],
                "starred": True,
                "status": "to-read",
                "tags": ["there"],
                "note": "theirs",
                "marked": False,
            }
        ],
        "saved_searches": [{"slot": 1, "name": "theirs"}, {"slot": 2, "name": "new"}],
        "session": None,
    }
    store.import_json(backup)
    assert store.state_of(paper) == PaperState(True, ReadStatus.READ, frozenset({"here", "there"}), "mine")
    assert store.saved_searches() == {1: SavedSearch("mine"), 2: SavedSearch("new")}
    store.import_json(backup, merge=False)
    assert store.state_of(paper) == PaperState(True, ReadStatus.TO_READ, frozenset({"there"}), "theirs")
    assert store.saved_searches() == {1: SavedSearch("theirs"), 2: SavedSearch("new")}


@pytest.mark.parametrize(
    "document",
    [
        [],
        {"format": "something else"},
        {"format": "tuireader-state", "version": 2},
        {"format": "tuireader-state", "version": 1, "papers": [{"identities": ["nonsense"]}]},
        {"format": "tuireader-state", "version": 1, "papers": [{"identities": ["key:x"], "status": "meh"}]},
        {"format": "tuireader-state", "version": 1, "papers": [{"identities": ["key:x"], "starred": "yes"}]},
        {"format": "tuireader-state", "version": 1, "saved_searches": [{"slot": 0, "name": "x"}]},
    ],
)
def test_an_invalid_backup_changes_nothing(store, document):
    store.set_star(_library(1)[0])
    before = store.export_json()
    with pytest.raises(BadBackup):
        store.import_json(copy.deepcopy(document))
    assert store.export_json() == before


def test_state_terms_split_off_a_query_and_filter_papers(store):
    papers = _library(6)
    store.set_star(papers[0])
    store.set_status(papers[1], "to-read")
    store.add_tag(papers[1], "Deep Learning")
    store.set_note(papers[2], "Über clever trick")
    store.set_marked(papers[3])
    states = store.states_for(papers)

    rest, terms = split_state_terms('transformers is:starred year tag:"deep  learning" is:weird')
    assert rest == "transformers year is:weird"
    assert terms == StateFilter(starred=True, tags=("deep learning",))
    assert papers_matching(papers, states, split_state_terms("is:starred")[1]) == [papers[0]]
    assert papers_matching(papers, states, split_state_terms("is:toread tag:deep learning")[1]) == []
    assert papers_matching(papers, states, split_state_terms('is:to-read tag:"deep learning"')[1]) == [
        papers[1]
    ]
    assert papers_matching(papers, states, split_state_terms("note:uber note:cle")[1]) == [papers[2]]
    assert papers_matching(papers, states, split_state_terms("is:marked")[1]) == [papers[3]]
    assert len(papers_matching(papers, states, split_state_terms("is:unread")[1])) == 5
    assert papers_matching(papers, states, StateFilter()) == papers
    assert tag_counts(states) == {"Deep Learning": 1}
    assert status_counts([paper.id for paper in papers], states)[ReadStatus.UNREAD] == 5
    assert split_state_terms("is:starred note:x")[1].describe() == "starred, note: x"


def test_cli_export_to_a_file_and_import_it(tmp_path, capsys):
    with StateStore.open() as store:
        _fill(store)
        expected = store.export_json()
    target = tmp_path / "backup.json"
    code = state_commands.run_state(_args(action="export", output=str(target)))
    assert code == 0
    assert json.loads(target.read_text(encoding="utf-8")) == expected
    assert state_commands.run_state(_args(action="export", output=None)) == 0
    assert json.loads(capsys.readouterr().out) == expected

    with StateStore.open() as store:
        store.clear_marks()
    assert state_commands.run_state(_args(action="import", file=str(target), replace=True)) == 0
    with StateStore.open() as store:
        assert store.export_json() == expected
    assert "imported" in capsys.readouterr().err


def test_cli_reports_a_bad_backup_in_one_line(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "nope"}', encoding="utf-8")
    assert state_commands.run_state(_args(action="import", file=str(bad), replace=False)) == 2
    assert capsys.readouterr().err.strip() == "tuireader: this is not a tuireader state backup"
    assert (
        state_commands.run_state(_args(action="import", file=str(tmp_path / "missing"), replace=False)) == 2
    )
    assert "cannot read" in capsys.readouterr().err


def test_the_state_package_never_loads_textual():
    check = (
        "import sys, tuireader.state, tuireader.cli.state_commands; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'textual'))"
    )
    result = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def _args(**values):
    import argparse

    return argparse.Namespace(**values)


def test_cli_options_parse():
    import argparse

    (command,) = state_commands.COMMANDS
    parser = argparse.ArgumentParser(prog="tuireader state")
    command.configure(parser)
    assert parser.parse_args(["export", "-o", "out.json"]).output == "out.json"
    parsed = parser.parse_args(["import", "in.json", "--replace"])
    assert (parsed.action, parsed.file, parsed.replace) == ("import", "in.json", True)
    with pytest.raises(SystemExit):
        parser.parse_args([])
