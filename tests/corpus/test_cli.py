"""The `tuireader` command as installed, run as a separate process."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.corpus.bundled import ARXIV_LISTING, PUBLICATION_LIST, SHARED_PAPER
from tuireader import __version__

TUIREADER = Path(sys.executable).parent / "tuireader"
PAPER_FIELDS = {"id", "title", "authors", "year", "date", "arxiv_id", "venue", "abstract", "sources"}


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [str(TUIREADER), *args], capture_output=True, text=True, encoding="utf-8", cwd=cwd, timeout=60
    )
    assert "Traceback" not in result.stderr
    return result


def ok(*args: str) -> str:
    result = run(*args)
    assert result.returncode == 0, result.stderr
    return result.stdout


def damaged_list(folder: Path) -> Path:
    """The publication list cut off after the last title (line 26): eight good records."""
    path = folder / "cut.txt"
    lines = PUBLICATION_LIST.read_text(encoding="utf-8").splitlines()[:26]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_the_entry_point_is_installed():
    assert TUIREADER.is_file()


def test_help_names_the_subcommands():
    out = ok("--help")
    for command in ("list", "show", "authors"):
        assert command in out
    assert "--corpus" in ok("list", "--help")


def test_version():
    assert ok("--version").strip() == f"tuireader {__version__}"


def test_module_version(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "tuireader", "--version"], capture_output=True, text=True, cwd=tmp_path
    )
    assert (result.returncode, result.stdout.strip()) == (0, f"tuireader {__version__}")
    assert "Traceback" not in result.stderr


def test_list_prints_one_line_per_paper():
    lines = ok("list").splitlines()
    assert len(lines) == 18
    assert any(line.startswith(SHARED_PAPER) and "Constitutional Classifiers" in line for line in lines)
    assert any(line.startswith("2409.12822") and line.endswith("arXiv:2409.12822") for line in lines)


def test_list_json_has_the_documented_fields():
    papers = json.loads(ok("list", "--json"))
    assert len(papers) == 18
    for paper in papers:
        assert paper.keys() >= PAPER_FIELDS
        assert isinstance(paper["id"], str) and paper["id"]
        assert paper["title"] is None or isinstance(paper["title"], str)
        assert all(set(author) >= {"family", "given"} for author in paper["authors"])
        assert paper["year"] is None or isinstance(paper["year"], int)
        assert paper["date"] is None or dt.date.fromisoformat(paper["date"])
        assert isinstance(paper["abstract"], str) and "\\textbf" not in paper["abstract"]
        assert all(source.rsplit(":", 1)[1].isdigit() for source in paper["sources"])
    assert len({paper["id"] for paper in papers}) == 18


def test_list_json_values_for_a_listing_paper_and_a_list_paper():
    papers = {paper["id"]: paper for paper in json.loads(ok("list", "--json"))}
    listing_only = papers["2406.04604"]
    assert listing_only["title"] is None
    assert listing_only["authors"] == []
    assert (listing_only["year"], listing_only["date"]) == (2024, "2024-06-06")
    assert listing_only["venue"] == "ACL 2024 Main Conference"
    assert listing_only["sources"] == [f"seeds/{ARXIV_LISTING.name}:16"]
    gist = papers["mulearning"]
    assert gist["title"] == "Learning to Compress Prompts with Gist Tokens"
    assert gist["authors"] == [
        {"family": "Mu", "given": "Jesse"},
        {"family": "Li", "given": "Xiang Lisa"},
        {"family": "Goodman", "given": "Noah"},
    ]
    assert (gist["year"], gist["date"], gist["arxiv_id"], gist["venue"]) == (None, None, None, None)
    assert gist["sources"] == [f"seeds/{PUBLICATION_LIST.name}:14"]


def test_show_json_of_the_merged_paper():
    paper = json.loads(ok("show", SHARED_PAPER, "--json"))
    assert paper["title"].startswith("Constitutional Classifiers: Defending against Universal Jailbreaks")
    assert paper["authors"][0] == {"family": "Sharma", "given": "Mrinank"}
    assert (paper["arxiv_id"], paper["date"], paper["year"]) == (SHARED_PAPER, "2025-01-30", 2025)
    assert paper["sources"] == [f"seeds/{PUBLICATION_LIST.name}:5", f"seeds/{ARXIV_LISTING.name}:1"]


def test_show_text_of_the_merged_paper():
    out = ok("show", SHARED_PAPER)
    assert out.startswith("Constitutional Classifiers")
    assert f"seeds/{PUBLICATION_LIST.name}:5" in out
    assert "2025-01-30" in out


def test_show_json_keeps_emphasis_out_of_the_abstract_text():
    paper = json.loads(ok("show", "2312.02974", "--json"))
    assert "differences between two sets of images" in paper["abstract"]
    assert "image sets D_A and D_B" in paper["abstract"]


@pytest.mark.parametrize("asked", [f"arXiv:{SHARED_PAPER}v2", f"arXiv:{SHARED_PAPER}", "mulearning"])
def test_show_resolves_ids(asked):
    paper = json.loads(ok("show", asked, "--json"))
    assert paper["id"] in {SHARED_PAPER, "mulearning"}


def test_show_unknown_id():
    result = run("show", "nosuchpaper")
    assert result.returncode != 0
    assert result.stdout == ""
    [message] = result.stderr.splitlines()
    assert "nosuchpaper" in message


def test_authors_json():
    authors = json.loads(ok("authors", "--json"))
    assert all(set(entry) == {"name", "count"} for entry in authors)
    assert authors[0] == {"name": "Mu, Jesse", "count": 9}
    counts = [entry["count"] for entry in authors]
    assert counts == sorted(counts, reverse=True)
    by_name = {entry["name"]: entry["count"] for entry in authors}
    assert by_name["Goodman, Noah D."] == 4
    assert "Goodman, Noah" not in by_name
    assert (by_name["Graham, Logan"], by_name["Howard, Logan"]) == (2, 1)


def test_authors_text():
    lines = ok("authors").splitlines()
    assert lines[0].split() == ["9", "Mu,", "Jesse"]


@pytest.mark.parametrize(
    "args",
    [
        ["--corpus", str(PUBLICATION_LIST), "list", "--json"],
        ["list", "--json", "--corpus", str(PUBLICATION_LIST)],
        ["list", "--corpus", str(PUBLICATION_LIST), "--json"],
    ],
    ids=["before", "after", "between"],
)
def test_corpus_before_or_after_the_subcommand(args):
    papers = json.loads(ok(*args))
    assert len(papers) == 9
    assert all(paper["sources"][0].startswith(f"{PUBLICATION_LIST}:") for paper in papers)


def test_corpus_is_repeatable_on_both_sides():
    papers = json.loads(
        ok("--corpus", str(PUBLICATION_LIST), "list", "--json", "--corpus", str(ARXIV_LISTING))
    )
    assert len(papers) == 18
    both = ok("--corpus", str(PUBLICATION_LIST), "--corpus", str(ARXIV_LISTING), "authors", "--json")
    assert json.loads(both)[0] == {"name": "Mu, Jesse", "count": 9}


def test_corpus_folder(tmp_path):
    (tmp_path / "refs").mkdir()
    (tmp_path / "refs" / "a.txt").write_bytes(ARXIV_LISTING.read_bytes())
    result = run("list", "--json", "--corpus", "refs/", cwd=tmp_path)
    assert result.returncode == 0
    assert len(json.loads(result.stdout)) == 10
    assert json.loads(result.stdout)[0]["sources"] == [str(Path("refs") / "a.txt") + ":1"]


def test_missing_path(tmp_path):
    missing = tmp_path / "nowhere.txt"
    result = run("list", "--corpus", str(missing))
    assert result.returncode == 2
    assert result.stdout == ""
    problem_lines = [line for line in result.stderr.splitlines() if str(missing) in line]
    assert len(problem_lines) == 1


def test_folder_with_nothing_readable(tmp_path):
    (tmp_path / "notes.txt").write_text("nothing to see\n", encoding="utf-8")
    result = run("list", "--corpus", str(tmp_path))
    assert result.returncode == 2
    assert len([line for line in result.stderr.splitlines() if "notes.txt" in line]) == 1


def test_unknown_format_beside_good_files(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("nothing to see\n", encoding="utf-8")
    result = run("list", "--json", "--corpus", str(notes), "--corpus", str(ARXIV_LISTING))
    assert result.returncode == 0
    assert len(json.loads(result.stdout)) == 10
    [message] = result.stderr.splitlines()
    assert str(notes) in message


def test_truncated_record_is_reported_and_the_rest_loads(tmp_path):
    cut = damaged_list(tmp_path)
    result = run("list", "--json", "--corpus", str(cut))
    assert result.returncode == 0
    assert len(json.loads(result.stdout)) == 8
    [message] = result.stderr.splitlines()
    assert message.startswith(f"tuireader: {cut}:26: ")


def test_every_command_reports_bad_input_the_same_way(tmp_path):
    missing = str(tmp_path / "nowhere")
    for args in (["list"], ["show", "x"], ["authors"], ["list", "--json"]):
        result = run(*args, "--corpus", missing)
        assert result.returncode == 2
        assert missing in result.stderr


def hostile_list(folder: Path) -> Path:
    path = folder / "hostile.txt"
    title = "Evil [bold red]x[/] \x1b[2J\x1b]0;pwned\x07 title"
    path.write_text(
        f"Doe, Jane\n{title}\nDoe, Jane, Roe, Richard\nAn abstract \x1b[31mred.\n", encoding="utf-8"
    )
    return path


def test_markup_and_escape_sequences_are_inert_in_list(tmp_path):
    result = run("list", "--corpus", str(hostile_list(tmp_path)))
    assert result.returncode == 0, result.stderr
    [line] = result.stdout.splitlines()
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "Evil [bold red]x[/] \u241b[2J\u241b]0;pwned\u2407 title" in line


def test_markup_and_escape_sequences_are_inert_in_json(tmp_path):
    result = run("list", "--json", "--corpus", str(hostile_list(tmp_path)))
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    [paper] = json.loads(result.stdout)
    assert paper["title"] == "Evil [bold red]x[/] \x1b[2J\x1b]0;pwned\x07 title"  # the data itself is kept


def test_markup_and_escape_sequences_are_inert_in_show_and_errors(tmp_path):
    hostile = str(hostile_list(tmp_path))
    paper_id = json.loads(ok("list", "--json", "--corpus", hostile))[0]["id"]
    assert "\x1b" not in ok("show", paper_id, "--corpus", hostile)
    result = run("show", "\x1b[2J", "--corpus", hostile)
    assert result.returncode != 0
    assert "\x1b" not in result.stderr
