"""RIS, CSL-JSON and arXiv records kept as read, written back in their own format field for field,
and carried into BibTeX without a field dropped."""

from __future__ import annotations

import json
from pathlib import Path

import bibtexparser
import pybtex.database

from tests.formats.corpora import corpus, write
from tuireader.cite.bibtex import format_bibtex, format_bibtex_many
from tuireader.cite.csl_json import format_csl_json_many
from tuireader.cite.ris import format_ris
from tuireader.corpus.library import load_library
from tuireader.corpus.model import Paper
from tuireader.corpus.readers import arxiv_metadata, csl_json, ris
from tuireader.corpus.readers.base import lines_of

JABREF_RIS = "jabref/jablib/src/test/resources/org/jabref/logic/importer/fileformat"
ARXIV_SAMPLE = "arxiv-oai-sample/arxiv-metadata-oai-snapshot.first1000.jsonl"


def _ris_files() -> list[Path]:
    return sorted(path for path in corpus(JABREF_RIS).glob("*.ris") if "Corrupted" not in path.name)


def _tagged_lines(text: str) -> list[tuple[str, str]]:
    """(tag, value) of every tagged line but `ER`, continuation lines joined as the reader joins them."""
    tagged: list[tuple[str, str]] = []
    for _, raw in lines_of(text):
        line = raw.strip("\ufeff").rstrip()
        match = ris._TAG_LINE.match(line)
        if match is None:
            if tagged and line.strip():
                tag, value = tagged[-1]
                tagged[-1] = (tag, f"{value} {line.strip()}")
            continue
        if match.group(1) != "ER":
            tagged.append((match.group(1), (match.group(2) or "").strip()))
    return tagged


def test_ris_records_keep_every_tag_in_order_with_repeats() -> None:
    files = _ris_files()
    assert len(files) >= 10
    for path in files:
        text = path.read_text(encoding="utf-8-sig")
        result = ris.read(text, str(path))
        if result.problems:
            continue  # a file with a broken record: the good ones are checked in the others
        kept = [pair for paper in result.records for record in paper.records for pair in record.fields]
        assert kept == _tagged_lines(text), path.name


def test_ris_to_ris_gives_back_every_tag(tmp_path: Path) -> None:
    checked = 0
    for path in _ris_files():
        papers = ris.read(path.read_text(encoding="utf-8-sig"), str(path)).records
        for paper in papers:
            again = ris.read(format_ris(paper), "again.ris").records
            assert [r.fields for r in again[0].records] == [r.fields for r in paper.records], path.name
            checked += 1
    assert checked >= 15


def test_a_repeated_tag_and_an_unknown_tag_survive_ris_to_ris(tmp_path: Path) -> None:
    text = "TY  - JOUR\nTI  - One\nN1  - first note\nN1  - second note\nZZ  - vendor's own\nER  - \n"
    (paper,) = ris.read(text, "one.ris").records
    assert format_ris(paper) == text.rstrip("\n")


def test_ris_to_bibtex_drops_no_field() -> None:
    text = (
        "TY  - JOUR\nTI  - Sediment transport\nAU  - Doe, Jane\nT2  - Water Research\nJ2  - Water Res.\n"
        "M1  - 42A\nN1  - Read twice\nC1  - Lab copy\nSN  - 0043-1354\nPY  - 2004\nER  - \n"
    )
    (paper,) = ris.read(text, "one.ris").records
    (entry,) = pybtex.database.parse_string(format_bibtex(paper), "bibtex").entries.values()
    fields = {name.lower(): value for name, value in entry.fields.items()}
    assert fields["j2"] == "Water Res."
    assert fields["m1"] == "42A"
    assert fields["c1"] == "Lab copy"
    assert fields["issn"] == "0043-1354"
    assert fields["note"] == "Read twice"
    assert "sn" not in fields and "n1" not in fields  # mapped, so written once


def test_ris_serial_numbers_are_told_apart_by_shape() -> None:
    text = (
        "TY  - CHAP\nTI  - A chapter\nSN  - 978-0-262-03384-8\nSN  - 1234-567X (Print); 2345-6789\n"
        "N1  - first\nN1  - second\nER  - \n"
    )
    (paper,) = ris.read(text, "one.ris").records
    assert paper.isbn == "978-0-262-03384-8"
    assert paper.issn == "1234-567X (Print), 2345-6789"
    assert paper.note == "first; second"


