"""Every style on bundled papers, as exact strings written out from each style's published rules.

The papers: 2501.18837 (43 authors, an arXiv preprint with a date), mucompositional and
muemergent (two authors, no year, not on arXiv), 2409.12822 (arXiv only: no title, no authors)
and 2406.04604 (arXiv only, with a venue from its comment).
"""

from __future__ import annotations

import pytest

from tuireader.cite import CitationUnavailable, bibfile, format_citation

# The byline of 2501.18837 as the source lists it.
SHARMA_BYLINE = (
    "Sharma, Mrinank|Tong, Meg|Mu, Jesse|Wei, Jerry|Kruthoff, Jorrit|Goodfriend, Scott|Ong, Euan|"
    "Peng, Alwin|Agarwal, Raj|Anil, Cem|Askell, Amanda|Bailey, Nathan|Benton, Joe|Bluemke, Emma|"
    "Bowman, Samuel R.|Christiansen, Eric|Cunningham, Hoagy|Dau, Andy|Gopal, Anjali|Gilson, Rob|"
    "Graham, Logan|Howard, Logan|Kalra, Nimit|Lee, Taesung|Lin, Kevin|Lofgren, Peter|"
    "Mosconi, Francesco|O'Hara, Clare|Olsson, Catherine|Petrini, Linda|Rajani, Samir|Saxena, Nikhil|"
    "Silverstein, Alex|Singh, Tanya|Sumers, Theodore|Tang, Leonard|Troy, Kevin K.|Weisser, Constantin|"
    "Zhong, Ruiqi|Zhou, Giulio|Leike, Jan|Kaplan, Jared|Perez, Ethan"
).split("|")
SHARMA_TITLE = (
    "Constitutional Classifiers: Defending against Universal Jailbreaks across Thousands of Hours of "
    "Red Teaming"
)
# APA 7: the first 19 authors, an ellipsis, the last; initials with spaces.
SHARMA_APA_NAMES = (
    "Sharma, M., Tong, M., Mu, J., Wei, J., Kruthoff, J., Goodfriend, S., Ong, E., Peng, A., "
    "Agarwal, R., Anil, C., Askell, A., Bailey, N., Benton, J., Bluemke, E., Bowman, S. R., "
    "Christiansen, E., Cunningham, H., Dau, A., Gopal, A., . . . Perez, E."
)

