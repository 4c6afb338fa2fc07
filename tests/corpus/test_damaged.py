"""Damaged copies of the bundled documents: each problem is one message with its file and line, the
good records still load, and nothing raises."""

from __future__ import annotations

import pytest

from tests.corpus.bundled import ARXIV_LISTING, PUBLICATION_LIST
from tuireader.corpus.library import load_library

LIST_LINES = PUBLICATION_LIST.read_text(encoding="utf-8").splitlines()
LISTING_LINES = ARXIV_LISTING.read_text(encoding="utf-8").splitlines()


def without(lines: list[str], *numbers: int) -> str:
    """The document without the given (1-based) lines."""
    return "\n".join(text for number, text in enumerate(lines, start=1) if number not in numbers) + "\n"


def first(lines: list[str], count: int) -> str:
    return "\n".join(lines[:count]) + "\n"


def load_one(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    library = load_library([str(path)])
    return library, str(path)


def only_problem(library, path: str, line: int | None) -> str:
    """The single problem reported, checked to name the file (and line); its message."""
    assert len(library.problems) == 1, [str(p) for p in library.problems]
    [problem] = library.problems
    assert (problem.path, problem.line) == (path, line)
    where = f"{path}:{line}: " if line else f"{path}: "
    assert str(problem).startswith(where)
    return problem.message


@pytest.fixture(scope="module")
def intact():
    return {
        "list": load_library([str(PUBLICATION_LIST)]),
        "listing": load_library([str(ARXIV_LISTING)]),
    }


def abstracts(library) -> dict[str, str]:
    return {p.title or p.arxiv_id: p.abstract.text for p in library.papers}


# Publication list ---------------------------------------------------------------------------------


def test_list_cut_after_a_title(tmp_path, intact):
    library, path = load_one(tmp_path, "list.txt", first(LIST_LINES, 26))
    message = only_problem(library, path, 26)
    assert "Compositional Explanations of Neurons" in message
    assert len(library.papers) == 8
    # The dangling title is not glued onto the abstract above it.
    good = abstracts(intact["list"])
    assert all(good[title] == text for title, text in abstracts(library).items())


def test_list_cut_after_a_byline(tmp_path):
    library, path = load_one(tmp_path, "list.txt", first(LIST_LINES, 27))
    message = only_problem(library, path, 26)
    assert "no abstract" in message
    assert len(library.papers) == 9
    last = library.papers[-1]
    assert (last.title, last.abstract.text) == ("Compositional Explanations of Neurons", "")


def test_list_cut_in_mid_abstract(tmp_path):
    text = "\n".join(LIST_LINES[:27]) + "\n" + LIST_LINES[27][:200]  # no final newline: cut mid-line
    library, path = load_one(tmp_path, "list.txt", text)
    assert "truncated" in only_problem(library, path, 28)
    assert len(library.papers) == 9
    assert library.papers[-1].abstract.text == LIST_LINES[27][:200]


def test_list_missing_a_byline(tmp_path, intact):
    library, path = load_one(tmp_path, "list.txt", without(LIST_LINES, 9))  # the Jailbreak Defense byline
    message = only_problem(library, path, 8)
    assert "Jailbreak Defense in a Narrow Domain" in message
    assert len(library.papers) == 8
    good = abstracts(intact["list"])
    assert all(good[title] == text for title, text in abstracts(library).items())


def test_list_missing_the_first_byline(tmp_path, intact):
    # The format is still recognised, though the first record no longer looks like one.
    library, path = load_one(tmp_path, "list.txt", without(LIST_LINES, 3))
    assert "Forecasting Rare Language Model Behaviors" in only_problem(library, path, 2)
    assert len(library.papers) == 8
    good = abstracts(intact["list"])
    assert all(good[title] == text for title, text in abstracts(library).items())


def test_list_missing_a_title(tmp_path, intact):
    library, path = load_one(tmp_path, "list.txt", without(LIST_LINES, 5))  # Constitutional Classifiers
    assert "title" in only_problem(library, path, 5)
    assert len(library.papers) == 9
    untitled = next(p for p in library.papers if p.title is None)
    assert untitled.authors[0].family == "Sharma"
    assert untitled.sources[0].line == 5
    good = abstracts(intact["list"])
    assert all(good[title] == text for title, text in abstracts(library).items() if title)


def test_list_missing_an_abstract_in_the_middle(tmp_path):
    library, path = load_one(tmp_path, "list.txt", without(LIST_LINES, 16))  # the Gist abstract
    assert "Learning to Compress Prompts" in only_problem(library, path, 14)
    assert len(library.papers) == 9


# arXiv listing ------------------------------------------------------------------------------------


def test_listing_cut_in_mid_abstract(tmp_path):
    text = "\n".join(LISTING_LINES[:47]) + "\n" + LISTING_LINES[47][:300]
    library, path = load_one(tmp_path, "listing.txt", text)
    assert "truncated" in only_problem(library, path, 48)
    assert [p.arxiv_id for p in library.papers][-1] == "2302.14233"
    assert len(library.papers) == 9


def test_listing_cut_after_the_id_line(tmp_path):
    library, path = load_one(tmp_path, "listing.txt", first(LISTING_LINES, 50))
    assert "Created" in only_problem(library, path, 50)
    last = library.papers[-1]
    assert (last.arxiv_id, last.date, last.year) == ("2211.11501", None, None)
    assert len(library.papers) == 10


def test_listing_missing_a_created_line(tmp_path):
    library, path = load_one(tmp_path, "listing.txt", without(LISTING_LINES, 4))
    assert "Created" in only_problem(library, path, 3)
    first_paper = library.papers[0]
    assert (first_paper.arxiv_id, first_paper.date) == ("2501.18837", None)
    assert len(library.papers) == 10


def test_listing_missing_an_arxiv_line(tmp_path, intact):
    library, path = load_one(tmp_path, "listing.txt", without(LISTING_LINES, 3))
    assert "arXiv" in only_problem(library, path, 3)  # the orphaned Created: line moved up to line 3
    assert len(library.papers) == 9
    # Neither the orphaned abstract nor its date leaks into the next record.
    good = abstracts(intact["listing"])
    assert all(good[arxiv_id] == text for arxiv_id, text in abstracts(library).items())


def test_listing_bad_date(tmp_path):
    text = ARXIV_LISTING.read_text(encoding="utf-8").replace("Created: 2024-09-19", "Created: 2024-19-09")
    library, path = load_one(tmp_path, "listing.txt", text)
    assert "2024-19-09" in only_problem(library, path, 9)
    damaged = library.get("2409.12822")
    assert (damaged.date, damaged.year) == (None, None)
    assert len(library.papers) == 10


def test_listing_invalid_arxiv_id(tmp_path, intact):
    text = ARXIV_LISTING.read_text(encoding="utf-8").replace("arXiv:2409.08466", "arXiv:24O9.08466")
    library, path = load_one(tmp_path, "listing.txt", text)
    assert "24O9.08466" in only_problem(library, path, 13)
    assert len(library.papers) == 9
    good = abstracts(intact["listing"])
    assert all(good[arxiv_id] == text for arxiv_id, text in abstracts(library).items())


@pytest.mark.parametrize("missing", [2, 5], ids=["before-id", "after-created"])
def test_listing_missing_blank_line_is_tolerated(tmp_path, intact, missing):
    library, _ = load_one(tmp_path, "listing.txt", without(LISTING_LINES, missing))
    assert library.problems == ()
    assert abstracts(library) == abstracts(intact["listing"])


def test_listing_blank_line_between_id_and_date_is_tolerated(tmp_path, intact):
    text = ARXIV_LISTING.read_text(encoding="utf-8").replace(
        "\nCreated: 2025-01-30", "\n\nCreated: 2025-01-30"
    )
    library, _ = load_one(tmp_path, "listing.txt", text)
    assert library.problems == ()
    assert library.get("2501.18837").year == 2025
    assert abstracts(library) == abstracts(intact["listing"])


# Whole files and folders ---------------------------------------------------------------------------


def test_file_in_no_known_format(tmp_path):
    library, path = load_one(tmp_path, "notes.txt", "Shopping list\n\neggs\nmilk\n")
    assert "format" in only_problem(library, path, None)
    assert library.papers == ()


def test_empty_file(tmp_path):
    library, path = load_one(tmp_path, "empty.txt", "")
    only_problem(library, path, None)
    assert library.papers == ()


def test_binary_file(tmp_path):
    path = tmp_path / "image.png"
    path.write_bytes(bytes(range(256)) * 4)
    library = load_library([str(path)])
    only_problem(library, str(path), None)
    assert library.papers == ()


def test_non_utf8_copy_still_reads(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes(PUBLICATION_LIST.read_text(encoding="utf-8").encode("latin-1"))
    library = load_library([str(path)])
    assert len(library.papers) == 9
    sleeper = next(p for p in library.papers if p.title and p.title.startswith("Sleeper Agents"))
    assert "Sören" in [a.given for a in sleeper.authors]


def test_folder_with_nothing_readable(tmp_path):
    (tmp_path / "notes.txt").write_text("nothing to see\n", encoding="utf-8")
    (tmp_path / "blob.bin").write_bytes(b"\x00\xff\xfe" * 100)
    library = load_library([str(tmp_path)])
    assert library.papers == ()
    assert sorted(p.path for p in library.problems) == [
        str(tmp_path / "blob.bin"),
        str(tmp_path / "notes.txt"),
    ]


def test_empty_folder(tmp_path):
    library = load_library([str(tmp_path)])
    assert library.papers == ()
    only_problem(library, str(tmp_path), None)


def test_missing_path(tmp_path):
    missing = str(tmp_path / "nowhere.txt")
    library = load_library([missing])
    assert "no such" in only_problem(library, missing, None)
    assert library.papers == ()


def test_good_files_load_beside_bad_ones(tmp_path):
    (tmp_path / "list.txt").write_text(without(LIST_LINES, 9), encoding="utf-8")
    (tmp_path / "listing.txt").write_bytes(ARXIV_LISTING.read_bytes())
    (tmp_path / "notes.txt").write_text("nothing to see\n", encoding="utf-8")
    library = load_library([str(tmp_path), str(tmp_path / "nowhere")])
    assert len(library.papers) == 8 + 10 - 1
    assert sorted((p.path, p.line) for p in library.problems) == [
        (str(tmp_path / "list.txt"), 8),
        (str(tmp_path / "notes.txt"), None),
        (str(tmp_path / "nowhere"), None),
    ]
    assert library.get("2501.18837").title.startswith("Constitutional Classifiers")
