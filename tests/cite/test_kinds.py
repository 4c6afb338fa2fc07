"""Journal articles, conference papers and books, in each reference style, from the published rules."""

from __future__ import annotations

import pytest

from tuireader.cite import format_citation
from tuireader.corpus.model import Author, Paper

ARTICLE = Paper(
    title="Deep Learning for the Masses: A Survey",
    authors=(Author("Smith", "Jane Q."), Author("Jones", "Bob")),
    year=2020,
    journal="Journal of Testing",
    volume="12",
    number="3",
    pages="45-67",
    doi="https://doi.org/10.1234/jt.2020.5",
    citation_key="smith2020deep",
)
PROCEEDINGS = Paper(
    title="Attention Is All You Need",
    authors=(Author("Vaswani", "Ashish"), Author("Shazeer", "Noam")),
    year=2017,
    booktitle="Advances in Neural Information Processing Systems",
    pages="5998--6008",
    publisher="Curran Associates",
    arxiv_id="1706.03762",
    categories=("cs.CL", "cs.LG"),
    citation_key="vaswani2017attention",
)
BOOK = Paper(
    title="the art of computer programming",
    authors=(Author("Knuth", "Donald E."),),
    year=1968,
    publisher="Addison-Wesley",
    entry_type="book",
    citation_key="knuth1968art",
)

EXPECTED = {
    (ARTICLE, "apa"): (
        "Smith, J. Q., & Jones, B. (2020). Deep learning for the masses: A survey. Journal of Testing, "
        "12(3), 45–67. https://doi.org/10.1234/jt.2020.5"
    ),
    (ARTICLE, "mla"): (
        "Smith, Jane Q., and Bob Jones. “Deep Learning for the Masses: A Survey.” Journal of Testing, "
        "vol. 12, no. 3, 2020, pp. 45–67, https://doi.org/10.1234/jt.2020.5."
    ),
    (ARTICLE, "chicago"): (
        "Smith, Jane Q., and Bob Jones. 2020. “Deep Learning for the Masses: A Survey.” Journal of "
        "Testing 12 (3): 45–67. https://doi.org/10.1234/jt.2020.5."
    ),
    (ARTICLE, "ieee"): (
        "J. Q. Smith and B. Jones, “Deep learning for the masses: A survey,” J. Testing, vol. 12, "
        "no. 3, pp. 45–67, 2020, doi: 10.1234/jt.2020.5."
    ),
    (ARTICLE, "bibtex"): (
        "@article{smith2020deep,\n"
        "  title   = {Deep Learning for the Masses: A Survey},\n"
        "  author  = {Smith, Jane Q. and Jones, Bob},\n"
        "  journal = {Journal of Testing},\n"
        "  year    = {2020},\n"
        "  volume  = {12},\n"
        "  number  = {3},\n"
        "  pages   = {45--67},\n"
        "  doi     = {10.1234/jt.2020.5}\n"
        "}"
    ),
    (ARTICLE, "plain"): (
        "Jane Q. Smith and Bob Jones. Deep Learning for the Masses: A Survey. Journal of Testing, 2020. "
        "https://doi.org/10.1234/jt.2020.5"
    ),
    (PROCEEDINGS, "apa"): (
        "Vaswani, A., & Shazeer, N. (2017). Attention is all you need. In Advances in Neural Information "
        "Processing Systems (pp. 5998–6008). Curran Associates. https://arxiv.org/abs/1706.03762"
    ),
    (PROCEEDINGS, "mla"): (
        "Vaswani, Ashish, and Noam Shazeer. “Attention Is All You Need.” Advances in Neural Information "
        "Processing Systems, Curran Associates, 2017, pp. 5998–6008, arxiv.org/abs/1706.03762."
    ),
    (PROCEEDINGS, "chicago"): (
        "Vaswani, Ashish, and Noam Shazeer. 2017. “Attention Is All You Need.” In Advances in Neural "
        "Information Processing Systems, 5998–6008. Curran Associates. https://arxiv.org/abs/1706.03762."
    ),
    (PROCEEDINGS, "ieee"): (
        "A. Vaswani and N. Shazeer, “Attention is all you need,” in Adv. Neural Inf. Process. Syst., "
        "2017, pp. 5998–6008."
    ),
    (PROCEEDINGS, "bibtex"): (
        "@inproceedings{vaswani2017attention,\n"
        "  title         = {Attention Is All You Need},\n"
        "  author        = {Vaswani, Ashish and Shazeer, Noam},\n"
        "  booktitle     = {Advances in Neural Information Processing Systems},\n"
        "  year          = {2017},\n"
        "  pages         = {5998--6008},\n"
        "  publisher     = {Curran Associates},\n"
        "  eprint        = {1706.03762},\n"
        "  archivePrefix = {arXiv},\n"
        "  primaryClass  = {cs.CL},\n"
        "  url           = {https://arxiv.org/abs/1706.03762}\n"
        "}"
    ),
    (PROCEEDINGS, "biblatex"): (
        "@inproceedings{vaswani2017attention,\n"
        "  title       = {Attention Is All You Need},\n"
        "  author      = {Vaswani, Ashish and Shazeer, Noam},\n"
        "  booktitle   = {Advances in Neural Information Processing Systems},\n"
        "  date        = {2017},\n"
        "  pages       = {5998--6008},\n"
        "  publisher   = {Curran Associates},\n"
        "  eprint      = {1706.03762},\n"
        "  eprinttype  = {arxiv},\n"
        "  eprintclass = {cs.CL},\n"
        "  url         = {https://arxiv.org/abs/1706.03762}\n"
        "}"
    ),
    (BOOK, "apa"): "Knuth, D. E. (1968). The art of computer programming. Addison-Wesley.",
    (BOOK, "mla"): "Knuth, Donald E. The Art of Computer Programming. Addison-Wesley, 1968.",
    (BOOK, "chicago"): "Knuth, Donald E. 1968. The Art of Computer Programming. Addison-Wesley.",
    (BOOK, "ieee"): "D. E. Knuth, The Art of Computer Programming. Addison-Wesley, 1968.",
    (BOOK, "bibtex"): (
        "@book{knuth1968art,\n"
        "  title     = {the art of computer programming},\n"
        "  author    = {Knuth, Donald E.},\n"
        "  year      = {1968},\n"
        "  publisher = {Addison-Wesley}\n"
        "}"
    ),
}


