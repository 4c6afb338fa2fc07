"""LaTeX in titles and abstracts becomes readable text, with emphasis kept as spans."""

from __future__ import annotations

import pytest

from tuireader.corpus.latex import join_paragraphs, latex_to_plain, latex_to_text
from tuireader.corpus.model import Emphasis, StyledText


def styled(source: str) -> tuple[str, list[tuple[str, str]]]:
    result = latex_to_text(source)
    return result.text, [(result.text[s.start : s.end], s.emphasis.value) for s in result.spans]


def test_bold_inside_math():
    assert styled(r"between two $\textbf{sets}$ of images") == (
        "between two sets of images",
        [("sets", "bold")],
    )


def test_italic_text_command():
    assert styled(r"a goal \textit{comparing drug A and drug B} here") == (
        "a goal comparing drug A and drug B here",
        [("comparing drug A and drug B", "italic")],
    )


def test_emphasis_offsets_survive_folded_spaces_and_dropped_markup():
    text, spans = styled("x  $\\textbf{a}$   and\n\\emph{b  c}  and {\\bf d}")
    assert text == "x a and b c and d"
    assert spans == [("a", "bold"), ("b c", "italic"), ("d", "bold")]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("image sets $D_A$ and $D_B$", "image sets D_A and D_B"),
        ("we pose $200+$ concrete research questions.", "we pose 200+ concrete research questions."),
        (r"solve 33.3\% more problems", "solve 33.3% more problems"),
        (r"a 0.38% increase and $x$", "a 0.38% increase and x"),  # bare % is not a comment
        ("a 0.38% increase in refusals", "a 0.38% increase in refusals"),
        (r"costs $5 and up, $\alpha$ too", "costs $5 and up, \u03b1 too"),  # unpaired $ is a dollar
        ("one $ alone", "one $ alone"),
        ("ends with $", "ends with $"),
        (r"Q&A accuracy -- up 5%", "Q&A accuracy \u2013 up 5%"),  # & is prose, -- a dash
        (r"Q&A with $k$ shots", "Q&A with k shots"),
        ("about ~10 items", "about ~10 items"),
        ("``quoted'' text---like this", "\u201cquoted\u201d text\u2014like this"),
        ("plain prose, unchanged.", "plain prose, unchanged."),
        ("  spaces\n folded  ", "spaces folded"),
    ],
)
def test_readable_text(source, expected):
    assert latex_to_plain(source) == expected


def test_damaged_markup_never_raises():
    for source in (r"\textbf{unclosed", "}{", "$$", r"\\", "\\", "{\\", r"$\frac{1}{$", "%" * 5):
        assert isinstance(latex_to_text(source), StyledText)
    assert styled(r"\textbf{unclosed") == ("unclosed", [("unclosed", "bold")])


def test_bibtex_ties_are_spaces_only_when_asked():
    assert latex_to_plain("Fig.~3", tilde_is_space=True) == "Fig. 3"
    assert latex_to_plain(r"Fig.~\ref{x} and $y$", tilde_is_space=True).startswith("Fig. ")
    assert latex_to_plain("Fig.~3") == "Fig.~3"


def test_paragraphs_keep_their_spans():
    first, second = latex_to_text(r"\textbf{A} b."), latex_to_text(r"c \textit{d}.")
    joined = join_paragraphs([first, second])
    assert joined.text == "A b.\n\nc d."
    assert [(joined.text[s.start : s.end], s.emphasis) for s in joined.spans] == [
        ("A", Emphasis.BOLD),
        ("d", Emphasis.ITALIC),
    ]


def test_superscripts_in_math_become_their_characters() -> None:
    assert latex_to_plain(r"Turning 360{\mbox{$^\circ$}} Around") == "Turning 360° Around"
    assert latex_to_plain(r"at 90$^{\circ}$C") == "at 90°C"
    assert latex_to_plain(r"$x^2$ and $10^{-3}$") == "x² and 10⁻³"
    # `\^` is the circumflex accent, not a superscript.
    assert latex_to_plain(r"Cr\^{e}pe \^o") == "Crêpe ô"
