"""CSL-JSON and RIS exports, read back by tuireader's own readers, give the same papers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import acl_slice
from tuireader.cite import format_many
from tuireader.cite.facts import Kind, container_of, doi_of, is_arxiv_container, kind_of, page_range, year_of
from tuireader.corpus.library import Library, load_library
from tuireader.corpus.model import Paper
from tuireader.corpus.readers import csl_json, ris

READERS = {"csl-json": csl_json.read, "ris": ris.read}


def _shape(kind: Kind) -> Kind:
    # Formats with no "proceedings" or "manual" type carry them as books; each cites the same way.
    return {Kind.PROCEEDINGS: Kind.BOOK, Kind.MANUAL: Kind.OTHER}.get(kind, kind)


def facts(paper: Paper) -> dict[str, object]:
    container = container_of(paper)
    return {
        "title": paper.title,
        "authors": [(a.family, a.given, a.literal) for a in paper.authors],
        "year": year_of(paper),
        "venue": "" if is_arxiv_container(container) else container,
        "volume": paper.volume,
        "issue": paper.number if kind_of(paper) is not Kind.REPORT else None,
        "pages": page_range(paper),
        "doi": doi_of(paper),
        "url": paper.url or paper.arxiv_url,
        "arxiv": paper.arxiv_id,
        "abstract": " ".join(paper.abstract.text.split()),
        "type": _shape(kind_of(paper)),
    }


def round_trip(papers: list[Paper], style: str, tmp_path: Path) -> list[Paper]:
    text = format_many(papers, style)
    path = tmp_path / f"export.{style}"
    path.write_text(text, encoding="utf-8")
    result = READERS[style](text, str(path))
    assert not list(result.problems)
    return result.records


@pytest.fixture(scope="module")
def acl(tmp_path_factory: pytest.TempPathFactory) -> Library:
    folder = tmp_path_factory.mktemp("acl")
    return load_library([acl_slice(folder, 400)], cache=False)


@pytest.mark.parametrize("style", list(READERS))
def test_bundled_corpus_survives_the_round_trip(style: str, tmp_path: Path) -> None:
    papers = list(load_library().papers)
    back = round_trip(papers, style, tmp_path)
    assert [facts(paper) for paper in back] == [facts(paper) for paper in papers]


@pytest.mark.parametrize("style", list(READERS))
def test_acl_anthology_slice_survives_the_round_trip(acl: Library, style: str, tmp_path: Path) -> None:
    papers = list(acl.papers)
    assert {kind_of(paper) for paper in papers} >= {Kind.PAPER, Kind.PROCEEDINGS}
    back = round_trip(papers, style, tmp_path)
    assert len(back) == len(papers)
    for before, after in zip(papers, back, strict=True):
        assert facts(after) == facts(before), before.citation_key


@pytest.mark.parametrize("style", list(READERS))
def test_editors_survive_the_round_trip(acl: Library, style: str, tmp_path: Path) -> None:
    papers = [paper for paper in acl.papers if paper.editors]
    back = round_trip(papers, style, tmp_path)
    assert [after.editors for after in back] == [before.editors for before in papers]


def test_csl_json_writes_editors_genre_and_number() -> None:
    from tuireader.corpus.model import Author

    thesis = Paper(
        title="T", authors=(Author("Lee", "Ann"),), year=2015, school="U", entry_type="mastersthesis"
    )
    report = Paper(title="R", year=2003, number="TR-05", institution="I", entry_type="techreport")
    chapter = Paper(
        title="C", editors=(Author("Rustin", "Randall"),), booktitle="B", entry_type="incollection"
    )
    items = json.loads(format_many([thesis, report, chapter], "csl-json"))
    assert items[0]["type"] == "thesis" and items[0]["genre"] == "Master's thesis"
    assert items[0]["publisher"] == "U"
    assert items[1]["number"] == "TR-05" and "issue" not in items[1]
    assert items[2]["editor"] == [{"family": "Rustin", "given": "Randall"}]


def test_ris_writes_editors_as_secondary_authors_and_pages_apart() -> None:
    from tuireader.corpus.model import Author

    chapter = Paper(
        title="C",
        authors=(Author("King Jr.", "Martin Luther"),),
        editors=(Author("Rustin", "Randall"),),
        booktitle="B",
        pages="155--188",
        entry_type="incollection",
    )
    lines = format_many([chapter], "ris").splitlines()
    assert lines[0] == "TY  - CHAP"
    assert "AU  - King, Martin Luther, Jr." in lines
    assert "A2  - Rustin, Randall" in lines
    assert "SP  - 155" in lines and "EP  - 188" in lines
    assert lines[-1] == "ER  - "


def test_reading_list_is_a_task_list_in_the_order_given() -> None:
    from tuireader.corpus.model import Author

    first = Paper(title="B *star*", authors=(Author("Lee", "Ann"),), year=2020, journal="J", doi="10.1/x")
    second = Paper(title="A", arxiv_id="2401.00001", year=2024)
    assert format_many([first, second], "reading-list") == (
        "- [ ] [B \\*star\\*](https://doi.org/10.1/x) — Ann Lee (*J*, 2020)\n"
        "- [ ] [A](https://arxiv.org/abs/2401.00001) (*arXiv*, 2024)"
    )
