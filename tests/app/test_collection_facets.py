"""Zotero collections as a facet: read from a Zotero database and a Better BibTeX export, searched
with `collection:` (a parent finds its children's papers), and listed beside the other facets."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.app.conftest import reader_app, ready
from tests.conftest import shared_corpus
from tests.formats import zotero_db
from tuireader.app.query_terms import facet_term, facet_terms_in, toggled
from tuireader.app.widgets.facets import ListedFacets
from tuireader.corpus.library import load_library
from tuireader.index import SearchEngine
from tuireader.index.browse import browse

# A real export whose collections nest: "Modelling methods" holds "Consensus", "Distance" …
EXPORT = "bbt-json/Export as Collected Notes does not list subcollections #1768.json"
PARENT = "Modelling methods"


@pytest.fixture
def export_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "library"
    folder.mkdir()
    shutil.copy(shared_corpus(EXPORT), folder / "export.json")
    return folder


def test_a_parent_collection_finds_its_childrens_papers(export_folder: Path, tmp_path: Path) -> None:
    library = load_library([export_folder], cache=False)
    in_parent = {p.id for p in library.papers if any(c.startswith(PARENT) for c in p.collections)}
    consensus = {p.id for p in library.papers if f"{PARENT} / Consensus" in p.collections}
    assert consensus and len(in_parent) > len(consensus)
    assert not any(PARENT in p.collections for p in library.papers)  # only its children hold papers

    with SearchEngine.open(library, cache_dir=tmp_path / "index") as engine:
        assert engine.wait_until_ready(30)
        assert set(engine.search(facet_term("collection", PARENT), limit=None).ids) == in_parent
        child = engine.search("collection:modelling_methods/consensus", limit=None)
        assert set(child.ids) == consensus
        everything = engine.search("", limit=None)
        counts = dict(everything.collection_facets)
        assert counts[PARENT] == len(in_parent)
        assert counts[f"{PARENT} / Consensus"] == len(consensus)
    # Before the index is ready the reader lists the library itself, with the same counts.
    assert dict(browse(library).collection_facets) == counts


def test_collections_of_a_zotero_database(tmp_path: Path) -> None:
    folder = tmp_path / "Zotero"
    folder.mkdir()
    connection, built = zotero_db.create(folder / "zotero.sqlite", shared_corpus("zotero-schema"))
    writer = zotero_db.Writer(connection, built)
    writer.add("journalArticle", {"title": "Background reading"}, collections=["Thesis / Chapter 2"])
    writer.add("journalArticle", {"title": "Method"}, collections=["Thesis", "Lab / Methods"])
    writer.add("journalArticle", {"title": "Unfiled"})
    connection.commit()
    connection.close()
    library = load_library([folder], cache=False)
    by_title = {paper.title: paper for paper in library.papers}
    assert by_title["Background reading"].collections == ("Thesis / Chapter 2",)
    assert by_title["Method"].collections == ("Thesis", "Lab / Methods")
    assert by_title["Unfiled"].collections == ()
    with SearchEngine.open(library, cache_dir=tmp_path / "index") as engine:
        assert engine.wait_until_ready(30)
        titles = {library.get(i).title for i in engine.search("collection:thesis", limit=None).ids}  # type: ignore[union-attr]
        assert titles == {"Background reading", "Method"}
        assert engine.search("collection:lab/methods", limit=None).total == 1
        assert dict(engine.search("").collection_facets) == {
            "Thesis": 2,
            "Thesis / Chapter 2": 1,
            "Lab": 1,
            "Lab / Methods": 1,
        }


def test_facet_terms_go_in_and_out_of_the_query() -> None:
    term = facet_term("collection", "Thesis / Chapter 2")
    assert term == "collection:thesis/chapter_2"
    assert facet_term("keyword", "machine translation") == 'keyword:"machine translation"'
    query = toggled("parsing", term)
    assert query == "parsing collection:thesis/chapter_2"
    assert facet_terms_in(query) == {"collection:thesis/chapter_2"}
    assert toggled(query, term) == "parsing"
    assert toggled('a keyword:"Machine Translation" b', 'keyword:"machine translation"') == "a b"


async def test_the_reader_lists_collections_and_keywords_and_filters_by_them(export_folder: Path) -> None:
    app = reader_app([str(export_folder)])
    async with app.run_test(size=(160, 60)) as pilot:
        main = await ready(pilot)
        collections = main.query_one("#collection-facets", ListedFacets)
        keywords = main.query_one("#keyword-facets", ListedFacets)
        assert collections.display and keywords.display
        rows = [str(collections.get_option_at_index(i).prompt) for i in range(collections.option_count)]
        parent = next(i for i, row in enumerate(rows) if row.startswith(f"  {PARENT} "))
        assert rows[parent + 1].startswith("    ")  # its children, indented under it
        total = main.results.total if main.results else 0

        collections.focus()
        collections.highlighted = parent
        await pilot.press("enter")
        main = await ready(pilot)
        assert main.search_text == "collection:modelling_methods"
        assert main.results is not None and 0 < main.results.total < total
        picked = collections.highlighted
        assert picked is not None
        assert str(collections.get_option_at_index(picked).prompt).startswith(f"✔ {PARENT} ")

        await pilot.press("enter")  # picked again: taken out of the query
        main = await ready(pilot)
        assert main.search_text == ""
        assert main.results is not None and main.results.total == total


async def test_no_collection_list_for_a_library_without_collections(tmp_path: Path) -> None:
    path = tmp_path / "plain.bib"
    path.write_text("@article{a, title = {Plain}, author = {Bo, Li}, year = 2020}\n", encoding="utf-8")
    app = reader_app([str(path)])
    async with app.run_test(size=(160, 48)) as pilot:
        main = await ready(pilot)
        assert not main.query_one("#collection-facets").display
        assert not main.query_one("#collection-title").display
        assert not main.query_one("#keyword-facets").display
