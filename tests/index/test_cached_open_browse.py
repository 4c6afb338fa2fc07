"""A cached open whose index is not current (an upgrade, a format change) lists the whole library
from counts kept at the last open, so that its first paint rebuilds no paper of a library kept
encoded; the counts are those of the papers, and are not used once the files change."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import acl_slice
from tuireader.corpus.library import Library, load_library
from tuireader.corpus.snapshot import PaperTable
from tuireader.index.browse import browse


def _rebuilt(library: Library) -> int:
    assert isinstance(library.papers, PaperTable)
    return sum(paper is not None for paper in library.papers._papers)


def _kept(library_file: Path) -> Library:
    load_library([library_file])  # writes the snapshot
    library = load_library([library_file])
    assert _rebuilt(library) == 0
    return library


def test_the_whole_library_is_listed_without_rebuilding_papers(tmp_path):
    library_file = acl_slice(tmp_path, 800)
    first = _kept(library_file)
    counted = browse(first)
    assert _rebuilt(first) == 0  # the first time, every paper is counted, in one pass

    again = _kept(library_file)
    listed = browse(again, notice="Words are searched once the index is ready")
    assert _rebuilt(again) == 0
    assert list(listed.ids) == list(counted.ids) == list(again.paper_ids)
    assert listed.total == counted.total == len(again.papers)
    assert listed.notice == "Words are searched once the index is ready"
    for facets in ("author_facets", "year_facets", "venue_facets", "keyword_facets", "category_facets"):
        assert getattr(listed, facets) == getattr(counted, facets), facets
    assert listed.author_facets and listed.year_facets and listed.venue_facets


def test_kept_counts_are_not_used_once_the_files_change(tmp_path):
    library_file = acl_slice(tmp_path, 300)
    browse(_kept(library_file))
    with library_file.open("a", encoding="utf-8") as out:
        out.write(
            "\n@inproceedings{added-2099,\n  title = {An Added Paper},\n  author = {Zyx, Quentin},\n"
            "  year = {2099},\n  booktitle = {Workshop on Added Things}\n}\n"
        )
    changed = load_library([library_file])
    listed = browse(changed)
    assert listed.total == 301
    assert (2099, 1) in listed.year_facets
    assert "added-2099" in list(listed.ids)


def test_filters_and_other_orders_still_count_the_papers(tmp_path):
    library_file = acl_slice(tmp_path, 300)
    browse(_kept(library_file))
    library = _kept(library_file)
    year = browse(library).year_facets[0][0]
    filtered = browse(library, years=(year, year))
    assert 0 < filtered.total < len(library.papers)
    assert all(library.get(paper_id).year == year for paper_id in filtered.ids)


def test_orders_and_filters_list_as_the_papers_read_do_and_keep_none_rebuilt(tmp_path):
    """While the index is built, the list is made from the papers: each is rebuilt, counted and let
    go, so that the reader does not hold the whole library rebuilt through the build."""
    library_file = acl_slice(tmp_path, 600)
    read = load_library([library_file], cache=False)  # the papers as read, in memory
    library = _kept(library_file)
    year = browse(read).year_facets[0][0]
    for sort in ("year", "title", "author", "relevance"):
        for years in (None, (year, year)):
            listed = browse(library, sort=sort, years=years)
            expected = browse(read, sort=sort, years=years)
            assert list(listed.ids) == list(expected.ids), (sort, years)
            for facets in ("author_facets", "year_facets", "venue_facets", "keyword_facets"):
                assert getattr(listed, facets) == getattr(expected, facets), (sort, years, facets)
    assert _rebuilt(library) == 0
