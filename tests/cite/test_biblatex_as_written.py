"""BibLaTeX export of papers read from BibTeX: the entries as written, in BibLaTeX's names."""

from __future__ import annotations

from pathlib import Path

import bibtexparser
import pybtex.database
from bibtexparser.model import DuplicateFieldKeyBlock, Entry

from tests.conftest import acl_slice, shared_corpus
from tuireader.cite.biblatex import ENTRY_TYPES, FIELD_NAMES, format_biblatex, format_biblatex_many
from tuireader.corpus.library import load_library
from tuireader.corpus.model import Paper


def _fields_by_key(text: str, *, refused: int = 0) -> dict[str, tuple[str, dict[str, str]]]:
    """bibtexparser's reading: key -> (type, field name -> value), names lower-cased. Only as many
    entries may repeat a field as `refused`: those a file gave so, written as given."""
    library = bibtexparser.parse_string(text)
    assert len(library.failed_blocks) == refused
    entries = list(library.entries)
    for block in library.failed_blocks:
        assert isinstance(block, DuplicateFieldKeyBlock)
        assert isinstance(block.ignore_error_block, Entry)
        entries.append(block.ignore_error_block)
    return {
        entry.key: (entry.entry_type.lower(), {f.key.lower(): str(f.value) for f in entry.fields})
        for entry in entries
    }


def _pybtex_reads(text: str) -> bool:
    """Whether pybtex reads the text without error (a file may use `@string`s it does not define)."""
    try:
        pybtex.database.parse_string(text, "bibtex")
    except pybtex.database.PybtexError:
        return False
    return True


def _expected(entry_type: str, fields: dict[str, str]) -> tuple[str, dict[str, str]]:
    """A BibTeX entry in BibLaTeX's names, as the export must write it."""
    renamed = {
        (FIELD_NAMES[name] if name in FIELD_NAMES and FIELD_NAMES[name] not in fields else name): value
        for name, value in fields.items()
    }
    new_type, kind = ENTRY_TYPES.get(entry_type, (entry_type, ""))
    if kind and "type" not in fields:
        renamed["type"] = kind.strip("{}")
    return new_type, renamed


def _check_round_trip(paths: list[Path], papers: tuple[Paper, ...]) -> int:
    original: dict[str, tuple[str, dict[str, str]]] = {}
    refused = 0
    for path in paths:
        text = path.read_text(encoding="utf-8")
        repeats = len(bibtexparser.parse_string(text).failed_blocks)
        original.update(_fields_by_key(text, refused=repeats))
        refused += repeats
    exported = format_biblatex_many(papers)
    written = _fields_by_key(exported, refused=refused)
    if all(_pybtex_reads(path.read_text(encoding="utf-8")) for path in paths):
        assert _pybtex_reads(exported)
    keys = {record.key for paper in papers for record in paper.records}
    assert keys <= set(written)  # every key of every merged paper is kept
    checked = 0
    for key in keys & set(original):
        assert written[key] == _expected(*original[key]), key
        checked += 1
    return checked


def test_plume_bib_round_trips_field_for_field_in_biblatex_names() -> None:
    folder = shared_corpus("plume-bib")
    paths = [folder / name for name in ("nlp.bib", "testing.bib", "types.bib", "alias.bib")]
    # pybtex reads these whole (the others use `@string`s of a file they are meant to follow)
    for name in ("program-analysis.bib", "static-analysis.bib", "games.bib"):
        assert _pybtex_reads((folder / name).read_text(encoding="utf-8"))
        papers = load_library([folder / name], cache=False).papers
        assert _pybtex_reads(format_biblatex_many(papers))
    library = load_library(paths, cache=False)
    assert _check_round_trip(paths, library.papers) > 100


def test_an_acl_slice_round_trips_field_for_field(tmp_path: Path) -> None:
    path = acl_slice(tmp_path, 400)
    library = load_library([path], cache=False)
    assert _check_round_trip([path], library.papers) >= 390
    written = format_biblatex_many(library.papers)
    assert "  location = " in written
    assert "  address = " not in written


def test_a_thesis_becomes_biblatex_thesis_with_its_type(tmp_path: Path) -> None:
    path = tmp_path / "t.bib"
    path.write_text(
        "@phdthesis{doe2001,\n  author = {Doe, Jane},\n  title = {On {GPU} Things},\n"
        "  school = {MIT},\n  address = {Cambridge, MA},\n  year = 2001\n}\n"
        "@article{roe2002, author = {Roe, R.}, title = {T}, journal = {J}, journaltitle = {J. full},"
        " year = {2002}}\n",
        encoding="utf-8",
    )
    papers = load_library([path], cache=False).papers
    thesis = next(paper for paper in papers if paper.citation_key == "doe2001")
    assert format_biblatex(thesis) == (
        "@thesis{doe2001,\n  author = {Doe, Jane},\n  title = {On {GPU} Things},\n"
        "  institution = {MIT},\n  location = {Cambridge, MA},\n  year = 2001,\n  type = {phdthesis}\n}"
    )
    article = next(paper for paper in papers if paper.citation_key == "roe2002")
    # Already in BibLaTeX's name: `journal` is left as it is rather than made a second journaltitle.
    assert "  journal = {J},\n  journaltitle = {J. full}," in format_biblatex(article)


def test_a_merged_paper_keeps_every_key_in_biblatex(tmp_path: Path) -> None:
    path = tmp_path / "two.bib"
    entry = (
        "@inproceedings{{{key},\n  title = {{Attention Is All You Need}},\n"
        "  author = {{Vaswani, Ashish}},\n  booktitle = {{NeurIPS}},\n  year = {{2017}}\n}}\n"
    )
    path.write_text(entry.format(key="vaswani2017") + entry.format(key="attention"), encoding="utf-8")
    (paper,) = load_library([path], cache=False).papers
    written = _fields_by_key(format_biblatex(paper))
    assert set(written) == {"vaswani2017", "attention"}