EXPECTED: dict[tuple[str, str], str] = {
    # ---- 2501.18837: 43 authors, dated arXiv preprint
    ("2501.18837", "bibtex"): (
        "@misc{sharma2025constitutional,\n"
        f"  title         = {{{SHARMA_TITLE}}},\n"
        f"  author        = {{{' and '.join(SHARMA_BYLINE)}}},\n"
        "  year          = {2025},\n"
        "  month         = {January},\n"
        "  eprint        = {2501.18837},\n"
        "  archivePrefix = {arXiv},\n"
        "  url           = {https://arxiv.org/abs/2501.18837}\n"
        "}"
    ),
    ("2501.18837", "biblatex"): (
        "@online{sharma2025constitutional,\n"
        f"  title      = {{{SHARMA_TITLE}}},\n"
        f"  author     = {{{' and '.join(SHARMA_BYLINE)}}},\n"
        "  date       = {2025-01-30},\n"
        "  eprint     = {2501.18837},\n"
        "  eprinttype = {arxiv},\n"
        "  url        = {https://arxiv.org/abs/2501.18837}\n"
        "}"
    ),
    ("2501.18837", "apa"): (
        f"{SHARMA_APA_NAMES} (2025). Constitutional classifiers: Defending against universal jailbreaks "
        "across thousands of hours of red teaming (arXiv:2501.18837). arXiv. https://arxiv.org/abs/2501.18837"
    ),
    ("2501.18837", "mla"): (
        "Sharma, Mrinank, et al. “Constitutional Classifiers: Defending against Universal Jailbreaks across "
        "Thousands of Hours of Red Teaming.” arXiv, 30 Jan. 2025, arxiv.org/abs/2501.18837."
    ),
    ("2501.18837", "chicago"): (
        "Sharma, Mrinank, Meg Tong, Jesse Mu, et al. 2025. “Constitutional Classifiers: Defending against "
        "Universal Jailbreaks across Thousands of Hours of Red Teaming.” Preprint, arXiv, January 30, 2025. "
        "https://arxiv.org/abs/2501.18837."
    ),
    ("2501.18837", "ieee"): (
        "M. Sharma et al., “Constitutional classifiers: Defending against universal jailbreaks across "
        "thousands of hours of red teaming,” 2025, arXiv:2501.18837."
    ),
    ("2501.18837", "plain"): (
        f"Mrinank Sharma et al. {SHARMA_TITLE}. 2025. https://arxiv.org/abs/2501.18837"
    ),
    ("2501.18837", "markdown"): (
        f"[{SHARMA_TITLE}](https://arxiv.org/abs/2501.18837) — Mrinank Sharma et al., 2025"
    ),
    ("2501.18837", "cite"): "\\cite{sharma2025constitutional}",
    ("2501.18837", "key"): "sharma2025constitutional",
    ("2501.18837", "arxiv-url"): "https://arxiv.org/abs/2501.18837",
    # ---- mucompositional: two authors, no year, no identifier
    ("mucompositional", "bibtex"): (
        "@misc{mucompositional,\n"
        "  title  = {Compositional Explanations of Neurons},\n"
        "  author = {Mu, Jesse and Andreas, Jacob}\n"
        "}"
    ),
    ("mucompositional", "biblatex"): (
        "@misc{mucompositional,\n"
        "  title  = {Compositional Explanations of Neurons},\n"
        "  author = {Mu, Jesse and Andreas, Jacob}\n"
        "}"
    ),
    ("mucompositional", "apa"): "Mu, J., & Andreas, J. (n.d.). Compositional explanations of neurons.",
    ("mucompositional", "mla"): "Mu, Jesse, and Jacob Andreas. “Compositional Explanations of Neurons.”",
    (
        "mucompositional",
        "chicago",
    ): "Mu, Jesse, and Jacob Andreas. n.d. “Compositional Explanations of Neurons.”",
    ("mucompositional", "ieee"): "J. Mu and J. Andreas, “Compositional explanations of neurons.”",
    ("mucompositional", "plain"): "Jesse Mu and Jacob Andreas. Compositional Explanations of Neurons.",
    ("mucompositional", "markdown"): "Compositional Explanations of Neurons — Jesse Mu and Jacob Andreas",
    ("mucompositional", "cite"): "\\cite{mucompositional}",
    ("mucompositional", "key"): "mucompositional",
    # ---- muemergent: the other two-author paper
    ("muemergent", "apa"): "Mu, J., & Goodman, N. (n.d.). Emergent communication of generalizations.",
    ("muemergent", "mla"): "Mu, Jesse, and Noah Goodman. “Emergent Communication of Generalizations.”",
    (
        "muemergent",
        "chicago",
    ): "Mu, Jesse, and Noah Goodman. n.d. “Emergent Communication of Generalizations.”",
    ("muemergent", "ieee"): "J. Mu and N. Goodman, “Emergent communication of generalizations.”",
    # ---- 2409.12822: no title, no authors; a description stands in, never an invented title
    ("2409.12822", "bibtex"): (
        "@misc{anon2024,\n"
        "  year          = {2024},\n"
        "  month         = {September},\n"
        "  eprint        = {2409.12822},\n"
        "  archivePrefix = {arXiv},\n"
        "  url           = {https://arxiv.org/abs/2409.12822}\n"
        "}"
    ),
    ("2409.12822", "biblatex"): (
        "@online{anon2024,\n"
        "  date       = {2024-09-19},\n"
        "  eprint     = {2409.12822},\n"
        "  eprinttype = {arxiv},\n"
        "  url        = {https://arxiv.org/abs/2409.12822}\n"
        "}"
    ),
    ("2409.12822", "apa"): (
        "[Untitled preprint] (arXiv:2409.12822). (2024). arXiv. https://arxiv.org/abs/2409.12822"
    ),
    ("2409.12822", "mla"): "Untitled preprint. arXiv, 19 Sept. 2024, arxiv.org/abs/2409.12822.",
    ("2409.12822", "chicago"): (
        "Untitled preprint. 2024. Preprint, arXiv, September 19, 2024. https://arxiv.org/abs/2409.12822."
    ),
    ("2409.12822", "ieee"): "Untitled preprint, 2024, arXiv:2409.12822.",
    ("2409.12822", "plain"): "Untitled preprint. 2024. https://arxiv.org/abs/2409.12822",
    ("2409.12822", "markdown"): "[Untitled preprint](https://arxiv.org/abs/2409.12822) — 2024",
    ("2409.12822", "cite"): "\\cite{anon2024}",
    ("2409.12822", "key"): "anon2024",
    ("2409.12822", "arxiv-url"): "https://arxiv.org/abs/2409.12822",
    # ---- 2406.04604: arXiv only, with a venue (kept in BibTeX's note and in the plain reference)
    ("2406.04604", "bibtex"): (
        "@misc{anon2024c,\n"
        "  year          = {2024},\n"
        "  month         = {June},\n"
        "  eprint        = {2406.04604},\n"
        "  archivePrefix = {arXiv},\n"
        "  url           = {https://arxiv.org/abs/2406.04604},\n"
        "  note          = {ACL 2024 Main Conference}\n"
        "}"
    ),
    ("2406.04604", "biblatex"): (
        "@online{anon2024c,\n"
        "  date       = {2024-06-06},\n"
        "  eprint     = {2406.04604},\n"
        "  eprinttype = {arxiv},\n"
        "  url        = {https://arxiv.org/abs/2406.04604},\n"
        "  note       = {ACL 2024 Main Conference}\n"
        "}"
    ),
    ("2406.04604", "apa"): (
        "[Untitled preprint] (arXiv:2406.04604). (2024). arXiv. https://arxiv.org/abs/2406.04604"
    ),
    ("2406.04604", "mla"): "Untitled preprint. arXiv, 6 June 2024, arxiv.org/abs/2406.04604.",
    ("2406.04604", "chicago"): (
        "Untitled preprint. 2024. Preprint, arXiv, June 6, 2024. https://arxiv.org/abs/2406.04604."
    ),
    ("2406.04604", "ieee"): "Untitled preprint, 2024, arXiv:2406.04604.",
    ("2406.04604", "plain"): (
        "Untitled preprint. ACL 2024 Main Conference, 2024. https://arxiv.org/abs/2406.04604"
    ),
    ("2406.04604", "markdown"): "[Untitled preprint](https://arxiv.org/abs/2406.04604) — 2024",
    ("2406.04604", "cite"): "\\cite{anon2024c}",
    ("2406.04604", "key"): "anon2024c",
    ("2406.04604", "arxiv-url"): "https://arxiv.org/abs/2406.04604",
}