@pytest.mark.parametrize(
    ("paper", "style"), list(EXPECTED), ids=[f"{p.citation_key}-{s}" for p, s in EXPECTED]
)
def test_exact_citation(paper: Paper, style: str) -> None:
    assert format_citation(paper, style) == EXPECTED[(paper, style)]


@pytest.mark.parametrize(
    ("style", "italic"),
    [
        ("apa", ["Journal of Testing", "12"]),
        ("mla", ["Journal of Testing"]),
        ("chicago", ["Journal of Testing"]),
        ("ieee", ["J. Testing"]),
    ],
)
def test_italics_are_spans_over_the_plain_text(style: str, italic: list[str]) -> None:
    from tuireader.cite import get_style

    styled = get_style(style).styled(ARTICLE)
    assert styled.text == format_citation(ARTICLE, style)
    assert [styled.text[span.start : span.end] for span in styled.spans] == italic


def test_standalone_titles_and_containers_are_italic(paper) -> None:
    from tuireader.cite import get_style

    preprint = paper("2501.18837")
    apa = get_style("apa").styled(preprint)
    assert [apa.text[s.start : s.end] for s in apa.spans] == [
        "Constitutional classifiers: Defending against universal jailbreaks across thousands of hours "
        "of red teaming"
    ]
    mla = get_style("mla").styled(preprint)
    assert [mla.text[s.start : s.end] for s in mla.spans] == ["arXiv"]
    book = get_style("mla").styled(BOOK)
    assert [book.text[s.start : s.end] for s in book.spans] == ["The Art of Computer Programming"]


def test_an_article_entry_type_without_a_journal_falls_back_to_misc() -> None:
    paper = Paper(title="T", entry_type="article", citation_key="k")
    assert format_citation(paper, "bibtex").startswith("@misc{k,")


def test_a_source_entry_type_the_style_knows_is_kept() -> None:
    paper = Paper(title="T", entry_type="TechReport", citation_key="k")
    assert format_citation(paper, "bibtex").startswith("@techreport{k,")
    assert format_citation(paper, "biblatex").startswith("@techreport{k,")


def test_a_question_mark_ends_a_title_without_a_second_mark() -> None:
    paper = Paper(
        title="Is Attention Enough?", authors=(Author("Doe", "Jo"),), year=2021, arxiv_id="2101.00001"
    )
    assert format_citation(paper, "mla").startswith("Doe, Jo. “Is Attention Enough?” arXiv, 2021,")
    assert "“Is attention enough?” 2021, arXiv:2101.00001." in format_citation(paper, "ieee")
    assert "(2021). Is attention enough? (arXiv:2101.00001). arXiv." in format_citation(paper, "apa")
    assert (
        format_citation(paper, "plain")
        == "Jo Doe. Is Attention Enough? 2021. https://arxiv.org/abs/2101.00001"
    )
