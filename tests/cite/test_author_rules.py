"""Each style's author-list rules, on synthetic papers with as many authors as a rule needs."""

from __future__ import annotations

import pytest

from tuireader.cite import format_citation
from tuireader.cite.names import initials
from tuireader.corpus.model import Author, Paper

FAMILIES = (
    "Abbott Baker Carter Dixon Evans Foster Gray Hughes Irwin Jensen Kerr Lowe Moore Nash Owen Price "
    "Quinn Reed Shaw Todd Upton Vance Walsh"
).split()


def authors(count: int) -> tuple[Author, ...]:
    """`Abbott, Ann`, `Baker, Ben`, … — given names with distinct initials."""
    givens = (
        "Ann Ben Cal Dee Eve Fay Gus Hal Ivy Jon Kay Lou Max Ned Oda Pat Quin Rex Sue Tim Uma Val Wes".split()
    )
    return tuple(Author(FAMILIES[i], givens[i]) for i in range(count))


def paper_with(count: int) -> Paper:
    return Paper(title="A Study", authors=authors(count), year=2020, citation_key="k")


# ---- APA 7: up to 20 authors all listed with `, &` before the last; from 21 on, 19 + ellipsis + last.
def test_apa_lists_twenty_authors_in_full() -> None:
    apa = format_citation(paper_with(20), "apa")
    assert apa.startswith("Abbott, A., Baker, B., Carter, C., ")
    assert ", Shaw, S., & Todd, T. (2020)." in apa
    assert ". . ." not in apa


def test_apa_shortens_twenty_one_authors_to_nineteen_an_ellipsis_and_the_last() -> None:
    apa = format_citation(paper_with(21), "apa")
    assert apa == (
        "Abbott, A., Baker, B., Carter, C., Dixon, D., Evans, E., Foster, F., Gray, G., Hughes, H., "
        "Irwin, I., Jensen, J., Kerr, K., Lowe, L., Moore, M., Nash, N., Owen, O., Price, P., Quinn, Q., "
        "Reed, R., Shaw, S., . . . Upton, U. (2020). A study."
    )


def test_apa_twenty_three_authors_name_the_last_one_not_the_twentieth() -> None:
    apa = format_citation(paper_with(23), "apa")
    assert "Shaw, S., . . . Walsh, W. (2020)." in apa
    assert "Todd" not in apa


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (1, "Abbott, A. (2020). A study."),
        (2, "Abbott, A., & Baker, B. (2020). A study."),
        (3, "Abbott, A., Baker, B., & Carter, C. (2020). A study."),
    ],
)
def test_apa_short_author_lists(count: int, expected: str) -> None:
    assert format_citation(paper_with(count), "apa") == expected


# ---- MLA 9: one author inverted; two joined by `and`; three or more: the first and `et al.`
@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (1, "Abbott, Ann. “A Study.” 2020."),
        (2, "Abbott, Ann, and Ben Baker. “A Study.” 2020."),
        (3, "Abbott, Ann, et al. “A Study.” 2020."),
        (12, "Abbott, Ann, et al. “A Study.” 2020."),
    ],
)
def test_mla_et_al_from_three_authors(count: int, expected: str) -> None:
    assert format_citation(paper_with(count), "mla") == expected


# ---- IEEE: up to six listed; from seven, the first and `et al.`
@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (1, "A. Abbott, “A study,” 2020."),
        (2, "A. Abbott and B. Baker, “A study,” 2020."),
        (3, "A. Abbott, B. Baker, and C. Carter, “A study,” 2020."),
        (6, "A. Abbott, B. Baker, C. Carter, D. Dixon, E. Evans, and F. Foster, “A study,” 2020."),
        (7, "A. Abbott et al., “A study,” 2020."),
    ],
)
def test_ieee_et_al_from_seven_authors(count: int, expected: str) -> None:
    assert format_citation(paper_with(count), "ieee") == expected


# ---- Chicago 18th ed.: up to six listed; from seven, the first three and `et al.`
@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (1, "Abbott, Ann. 2020. “A Study.”"),
        (2, "Abbott, Ann, and Ben Baker. 2020. “A Study.”"),
        (3, "Abbott, Ann, Ben Baker, and Cal Carter. 2020. “A Study.”"),
        (
            6,
            "Abbott, Ann, Ben Baker, Cal Carter, Dee Dixon, Eve Evans, and Fay Foster. 2020. “A Study.”",
        ),
        (7, "Abbott, Ann, Ben Baker, Cal Carter, et al. 2020. “A Study.”"),
    ],
)
def test_chicago_et_al_from_seven_authors(count: int, expected: str) -> None:
    assert format_citation(paper_with(count), "chicago") == expected


# ---- initials and unusual names
@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("Samuel R.", "S. R."),
        ("Xiang Lisa", "X. L."),
        ("Jean-Paul", "J.-P."),
        ("E.J.", "E. J."),
        ("Łukasz", "Ł."),
        ("", ""),
    ],
)
def test_initials(given: str, expected: str) -> None:
    assert initials(given) == expected


def test_institutions_and_single_names_are_written_whole() -> None:
    paper = Paper(
        title="Report",
        authors=(Author("", literal="World Health Organization"), Author("Plato")),
        year=2001,
    )
    assert format_citation(paper, "apa") == "World Health Organization, & Plato. (2001). Report."
    assert format_citation(paper, "ieee") == "World Health Organization and Plato, “Report,” 2001."
    assert format_citation(paper, "mla") == "World Health Organization, and Plato. “Report.” 2001."


def test_no_author_moves_the_title_first() -> None:
    paper = Paper(title="Anonymous Findings", year=1999)
    assert format_citation(paper, "apa") == "Anonymous findings. (1999)."
    assert format_citation(paper, "mla") == "“Anonymous Findings.” 1999."
    assert format_citation(paper, "chicago") == "“Anonymous Findings.” 1999."
    assert format_citation(paper, "ieee") == "“Anonymous findings,” 1999."