@pytest.mark.parametrize(("paper_id", "style"), list(EXPECTED), ids=[f"{p}-{s}" for p, s in EXPECTED])
def test_exact_citation(paper, paper_id: str, style: str) -> None:
    cited = paper(paper_id)
    written = format_citation(cited, style)
    if style in ("bibtex", "biblatex") and cited.abstract:
        written = _abstract_set_aside(written, cited.abstract.text)
    assert written == EXPECTED[(paper_id, style)]


def _abstract_set_aside(entry: str, abstract: str) -> str:
    """The entry as if it had no abstract, once its abstract is found whole (the table leaves
    abstracts out for length)."""
    head, *fields = entry.removesuffix("\n}").split(",\n")
    pairs = [(name.strip(), value.strip()) for name, value in (field.split("=", 1) for field in fields)]
    assert ("abstract", "{" + bibfile.escape(abstract) + "}") in pairs
    kept = [(name, value) for name, value in pairs if name != "abstract"]
    width = max(len(name) for name, _ in kept)
    return head + ",\n" + ",\n".join(f"  {name:<{width}} = {value}" for name, value in kept) + "\n}"


# Checked in their own tests: the interchange formats by reading them back, the reading list by form.
CHECKED_ELSEWHERE = {"csl-json", "ris", "reading-list"}


def test_every_style_is_checked_on_each_kind_of_bundled_paper() -> None:
    from tuireader.cite import style_names

    styles = set(style_names()) - CHECKED_ELSEWHERE
    for paper_id in ("2501.18837", "2409.12822", "2406.04604"):
        assert {style for pid, style in EXPECTED if pid == paper_id} == styles
    assert {style for pid, style in EXPECTED if pid == "mucompositional"} == styles - {"arxiv-url"}


def test_a_paper_not_on_arxiv_has_no_arxiv_url(paper) -> None:
    with pytest.raises(CitationUnavailable, match="not on arXiv"):
        format_citation(paper("mucompositional"), "arxiv-url")


def test_hubinger_apa_uses_n_d_and_the_21_author_rule_and_keeps_the_acronym(paper) -> None:
    apa = format_citation(paper("hubingersleeper"), "apa")
    assert apa.startswith("Hubinger, E., Denison, C., Mu, J., Lambert, M., Tong, M., MacDiarmid, M., ")
    assert (
        ", Ndousse, K., . . . Perez, E. (n.d.). Sleeper agents: Training deceptive LLMs that persist " in apa
    )
    assert apa.endswith("through safety training.")
    assert "&" not in apa  # no ampersand before the last author after an ellipsis


def test_names_keep_the_bylines_own_spelling(paper) -> None:
    # Goodman is `Noah` on one paper and `Noah D.` on another: each citation keeps its own.
    assert "Goodman, N. (n.d.)" in format_citation(paper("muemergent"), "apa")
    assert "Goodman, N. D. (n.d.)" in format_citation(paper("wangcalibrate"), "apa")
    assert "Sören" in format_citation(paper("hubingersleeper"), "bibtex")
