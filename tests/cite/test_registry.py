"""The style registry: names, labels, aliases, errors, and many papers at once."""

from __future__ import annotations

import pytest

from tuireader.cite import (
    DEFAULT_STYLE,
    STYLES,
    UnknownStyle,
    describe,
    format_citation,
    format_many,
    get_style,
    style_names,
    uncitable,
)

ALL_STYLES = (
    "bibtex",
    "biblatex",
    "apa",
    "mla",
    "chicago",
    "ieee",
    "plain",
    "markdown",
    "reading-list",
    "csl-json",
    "ris",
    "cite",
    "key",
    "arxiv-url",
)


def test_every_style_the_issue_asks_for_is_registered_with_a_label() -> None:
    assert style_names() == ALL_STYLES
    assert DEFAULT_STYLE == "bibtex"
    assert all(style.label and style.noun and style.plural for style in STYLES)
    assert len({style.label for style in STYLES}) == len(STYLES)


def test_names_are_matched_in_any_case_and_through_aliases() -> None:
    assert get_style("APA").name == "apa"
    assert get_style(" Chicago-Author-Date ").name == "chicago"
    assert get_style("url").name == "arxiv-url"


def test_an_unknown_style_lists_the_valid_names() -> None:
    with pytest.raises(UnknownStyle) as caught:
        get_style("harvard")
    message = str(caught.value)
    assert "harvard" in message
    assert all(name in message for name in ALL_STYLES)


def test_every_style_cites_every_bundled_paper_or_says_why_not(library) -> None:
    for style in STYLES:
        for paper in library.papers:
            if style.can_cite(paper):
                text = style.format(paper)
                assert text and text == style.styled(paper).text
                assert "None" not in text  # a missing fact never shows up as Python's None
            else:
                assert style.name == "arxiv-url" and paper.arxiv_id is None


def test_many_papers_are_joined_the_way_each_style_is_pasted(paper) -> None:
    two = [paper("muemergent"), paper("2501.18837")]
    assert format_many(two, "bibtex").count("\n\n@") == 1
    assert format_many(two, "cite") == "\\cite{muemergent,sharma2025constitutional}"
    assert format_many(two, "key") == "muemergent\nsharma2025constitutional"
    assert format_many(two, "apa") == format_citation(two[0], "apa") + "\n" + format_citation(two[1], "apa")
    assert format_many(two, "ieee").splitlines() == [
        "[1] " + format_citation(two[0], "ieee"),
        "[2] " + format_citation(two[1], "ieee"),
    ]
    assert format_many(two, "markdown").splitlines() == [
        "- " + format_citation(two[0], "markdown"),
        "- " + format_citation(two[1], "markdown"),
    ]


def test_papers_a_style_cannot_cite_are_left_out_and_named(paper) -> None:
    mixed = [paper("muemergent"), paper("2409.12822")]
    assert uncitable(mixed, "arxiv-url") == [mixed[0]]
    assert format_many(mixed, "arxiv-url") == "https://arxiv.org/abs/2409.12822"
    assert format_many([mixed[0]], "arxiv-url") == ""
    assert format_many([], "cite") == ""


def test_describe_names_what_was_copied(paper) -> None:
    assert (
        describe([paper("mucompositional")], "apa")
        == "APA citation of “Compositional Explanations of Neurons”"
    )
    assert describe([paper("2409.12822")], "bibtex") == "BibTeX entry of “arXiv:2409.12822”"
    assert describe([paper("2501.18837")], "key") == (
        "citation key of “Constitutional Classifiers: Defending against…”"
    )
    assert describe([paper("muemergent"), paper("mucompositional")], "bibtex") == "BibTeX entries of 2 papers"


def test_markdown_escapes_corpus_text() -> None:
    from tuireader.corpus.model import Author, Paper

    paper = Paper(
        title="# Not a *heading* [really]",
        authors=(Author("Under_score", "A"),),
        url="https://example.org/a (b)",
    )
    assert format_citation(paper, "markdown") == (
        "[\\# Not a \\*heading\\* \\[really\\]](https://example.org/a%20%28b%29) — A Under\\_score"
    )
