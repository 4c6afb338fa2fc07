"""`tuireader search`, `related` and `index`, run in-process on the bundled corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tuireader.cli import main
from tuireader.corpus.library import load_library
from tuireader.index import SearchEngine


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict:
    assert main([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_search_json_has_ids_titles_scores_fields_and_facets(capsys: pytest.CaptureFixture[str]) -> None:
    found = run_json(capsys, "search", "jailbreaks")
    assert found["total"] == 2 and found["notice"] is None
    assert sorted(r["id"] for r in found["results"]) == ["2501.18837", "wangjailbreak"]
    first = found["results"][0]
    assert first["title"].startswith("Constitutional Classifiers")
    assert first["score"] > 0 and first["matched_fields"] == ["title", "abstract"]
    authors = {a["name"]: a["count"] for a in found["facets"]["authors"]}
    assert authors["Mu, Jesse"] == 2 and authors["Tong, Meg"] == 1
    assert found["facets"]["years"] == [{"year": 2025, "count": 1}]


def test_search_filters_by_typed_author_names_and_years(capsys: pytest.CaptureFixture[str]) -> None:
    found = run_json(capsys, "search", "", "--author", "Goodman", "--limit", "0")
    assert sorted(r["id"] for r in found["results"]) == [
        "muemergent",
        "mulearning",
        "wangcalibrate",
        "yucharacterizing",
    ]
    assert found["facets"]["authors"][0] == {
        "name": "Goodman, Noah D.",
        "key": found["facets"]["authors"][0]["key"],
        "count": 4,
    }
    found = run_json(capsys, "search", "", "--author", "noah goodman", "--author", "Jesse Mu")
    assert found["total"] == 4
    found = run_json(capsys, "search", "models", "--year", "2023..2024", "--sort", "year")
    years = [r["year"] for r in found["results"]]
    assert years and years == sorted(years, reverse=True) and set(years) <= {2023, 2024}


def test_unknown_or_ambiguous_authors_are_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "x", "--author", "Nobody"]) == 1
    assert "no author" in capsys.readouterr().err
    assert main(["search", "x", "--author", "Wang"]) == 1
    assert "could be any of" in capsys.readouterr().err


def test_search_text_output_and_notices(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "(jailbreak"]) == 0
    captured = capsys.readouterr()
    assert "not understood" in captured.err
    assert "2501.18837" in captured.out and "2 papers match" in captured.out


def test_related_and_index(capsys: pytest.CaptureFixture[str]) -> None:
    related = run_json(capsys, "related", "2501.18837")
    assert related["related"][0]["id"] == "wangjailbreak"
    assert main(["related", "no-such-id"]) == 1
    capsys.readouterr()
    assert main(["index"]) == 0
    assert "papers" in capsys.readouterr().err
    assert main(["index", "--rebuild"]) == 0
    assert "papers/s" in capsys.readouterr().err


def test_corpus_text_never_reaches_the_terminal_as_escapes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    library = tmp_path / "evil.json"
    evil = "Evil \x1b]52;c;aGk=\x07 \x1b[31mred\x1b[0m title \x9b31m"
    items = [
        {
            "id": "evil",
            "type": "article-journal",
            "title": evil,
            "abstract": f"An abstract {evil} evil.",
            "author": [{"family": "Mal\x1bory", "given": "Eve"}],
            "issued": {"date-parts": [[2024]]},
        }
    ]
    library.write_text(json.dumps(items))
    for argv in (
        ["search", "evil", "--corpus", str(library)],
        ["search", "evil", "--json", "--corpus", str(library)],
    ):
        assert main(argv) == 0
        captured = capsys.readouterr()
        assert "evil" in captured.out.lower()
        for control in ("\x1b", "\x07", "\x9b"):
            assert control not in captured.out and control not in captured.err


def test_a_query_given_whole_does_not_complete_its_last_word(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """`jail` while typing also finds jailbreak papers; given on the command line it is a word."""
    with SearchEngine.open(load_library(), cache_dir=tmp_path) as engine:
        assert engine.search("jail", limit=None).total > 0
        assert engine.search("jail", limit=None, typing=False).total == 0
    assert run_json(capsys, "search", "jail")["total"] == 0
    assert run_json(capsys, "search", "jailbreak")["total"] > 0
