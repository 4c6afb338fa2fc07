"""The real files in the shared corpora: every file loads or is reported, counts match the sources.

The 63,737-entry ACL Anthology file is read once for the module (about 30 s on a 2-core machine).
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest

from tests.formats.corpora import corpus
from tuireader.corpus.library import Library, load_library

_ENTRY = re.compile(r"^[ \t]*@[ \t]*(\w+)[ \t]*[{(]", re.MULTILINE)
_NOT_ENTRIES = {"string", "preamble", "comment"}


def regular_entries(text: str) -> int:
    return sum(1 for m in _ENTRY.finditer(text) if m.group(1).lower() not in _NOT_ENTRIES)


def accounted_for(library: Library, path: Path) -> bool:
    """Read, or named by a problem: never silently lost."""
    shown = str(path)
    return shown in library.files_read or any(p.path == shown for p in library.problems)


def test_bibtex_edge_cases_every_file_loads_or_is_reported():
    folder = corpus("bibtex-edge-cases")
    library = load_library([folder], cache=False)
    files = sorted(folder.rglob("*.bib"))
    assert len(files) > 50
    assert all(accounted_for(library, path) for path in files)
    cycle = [p for p in library.problems if "crossref_cascading_cycle" in p.path]
    assert [p.line for p in cycle] == [6, 11]


@pytest.fixture(scope="module")
def plume() -> tuple[Path, Library]:
    folder = corpus("plume-bib")
    return folder, load_library([folder], cache=False)


def test_plume_every_regular_entry_is_read(plume):
    folder, library = plume
    expected = sum(
        regular_entries(p.read_text(encoding="utf-8", errors="replace")) for p in folder.glob("*.bib")
    )
    assert expected == 5913
    assert library.records_read == expected


_LATEX_LEFT_OVER = re.compile(r"[{}]|\\(?:[a-z]+\b|[`'\"^~=.-])")


def test_plume_titles_are_free_of_latex(plume):
    _, library = plume
    titled = [p for p in library.papers if p.title]
    assert len(titled) > 5500
    assert [p.title for p in titled if _LATEX_LEFT_OVER.search(p.title)] == []
    # What stays is text: `{\textbackslash}` is a backslash, `\$8` a price.
    [smalltalk] = [p.title for p in titled if p.title.startswith("ObjectWorks")]
    assert smalltalk == "ObjectWorks\\Smalltalk Release 4 Users Guide"


def test_plume_macros_from_the_bibstring_files_are_expanded(plume):
    folder, library = plume
    assert "journal = TOPLAS," in (folder / "types.bib").read_text(encoding="utf-8")
    [paper] = [p for p in library.papers if p.citation_key == "MitchellP88"]
    # bibstring-unabbrev.bib, the last file defining TOPLAS, wins; `Pro\-gramming` may break, not show.
    assert paper.journal == "ACM Transactions on Programming Languages and Systems"


def test_plume_crossref_fields_are_inherited(plume):
    folder, library = plume
    source = (folder / "testing.bib").read_text(encoding="utf-8")
    assert re.search(r'@InProceedings\{Hartman2002,\s+author = \t "A\. Hartman",', source)
    [paper] = [p for p in library.papers if p.citation_key == "Hartman2002"]
    # testing.bib gives author, title and pages; the year and book title come from ISSTA2002,
    # whose first definition (crossrefs-abbrev.bib, as BibTeX keeps the first) says "ISSTA", 2002.
    assert paper.title == "Is ISSTA research relevant to industry?"
    assert paper.pages == "205–206"
    assert (paper.year, paper.booktitle, paper.venue) == (2002, "ISSTA", "ISSTA")


def test_jabref_every_bib_and_ris_file_loads_or_is_reported():
    folder = corpus("jabref")
    library = load_library([folder], cache=False)
    files = sorted([*folder.rglob("*.bib"), *folder.rglob("*.ris")])
    assert len(files) > 230
    assert all(accounted_for(library, path) for path in files)
    assert len(library.papers) > 800
    corrupted = [p for p in library.problems if p.path.endswith("RisImporterCorrupted.ris")]
    assert [(p.line, "TY" in p.message) for p in corrupted] == [(2, True)]


def test_arxiv_snapshot_all_thousand_papers_complete():
    folder = corpus("arxiv-oai-sample")
    [path] = folder.glob("*.jsonl")
    library = load_library([path], cache=False)
    assert library.problems == ()
    assert len(library.papers) == library.records_read == 1000
    incomplete = [
        p.id for p in library.papers if not (p.title and p.authors and p.abstract and p.year and p.categories)
    ]
    assert incomplete == []


@pytest.fixture(scope="module")
def acl() -> tuple[Path, Library]:
    folder = corpus("acl-anthology-2021")
    path = folder / "anthology+abstracts.bib.gz"
    return path, load_library([path], cache=False)


def test_acl_all_entries_are_read_from_the_gzip_file(acl):
    path, library = acl
    text = gzip.decompress(path.read_bytes()).decode("utf-8")
    assert regular_entries(text) == 63_737
    assert library.records_read == 63_737
    assert library.problems == ()
    assert library.files_read == (str(path),)
    # The ACL and COLING 1998 joint volumes list some papers twice, with one DOI: merged.
    assert 63_000 < len(library.papers) < 63_737


def test_acl_fields_match_the_source_text(acl):
    _, library = acl
    [paper] = [p for p in library.papers if p.citation_key == "bao-etal-2021-universal"]
    assert paper.title == "On Universal Colexifications"
    assert [a.display_name for a in paper.authors] == [
        "Bao, Hongchang",
        "Hauer, Bradley",
        "Kondrak, Grzegorz",
    ]
    assert paper.booktitle == paper.venue == "Proceedings of the 11th Global Wordnet Conference"
    assert (paper.entry_type, paper.year, paper.pages) == ("inproceedings", 2021, "1–7")
    assert paper.publisher == "Global Wordnet Association"
    assert paper.url == "https://www.aclweb.org/anthology/2021.gwc-1.1"
    assert "supported by over 99.9% of colexified concept pairs" in paper.abstract.text
    [wordnets] = [p for p in library.papers if p.citation_key == "sefara-etal-2021-practical"]
    assert wordnets.title == "Practical Approach on Implementation of WordNets for South African Languages"
    [uzbek] = [p for p in library.papers if p.citation_key == "agostini-etal-2021-uzwordnet"]
    assert "a “word-net” for the Uzbek language" in uzbek.abstract.text
