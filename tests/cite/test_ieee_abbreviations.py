"""IEEE container names with the IEEE Reference Guide's word abbreviations, on the guide's examples."""

from __future__ import annotations

import pytest

from tuireader.cite import format_citation
from tuireader.cite.ieee_words import ieee_container
from tuireader.corpus.model import Author, Paper


@pytest.mark.parametrize(
    ("full", "cited"),
    [
        # The guide's own conference example, but for the acronym standing in for the name.
        (
            "Proceedings of the 16th International Conference on Numerical Simulation of "
            "Optoelectronic Devices (NUSOD)",
            "Proc. 16th Int. Conf. Numerical Simulation of Optoelectronic Devices (NUSOD)",
        ),
        (
            "2011 International Conference on Information Science and Technology (ICIST)",
            "2011 Int. Conf. Inf. Sci. and Technol. (ICIST)",
        ),
        # Journal titles as the guide's list of IEEE periodicals gives them.
        (
            "IEEE Transactions on Pattern Analysis and Machine Intelligence",
            "IEEE Trans. Pattern Anal. and Mach. Intell.",
        ),
        ("Proceedings of the IEEE", "Proc. IEEE"),
        ("IEEE Transactions on Software Engineering", "IEEE Trans. Softw. Eng."),
        ("IEEE Journal of Solid-State Circuits", "IEEE J. Solid-State Circuits"),
        ("Annual Review of Biochemistry", "Annu. Rev. Biochemistry"),
        (
            "Transactions of the Association for Computational Linguistics",
            "Trans. Assoc. Comput. Linguistics",
        ),
    ],
)
def test_container_words_are_abbreviated(full: str, cited: str) -> None:
    assert ieee_container(full) == cited


def test_words_not_in_the_list_and_lower_case_words_stay() -> None:
    assert ieee_container("Nature") == "Nature"
    assert ieee_container("Workshop on the journal of things") == "Workshop on the journal of things"


def test_a_conference_paper_and_an_article_cite_abbreviated_containers() -> None:
    paper = Paper(
        title="Checking things",
        authors=(Author("Doe", "Jane"),),
        year=2011,
        entry_type="inproceedings",
        booktitle="Proceedings of the 2011 International Conference on Information Science and Technology",
    )
    assert format_citation(paper, "ieee") == (
        "J. Doe, “Checking things,” in Proc. 2011 Int. Conf. Inf. Sci. and Technol., 2011."
    )
    article = Paper(
        title="T",
        authors=(Author("Doe", "Jane"),),
        year=2020,
        entry_type="article",
        journal="Journal of Testing",
    )
    assert "J. Testing" in format_citation(article, "ieee")


def test_a_book_title_is_not_abbreviated() -> None:
    chapter = Paper(
        title="A chapter",
        authors=(Author("Doe", "Jane"),),
        year=2020,
        entry_type="incollection",
        booktitle="International Handbook of Research",
        publisher="Springer",
    )
    assert "International Handbook of Research" in format_citation(chapter, "ieee")
