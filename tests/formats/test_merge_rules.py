"""Duplicates across files and formats become one paper; different papers never do."""

from __future__ import annotations

import json

from tests.formats.corpora import write
from tuireader.corpus.library import load_library
from tuireader.corpus.merge import merge_records
from tuireader.corpus.model import Author, Paper, StyledText


def paper(title, family="Doe", year=None, **facts):
    return Paper(title=title, authors=(Author(family, facts.pop("given", "Jane")),), year=year, **facts)


def test_the_same_arxiv_paper_in_bibtex_csl_json_and_the_arxiv_snapshot_is_one_paper(tmp_path):
    write(
        tmp_path,
        "a.bib",
        "@article{k, title = {Some Title}, eprint = {0704.0001v2}, archivePrefix = {arXiv}}\n",
    )
    write(
        tmp_path,
        "b.json",
        json.dumps([{"type": "article", "title": "Other", "URL": "https://arxiv.org/abs/0704.0001"}]),
    )
    record = {"id": "0704.0001", "title": "T", "authors_parsed": [["Doe", "J.", ""]], "versions": []}
    write(tmp_path, "c.jsonl", json.dumps(record) + "\n")
    library = load_library([tmp_path])
    [merged] = library.papers
    assert merged.id == "0704.0001"
    assert len(merged.sources) == 3


def test_the_same_doi_written_differently_is_one_paper(tmp_path):
    write(tmp_path, "a.bib", "@article{k, title = {A}, doi = {10.1145/ABC.1}}\n")
    write(tmp_path, "b.ris", "TY  - JOUR\nTI  - B\nDO  - https://doi.org/10.1145/abc.1\nER  -\n")
    assert len(load_library([tmp_path]).papers) == 1


def test_same_title_compatible_first_author_same_year_across_formats(tmp_path):
    write(
        tmp_path,
        "a.bib",
        "@inproceedings{k, title = {{Deep} Parsing}, author = {Doe, Jane and Roe, R.}, year = 2020}\n",
    )
    write(tmp_path, "b.ris", "TY  - CONF\nTI  - Deep parsing.\nAU  - Doe, J.\nPY  - 2020\nER  -\n")
    [merged] = load_library([tmp_path]).papers
    assert merged.citation_key == "k"
    assert len(merged.authors) == 2  # the first record giving a fact wins


def test_a_missing_year_does_not_keep_duplicates_apart():
    assert len(merge_records([paper("Deep Parsing", year=2020), paper("Deep parsing")])) == 1


def test_an_introduction_by_the_same_author_in_two_years_is_two_papers():
    assert len(merge_records([paper("Introduction", year=2019), paper("Introduction", year=2020)])) == 2


def test_a_year_less_record_does_not_chain_two_years_together():
    records = [paper("Introduction", year=2019), paper("Introduction"), paper("Introduction", year=2020)]
    merged = merge_records(records)
    assert len(merged) == 2
    assert sorted(p.year for p in merged) == [2019, 2020]


def test_a_bare_family_name_does_not_chain_two_people_together():
    records = [
        paper("Introduction", given="Jane", year=2019),
        paper("Introduction", given="", year=2019),
        paper("Introduction", given="Kim", year=2019),
    ]
    assert len(merge_records(records)) == 2


def test_different_first_authors_or_dois_keep_papers_apart():
    assert len(merge_records([paper("Deep Parsing", "Doe"), paper("Deep Parsing", "Roe")])) == 2
    apart = [paper("Deep Parsing", doi="10.1/a"), paper("Deep Parsing", doi="10.1/b")]
    assert len(merge_records(apart)) == 2


def test_different_arxiv_ids_keep_papers_apart_even_with_one_title():
    apart = [paper("Deep Parsing", arxiv_id="2101.00001"), paper("Deep Parsing", arxiv_id="2101.00002")]
    assert len(merge_records(apart)) == 2


def test_two_titled_papers_sharing_an_abstract_stay_apart():
    abstract = " ".join(f"word{i}" for i in range(60))
    records = [
        paper("Short Version", abstract=StyledText(abstract)),
        paper("Extended Journal Version", abstract=StyledText(abstract)),
    ]
    assert len(merge_records(records)) == 2


def test_merging_stays_near_linear_at_a_hundred_thousand_records():
    records = []
    for index in range(100_000):
        # 10,000 papers are called "Introduction" and families repeat; given names tell people apart.
        title = "Introduction" if index % 10 == 0 else f"Paper number {index}"
        records.append(paper(title, f"Family{index % 500}", year=1950 + index % 70, given=f"Given{index}"))
    records += records[:1000]  # exact duplicates
    assert len(merge_records(records)) == 100_000
