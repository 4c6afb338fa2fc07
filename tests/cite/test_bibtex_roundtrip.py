"""BibTeX is valid and round-trips through bibtexparser: same title, authors, year and eprint."""

from __future__ import annotations

import bibtexparser
import pytest
from bibtexparser.middlewares import SeparateCoAuthors, SplitNameParts
from pylatexenc.latex2text import LatexNodes2Text

from tuireader.cite import format_citation, format_many
from tuireader.corpus.library import load_library
from tuireader.corpus.model import Author, Paper

DECODE = LatexNodes2Text()
BUNDLED = load_library().papers


def parse_one(text: str) -> bibtexparser.model.Entry:
    library = bibtexparser.parse_string(text, append_middleware=[SeparateCoAuthors(), SplitNameParts()])
    assert library.failed_blocks == []
    assert len(library.entries) == 1
    return library.entries[0]


def decoded(value: str) -> str:
    # pylatexenc renders \textasciicircum as the modifier letter U+02C6; LaTeX prints a caret.
    return DECODE.latex_to_text(value).replace("\u02c6", "^")


def authors_back(entry: bibtexparser.model.Entry) -> list[Author]:
    if "author" not in entry.fields_dict:
        return []
    found = []
    for parts in entry["author"]:
        family = decoded(" ".join([*parts.von, *parts.last]))
        given = decoded(" ".join(parts.first))
        found.append((family, given))
    return found


def expected_authors(paper: Paper) -> list[tuple[str, str]]:
    return [(a.literal, "") if a.literal else (a.family, a.given) for a in paper.authors]


def assert_round_trip(paper: Paper, style: str = "bibtex") -> None:
    entry = parse_one(format_citation(paper, style))
    assert entry.key == paper.citation_key
    if paper.title:
        assert decoded(entry["title"]) == paper.title
    else:
        assert "title" not in entry.fields_dict
    assert authors_back(entry) == expected_authors(paper)
    if style == "bibtex":
        if paper.year is None:
            assert "year" not in entry.fields_dict
        else:
            assert entry["year"] == str(paper.year)
        if paper.arxiv_id:
            assert entry["eprint"] == paper.arxiv_id
            assert entry["archivePrefix"] == "arXiv"


@pytest.mark.parametrize("paper", BUNDLED, ids=[paper.id for paper in BUNDLED])
def test_every_bundled_paper_round_trips(paper: Paper) -> None:
    assert_round_trip(paper)


@pytest.mark.parametrize("paper", BUNDLED, ids=[paper.id for paper in BUNDLED])
def test_every_bundled_paper_round_trips_as_biblatex(paper: Paper) -> None:
    assert_round_trip(paper, "biblatex")


def test_the_whole_library_exports_as_one_valid_file() -> None:
    text = format_many(BUNDLED, "bibtex")
    library = bibtexparser.parse_string(text)
    assert library.failed_blocks == []
    assert [entry.key for entry in library.entries] == [paper.citation_key for paper in BUNDLED]
    assert "}\n\n@" in text  # entries separated by a blank line


AWKWARD = Paper(
    title="Costs & Benefits: 100% of $x_i$ ~ {braces} ^ back\\slash #1 for Sören's GPT-4 on Model X",
    authors=(
        Author("Müller", "Jörg"),
        Author("van der Berg", "Anna-Lena"),
        Author("", literal="Smith and Wesson Research"),
        Author("Le Cun"),
        Author("O'Hara", "Clare"),
    ),
    year=2023,
    arxiv_id="2301.00001",
    categories=("cs.LG",),
    venue="NeurIPS 2023 & friends",
    citation_key="muller2023costs",
)


def test_special_characters_are_escaped_and_come_back_unchanged() -> None:
    text = format_citation(AWKWARD, "bibtex")
    assert r"Costs \& Benefits: 100\% of \$x\_i\$ \textasciitilde{} \{braces\} \textasciicircum{}" in text
    assert r"back\textbackslash{}slash \#1" in text
    assert "Sören's {GPT-4} on Model {X}" in text  # UTF-8 kept; acronym and lone capital braced
    assert "{Smith and Wesson Research}" in text and "{Le Cun}" in text
    assert "primaryClass  = {cs.LG}" in text
    assert r"note          = {NeurIPS 2023 \& friends}" in text
    assert_round_trip(AWKWARD)
    entry = parse_one(text)
    assert decoded(entry["note"]) == "NeurIPS 2023 & friends"


def test_control_characters_and_line_breaks_never_reach_the_entry() -> None:
    paper = Paper(title="Two\nLines\x1b[31m red", authors=(Author("Doe", "Jo\t"),), citation_key="doe")
    text = format_citation(paper, "bibtex")
    assert "\x1b" not in text
    assert "title  = {Two Lines [31m red}" in text
    assert "author = {Doe, Jo}" in text


def test_a_key_with_spaces_or_commas_is_made_valid() -> None:
    paper = Paper(title="T", citation_key="my key,2020")
    assert format_citation(paper, "bibtex").startswith("@misc{my_key_2020,")
    assert format_citation(paper, "cite") == "\\cite{my_key_2020}"
