"""The arXiv metadata snapshot: fields checked against the source line, and a damaged copy."""

from __future__ import annotations

import datetime as dt
import json

from tests.formats.corpora import corpus
from tuireader.corpus.library import load_library
from tuireader.corpus.model import Author


def snapshot_lines() -> list[str]:
    [path] = corpus("arxiv-oai-sample").glob("*.jsonl")
    return path.read_text(encoding="utf-8").splitlines()


def test_fields_match_the_source_record(tmp_path):
    lines = snapshot_lines()
    record = json.loads(lines[0])
    path = tmp_path / "first.jsonl"
    path.write_text(lines[0] + "\n", encoding="utf-8")
    [paper] = load_library([path]).papers
    assert paper.id == paper.arxiv_id == record["id"] == "0704.0001"
    assert paper.title == " ".join(record["title"].split())
    assert paper.authors[0] == Author("Balázs", "C.") and record["authors_parsed"][0][0] == "Balázs"
    assert len(paper.authors) == len(record["authors_parsed"]) == 4
    assert paper.abstract.text == " ".join(record["abstract"].split())
    assert paper.date == dt.date(2007, 4, 2)  # "Mon, 2 Apr 2007 19:18:42 GMT", the first version
    assert paper.year == 2007
    assert paper.categories == ("hep-ph",)
    assert paper.venue == record["journal-ref"] == "Phys.Rev.D76:013009,2007"
    assert paper.doi == record["doi"]
    assert paper.comments == (record["comments"],)


def test_latex_in_abstracts_is_readable(tmp_path):
    line = next(line for line in snapshot_lines() if json.loads(line)["id"] == "0704.0002")
    path = tmp_path / "one.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    [paper] = load_library([path]).papers
    assert "the (k,ℓ)-pebble game with colors" in paper.abstract.text
    assert paper.categories == ("math.CO", "cs.CG")


def test_a_bad_json_line_is_skipped_with_its_line_number(tmp_path):
    lines = snapshot_lines()[:20]
    lines[6] = lines[6][: len(lines[6]) // 2]  # cut in the middle, as a failed download leaves it
    path = tmp_path / "damaged.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    library = load_library([path])
    assert len(library.papers) == 19
    [problem] = library.problems
    assert (problem.path, problem.line) == (str(path), 7)
    assert "JSON" in problem.message
