"""Better BibTeX JSON: the 400 real exports load, item for item, and what Zotero stored arrives."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from tests.formats.corpora import corpus, write
from tuireader.corpus.library import Library, load_library
from tuireader.corpus.readers import bbt_json

_NOT_WORKS = {"note", "attachment", "annotation"}


def expected_items(path: Path) -> int | None:
    """Works in an export, counted straight from the JSON; None when it is no BBT export."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        return None
    return sum(
        1
        for item in data["items"]
        if isinstance(item, dict)
        and isinstance(item.get("itemType"), str)
        and item["itemType"] not in _NOT_WORKS
        and not item.get("deleted")
    )


@pytest.fixture(scope="module")
def exports() -> tuple[Path, Library]:
    folder = corpus("bbt-json")
    return folder, load_library([folder], cache=False, merge=False)


def test_every_export_is_read_item_for_item_or_reported_in_one_line(exports):
    folder, library = exports
    files = sorted(folder.glob("*.json"))
    assert len(files) == 400
    read_from = Counter(paper.sources[0].path for paper in library.papers)
    reported = Counter(problem.path for problem in library.problems)
    counted = 0
    for path in files:
        expected = expected_items(path)
        shown = str(path)
        if expected is None:
            # Not an export of items (a JSON-RPC answer holding BibTeX, say): read as what it is,
            # or named once.
            assert shown in library.files_read or reported[shown] == 1, shown
            continue
        counted += expected
        if expected:
            assert read_from[shown] == expected, shown
        else:
            assert reported[shown] == 1, shown
    assert counted > 2300
    assert [p for p in library.problems if p.path.endswith(".json")] == [
        p for p in library.problems if p.message.startswith("no papers")
    ]


def test_a_book_section_keeps_what_zotero_stored(exports):
    folder, library = exports
    shown = str(folder / "Collected notes.json")
    [paper] = [p for p in library.papers if p.sources[0].path == shown and p.title == "Intrinsic Information"]
    assert paper.entry_type == "incollection"
    assert [a.display_name for a in paper.authors] == ["Collier, John"]
    assert [a.display_name for a in paper.editors] == ["Hanson, Philip P."]
    assert (paper.booktitle, paper.venue) == ("Information, language, and cognition",) * 2
    assert (paper.publisher, paper.address, paper.year) == (
        "University of British Columbia Press",
        "Vancouver",
        1990,
    )
    assert paper.isbn == "0774803274; 08470502"
    assert "Language and languages" in paper.keywords
    [record] = paper.records
    assert (record.format, record.entry_type, record.key) == ("zotero", "bookSection", "Collier1990")


def test_attachments_become_the_file_field_beside_the_export(exports):
    folder, library = exports
    attached = [p for p in library.papers if p.file and "Adams_Huaynaputina.pdf" in p.file]
    assert attached
    assert all(p.file == str(folder / "attachments" / "Adams_Huaynaputina.pdf") for p in attached)


def test_types_roles_notes_collections_and_deleted_items(tmp_path):
    export = {
        "config": {"label": "BetterBibTeX JSON"},
        "collections": {
            "A": {"name": "Thesis", "collections": ["B"], "items": []},
            "B": {"name": "Chapter 2", "collections": [], "items": [1]},
        },
        "items": [
            {
                "itemID": 1,
                "itemType": "thesis",
                "title": "On  Things",
                "type": "Master's thesis",
                "university": "Uni",
                "date": "2019-05-03",
                "citationKey": "doe2019",
                "creators": [{"creatorType": "author", "lastName": "Doe", "firstName": "Jo"}],
                "notes": ["<p>first &amp; best</p><p>second</p>"],
                "extra": ["arXiv: 1901.00001", "free words"],
            },
            {"itemID": 2, "itemType": "journalArticle", "title": "Gone", "deleted": True},
            {"itemID": 3, "itemType": "note", "note": "<p>loose</p>"},
            "not an item",
            {
                "itemID": 5,
                "itemType": "computerProgram",
                "title": "Tool",
                "citekey": "tool",
                "creators": [{"creatorType": "programmer", "name": "The Team"}],
            },
        ],
    }
    path = write(tmp_path, "library.json", json.dumps(export, indent=2))
    result = bbt_json.read(path.read_text(encoding="utf-8"), str(path))
    thesis, program = result.records
    assert (thesis.title, thesis.entry_type, thesis.school) == ("On Things", "mastersthesis", "Uni")
    assert (thesis.year, str(thesis.date), thesis.citation_key) == (2019, "2019-05-03", "doe2019")
    assert thesis.note == "first & best\nsecond"
    assert (thesis.arxiv_id, thesis.comments) == ("1901.00001", ("free words",))
    assert ("collection", "Thesis / Chapter 2") in thesis.records[0].fields
    assert [a.literal for a in program.authors] == ["The Team"]
    assert program.citation_key == "tool"
    [problem] = result.problems
    assert problem.message == "item 4 is not a JSON object; skipped"
    assert problem.line == json.dumps(export, indent=2).splitlines().index('    "not an item",') + 1


def test_a_damaged_export_keeps_the_items_before_the_damage(tmp_path):
    text = (
        '{"config": {}, "items": [\n{"itemType": "book", "title": "Kept"},\n{"itemType": "book", "title": \n'
    )
    result = bbt_json.read(text, "cut.json")
    assert [p.title for p in result.records] == ["Kept"]
    [problem] = result.problems
    assert problem.line == 4 and "damaged" in problem.message  # where the text runs out