def _every_bibtex_field_parses(papers: list[Paper]) -> None:
    text = format_bibtex_many(papers)
    parsed = pybtex.database.parse_string(text, "bibtex")
    assert len(parsed.entries) == len(papers)
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks
    assert len(library.entries) == len(papers)


def test_real_ris_files_export_to_bibtex_that_parses() -> None:
    papers = [p for path in _ris_files() for p in ris.read(path.read_text("utf-8-sig"), str(path)).records]
    keyed = [_with_unique_key(paper, number) for number, paper in enumerate(papers)]
    _every_bibtex_field_parses(keyed)


def _with_unique_key(paper: Paper, number: int) -> Paper:
    from dataclasses import replace

    return replace(paper, citation_key=f"k{number}")


def _arxiv_papers(count: int) -> list[Paper]:
    path = corpus(ARXIV_SAMPLE)
    with path.open(encoding="utf-8") as lines:
        head = "".join(next(lines) for _ in range(count))
    return arxiv_metadata.read(head, str(path)).records


def test_arxiv_records_keep_the_whole_metadata_record() -> None:
    path = corpus(ARXIV_SAMPLE)
    with path.open(encoding="utf-8") as lines:
        first = [json.loads(next(lines)) for _ in range(50)]
    papers = _arxiv_papers(50)
    for original, paper in zip(first, papers, strict=True):
        (record,) = paper.records
        assert {name: json.loads(value) for name, value in record.fields} == original
        assert [name for name, _ in record.fields] == list(original)


def test_arxiv_to_bibtex_carries_report_numbers_and_comments() -> None:
    papers = [_with_unique_key(paper, n) for n, paper in enumerate(_arxiv_papers(200))]
    _every_bibtex_field_parses(papers)
    first = pybtex.database.parse_string(format_bibtex(papers[0]), "bibtex").entries["k0"]
    assert first.fields["report-no"] == "ANL-HEP-PR-07-12"
    assert first.fields["comments"] == "37 pages, 15 figures; published version"
    assert first.fields["submitter"] == "Pavel Nadolsky"


CSL_ITEMS = [
    {
        "id": "doe2020",
        "type": "article-journal",
        "title": "Sediment transport",
        "container-title": "Water Research",
        "container-title-short": "Water Res.",
        "author": [{"family": "Doe", "given": "Jane"}],
        "issued": {"date-parts": [[2020, 3]]},
        "accessed": {"date-parts": [[2021, 5, 1]]},
        "volume": 12,
        "page": "1-9",
        "source": "Crossref",
        "custom": {"nested": [1, 2]},
    }
]


def test_csl_json_to_csl_json_gives_back_every_variable(tmp_path: Path) -> None:
    path = write(tmp_path, "items.json", json.dumps(CSL_ITEMS, indent=2))
    papers = csl_json.read(path.read_text(), str(path)).records
    assert json.loads(format_csl_json_many(papers)) == CSL_ITEMS
    fields = pybtex.database.parse_string(format_bibtex(papers[0]), "bibtex").entries["doe2020"].fields
    assert fields["container-title-short"] == "Water Res."
    assert fields["source"] == "Crossref"
    assert fields["accessed"] == "2021-5-1" or "2021" in fields["accessed"]


def test_real_libraries_written_as_csl_json_read_back_item_for_item(tmp_path: Path) -> None:
    papers = _arxiv_papers(100) + list(load_library([corpus("plume-bib/nlp.bib")], cache=False).papers)
    exported = format_csl_json_many(papers)
    path = write(tmp_path, "library.json", exported)
    again = csl_json.read(path.read_text(), str(path))
    assert not again.problems
    assert json.loads(format_csl_json_many(again.records)) == json.loads(exported)


def test_records_survive_the_parse_cache(tmp_path: Path) -> None:
    write(tmp_path, "items.json", json.dumps(CSL_ITEMS, indent=2))
    write(tmp_path, "one.ris", "TY  - JOUR\nTI  - One\nN1  - a\nN1  - b\nER  - \n")
    for _ in range(2):  # the second load reads the cache the first one wrote
        library = load_library([tmp_path], cache=True, merge=False)
        by_format = {r.format: r for paper in library.papers for r in paper.records}
        assert by_format["ris"].fields == (("TY", "JOUR"), ("TI", "One"), ("N1", "a"), ("N1", "b"))
        assert (
            json.loads(format_csl_json_many([p for p in library.papers if p.title == "Sediment transport"]))
            == CSL_ITEMS
        )
