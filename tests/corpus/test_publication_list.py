"""The publication-list reader on the bundled document."""

from __future__ import annotations

from tests.corpus.bundled import ARXIV_LISTING, PUBLICATION_LIST, byline_pairs, line
from tuireader.corpus.model import Author, Source
from tuireader.corpus.readers import arxiv_listing, publication_list

SHOWN = "lists/mu.txt"


def read():
    return publication_list.read(PUBLICATION_LIST.read_text(encoding="utf-8"), SHOWN)


def by_title(title: str):
    return next(paper for paper in read().records if paper.title == title)


def test_sniffs_its_own_format_only():
    assert publication_list.sniff(PUBLICATION_LIST.read_text(encoding="utf-8"))
    assert not publication_list.sniff(ARXIV_LISTING.read_text(encoding="utf-8"))
    assert not publication_list.sniff("")


def test_reads_nine_papers_without_problems():
    result = read()
    assert result.problems == []
    assert [paper.title for paper in result.records] == [
        "Forecasting Rare Language Model Behaviors",
        "Constitutional Classifiers: Defending against Universal Jailbreaks across Thousands of Hours "
        "of Red Teaming",
        "Jailbreak Defense in a Narrow Domain: Limitations of Existing Methods and a New "
        "Transcript-Classifier Approach",
        "Sleeper Agents: Training Deceptive LLMs that Persist Through Safety Training",
        "Learning to Compress Prompts with Gist Tokens",
        "Characterizing tradeoffs between teaching via language and demonstrations in multi-agent systems",
        "Calibrate your listeners! Robust communication-based training for pragmatic speakers",
        "Emergent Communication of Generalizations",
        "Compositional Explanations of Neurons",
    ]
    # Each record starts at its title line: titles sit on lines 2, 5, 8, … of the document.
    assert [paper.sources for paper in result.records] == [
        (Source(SHOWN, number),) for number in range(2, 27, 3)
    ]


def test_owner_line_is_not_a_paper():
    assert line(PUBLICATION_LIST, 1) == "Mu, Jesse"
    assert all(paper.title != "Mu, Jesse" for paper in read().records)


def test_every_field_of_the_gist_paper():
    paper = by_title("Learning to Compress Prompts with Gist Tokens")
    assert paper.authors == (
        Author(family="Mu", given="Jesse"),
        Author(family="Li", given="Xiang Lisa"),
        Author(family="Goodman", given="Noah"),
    )
    assert paper.abstract.text == line(PUBLICATION_LIST, 16)  # plain prose: unchanged
    assert "up to 40% FLOPs reductions, 4.2% wall time speedups" in paper.abstract.text
    assert paper.abstract.spans == ()
    assert paper.sources == (Source(SHOWN, 14),)
    # The list gives no dates, ids or venues, so none are invented.
    assert (paper.year, paper.date, paper.arxiv_id, paper.venue, paper.doi) == (None, None, None, None, None)


def test_bylines_match_the_document_name_for_name():
    for paper in read().records:
        number = paper.sources[0].line + 1
        expected = [Author(family, given) for family, given in byline_pairs(line(PUBLICATION_LIST, number))]
        assert list(paper.authors) == expected


def test_long_byline_with_initials_apostrophes_and_accents():
    sleeper = by_title("Sleeper Agents: Training Deceptive LLMs that Persist Through Safety Training")
    assert len(sleeper.authors) == 39
    assert sleeper.authors[0] == Author("Hubinger", "Evan")
    assert sleeper.authors[-1] == Author("Perez", "Ethan")
    assert Author("Ziegler", "Daniel M.") in sleeper.authors
    assert Author("Mindermann", "Sören") in sleeper.authors
    classifiers = by_title(
        "Constitutional Classifiers: Defending against Universal Jailbreaks across Thousands of Hours "
        "of Red Teaming"
    )
    assert len(classifiers.authors) == 43
    assert Author("O'Hara", "Clare") in classifiers.authors
    assert Author("Troy", "Kevin K.") in classifiers.authors


def test_double_hyphens_become_a_dash_and_percent_signs_stay():
    forecasting = by_title("Forecasting Rare Language Model Behaviors")
    assert (
        "elicitation probability \u2013 the probability the query produces a target behavior \u2013 and"
        in (forecasting.abstract.text)
    )
    classifiers = read().records[1]
    assert "universal jailbreaks\u2013prompting strategies" in classifiers.abstract.text
    assert "an absolute 0.38% increase in production-traffic refusals and a 23.7% inference overhead" in (
        classifiers.abstract.text
    )


def test_a_title_shaped_like_a_byline_is_still_a_title():
    text = "Doe, Jane\nHello, World\nDoe, Jane, Roe, Richard\nAn abstract.\n"
    [paper] = publication_list.read(text, "x.txt").records
    assert paper.title == "Hello, World"
    assert paper.authors == (Author("Doe", "Jane"), Author("Roe", "Richard"))
    assert paper.abstract.text == "An abstract."


def test_wrapped_abstracts_are_joined():
    text = (
        "Doe, Jane\n"
        "First Title\n"
        "Doe, Jane\n"
        "An abstract wrapped\n"
        "over two lines.\n"
        "Second Title\n"
        "Roe, Richard\n"
        "Another.\n"
    )
    result = publication_list.read(text, "x.txt")
    assert result.problems == []
    assert [(p.title, p.abstract.text) for p in result.records] == [
        ("First Title", "An abstract wrapped over two lines."),
        ("Second Title", "Another."),
    ]


def test_the_arxiv_reader_does_not_claim_a_publication_list():
    assert not arxiv_listing.sniff(PUBLICATION_LIST.read_text(encoding="utf-8"))
