"""A badly damaged file costs a bounded list of problems, and memory in proportion to its size.

Each file keeps its first PROBLEMS_KEPT problems and one more saying how many were left out;
the papers between the damage still load, and a cached start gives the same list.
"""

from __future__ import annotations

import json
import re
import tracemalloc
from pathlib import Path

import pytest

from tuireader.corpus import library as library_module
from tuireader.corpus.cache import FileResult
from tuireader.corpus.library import Library, load_library
from tuireader.corpus.model import Problem
from tuireader.corpus.problem_log import PROBLEMS_KEPT, ProblemLog

# Peak memory while loading, as a multiple of the file's size. Loading the files below takes two
# to four times their size; keeping every problem would take 20 to 250 times.
MEMORY_PER_BYTE = 10
_SUMMARY = re.compile(r"^… and ([\d,]+) more problems? in this file, not listed")


def _arxiv_line(number: int) -> str:
    record = {
        "id": f"2101.{number:05d}",
        "title": f"Good paper {number}",
        "authors_parsed": [["Doe", "Jane", ""]],
        "versions": [{"created": "Mon, 4 Jan 2021 10:00:00 GMT"}],
    }
    return json.dumps(record) + "\n"


def jsonl_file(folder: Path) -> tuple[Path, int, set[str]]:
    damaged = "{\n" * 100_000
    text = _arxiv_line(1) + damaged + _arxiv_line(2) + damaged + _arxiv_line(3)
    path = folder / "snapshot.jsonl"
    path.write_text(text, encoding="utf-8")
    return path, 200_000, {"Good paper 1", "Good paper 2", "Good paper 3"}


def _bib_entry(number: int) -> str:
    return f"@article{{good{number}, title = {{Good paper {number}}}, author = {{Doe, Jane}}, year = 2020}}\n"


def bib_file(folder: Path) -> tuple[Path, int, set[str]]:
    damaged = "@misc{\n" * 50_000
    path = folder / "library.bib"
    path.write_text(_bib_entry(1) + damaged + _bib_entry(2) + damaged + _bib_entry(3), encoding="utf-8")
    return path, 100_000, {"Good paper 1", "Good paper 2", "Good paper 3"}


def _csl_item(number: int) -> str:
    item = {"id": f"good{number}", "type": "article-journal", "title": f"Good paper {number}"}
    return "  " + json.dumps(item)


def csl_file(folder: Path) -> tuple[Path, int, set[str]]:
    damaged = ["  {,"] * 50_000  # each resumed from at the next item of its indentation
    items = [_csl_item(1), *damaged, _csl_item(2), *damaged, _csl_item(3)]
    path = folder / "export.json"
    path.write_text("[\n" + ",\n".join(items) + "\n]\n", encoding="utf-8")
    return path, 100_000, {"Good paper 1", "Good paper 2", "Good paper 3"}


def _ris_record(number: int) -> str:
    return f"TY  - JOUR\nTI  - Good paper {number}\nAU  - Doe, Jane\nER  -\n"


def ris_file(folder: Path) -> tuple[Path, int, set[str]]:
    damaged = "TY  - JOUR\n" * 50_000  # records without their ER line
    path = folder / "export.ris"
    path.write_text(_ris_record(1) + damaged + _ris_record(2) + damaged + _ris_record(3), encoding="utf-8")
    return path, 100_000, {"Good paper 1", "Good paper 2", "Good paper 3"}


def _traced_load(path: Path) -> tuple[Library, int]:
    """The library of one file, and the most memory held at once while loading it."""
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        library = load_library([path])
        peak = tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()
    return library, peak


def _unlisted(problem: Problem) -> int:
    match = _SUMMARY.match(problem.message)
    assert match, problem.message
    return int(match.group(1).replace(",", ""))


@pytest.mark.parametrize("damaged_file", [jsonl_file, bib_file, csl_file, ris_file])
def test_a_file_with_a_problem_on_every_line_keeps_the_first_and_counts_the_rest(
    tmp_path, monkeypatch, damaged_file
):
    path, damaged, titles = damaged_file(tmp_path)
    library, peak = _traced_load(path)

    assert len(library.problems) == PROBLEMS_KEPT + 1
    *kept, summary = library.problems
    assert all(problem.path == str(path) and problem.line for problem in kept)
    assert summary.path == str(path) and summary.line is None
    assert _unlisted(summary) == damaged - PROBLEMS_KEPT
    assert library.unlisted_problems == damaged - PROBLEMS_KEPT
    assert library.problem_count == damaged  # every problem counted, listed or not
    assert "`tuireader check`" in summary.message
    assert {paper.title for paper in library.papers} == titles
    size = path.stat().st_size
    assert peak < MEMORY_PER_BYTE * size, f"{peak:,} bytes at most for a file of {size:,}"

    def not_read_again(file):
        raise AssertionError(f"{file.shown} was read again, not taken from the cache")

    monkeypatch.setattr(library_module, "read_text", not_read_again)
    cached = load_library([path])
    assert cached.problems == library.problems
    assert cached.papers == library.papers


def test_one_problem_past_the_bound_is_named_as_one(tmp_path):
    path = tmp_path / "snapshot.jsonl"
    path.write_text(_arxiv_line(1) + "{\n" * (PROBLEMS_KEPT + 1), encoding="utf-8")
    problems = load_library([path]).problems
    assert len(problems) == PROBLEMS_KEPT + 1
    assert problems[-1].message.startswith("… and 1 more problem in this file, not listed")


def test_a_file_at_the_bound_lists_every_problem_and_no_summary(tmp_path):
    path = tmp_path / "snapshot.jsonl"
    path.write_text(_arxiv_line(1) + "{\n" * PROBLEMS_KEPT, encoding="utf-8")
    problems = load_library([path]).problems
    assert len(problems) == PROBLEMS_KEPT
    assert [problem.line for problem in problems] == list(range(2, PROBLEMS_KEPT + 2))


def test_the_bound_holds_for_problems_handed_over_as_a_plain_list():
    problems = [Problem("notes.txt", f"problem {n}", n) for n in range(1, 1001)]
    result = FileResult("some reader", [], problems)  # type: ignore[arg-type]
    assert isinstance(result.problems, ProblemLog)
    assert list(result.problems) == problems[:PROBLEMS_KEPT]
    assert result.problems.unlisted == 1000 - PROBLEMS_KEPT
    assert result.problems.listed("notes.txt")[-1].message.startswith("… and 900 more problems")


def test_joined_logs_keep_the_first_problems_and_add_up_the_rest():
    first = ProblemLog(Problem("a.bib", f"early {n}", n) for n in range(60))
    second = ProblemLog(Problem("a.bib", f"late {n}", n) for n in range(150))
    first.extend(second)
    assert [p.message for p in first][58:62] == ["early 58", "early 59", "late 0", "late 1"]
    assert len(first) == PROBLEMS_KEPT
    assert first.total == 210
    assert first.unlisted == 110


def test_lines_are_read_one_at_a_time_and_end_only_at_a_newline(tmp_path):
    # U+2028 may stand unescaped inside a JSON string; it does not end the record's line.
    record = json.loads(_arxiv_line(2))
    record["title"] = "Good\u2028paper"
    path = tmp_path / "snapshot.jsonl"
    text = _arxiv_line(1) + json.dumps(record, ensure_ascii=False) + "\n{\n"
    path.write_text(text, encoding="utf-8")
    library = load_library([path])
    assert len(library.papers) == 2
    [problem] = library.problems
    assert problem.line == 3
    assert problem.message.startswith("not a JSON record")
