"""The arXiv-listing reader on the bundled document."""

from __future__ import annotations

import datetime as dt

from tests.corpus.bundled import ARXIV_LISTING, PUBLICATION_LIST, line
from tuireader.corpus.model import Emphasis, Source
from tuireader.corpus.readers import arxiv_listing, publication_list

SHOWN = "feeds/listing.txt"

# (arXiv id, Created date, line of the abstract's first line), in the order of the document.
EXPECTED = [
    ("2501.18837", dt.date(2025, 1, 30), 1),
    ("2409.12822", dt.date(2024, 9, 19), 6),
    ("2409.08466", dt.date(2024, 9, 12), 11),
    ("2406.04604", dt.date(2024, 6, 6), 16),
    ("2404.09932", dt.date(2024, 4, 15), 23),
    ("2312.02974", dt.date(2023, 12, 5), 28),
    ("2307.08678", dt.date(2023, 7, 17), 33),
    ("2305.13749", dt.date(2023, 5, 23), 38),
    ("2302.14233", dt.date(2023, 2, 27), 43),
    ("2211.11501", dt.date(2022, 11, 18), 48),
]


def read():
    return arxiv_listing.read(ARXIV_LISTING.read_text(encoding="utf-8"), SHOWN)


def paper(arxiv_id: str):
    return next(p for p in read().records if p.arxiv_id == arxiv_id)


def emphasised(p) -> list[tuple[str, Emphasis]]:
    return [(p.abstract.text[s.start : s.end], s.emphasis) for s in p.abstract.spans]


def test_sniffs_its_own_format_only():
    assert arxiv_listing.sniff(ARXIV_LISTING.read_text(encoding="utf-8"))
    assert not arxiv_listing.sniff("")


def test_reads_ten_papers_with_ids_dates_and_lines():
    result = read()
    assert result.problems == []
    assert [(p.arxiv_id, p.date, p.sources) for p in result.records] == [
        (arxiv_id, date, (Source(SHOWN, number),)) for arxiv_id, date, number in EXPECTED
    ]
    assert [p.year for p in result.records] == [date.year for _, date, _ in EXPECTED]


def test_the_table_agrees_with_the_document():
    # Read off the text itself: the first `arXiv:` line after an abstract's line is its id, then its date.
    lines = ARXIV_LISTING.read_text(encoding="utf-8").splitlines()
    for arxiv_id, date, number in EXPECTED:
        id_at = next(i for i in range(number, len(lines)) if lines[i].startswith("arXiv:"))
        assert lines[id_at : id_at + 2] == [f"arXiv:{arxiv_id}", f"Created: {date.isoformat()}"]
        assert number == 1 or lines[number - 2] == ""


def test_title_and_authors_stay_unknown():
    for p in read().records:
        assert p.title is None
        assert p.authors == ()
        assert p.display_title == f"arXiv:{p.arxiv_id}"


def test_every_field_of_the_acl_paper():
    p = paper("2406.04604")
    assert p.venue == "ACL 2024 Main Conference"
    assert p.comments == ("ACL 2024 Main Conference",)
    assert p.date == dt.date(2024, 6, 6)
    assert p.year == 2024
    assert p.sources == (Source(SHOWN, 16),)
    # `33.3\%` is an escaped percent sign; the venue line is not part of the abstract.
    assert p.abstract.text == line(ARXIV_LISTING, 16).replace("33.3\\%", "33.3%")
    assert "ACL" not in p.abstract.text
    assert (p.title, p.authors, p.doi) == (None, (), None)


def test_papers_without_comment_lines_have_no_venue():
    assert [p.arxiv_id for p in read().records if p.venue or p.comments] == ["2406.04604"]


def test_bold_sets_and_subscripted_symbols():
    # Line 28, the VisDiff abstract: `$\textbf{sets}$`, `$D_A$`, `$D_B$`.
    p = paper("2312.02974")
    text = p.abstract.text
    assert "differences between two sets of images, which we term Set Difference Captioning" in text
    assert emphasised(p) == [("sets", Emphasis.BOLD)]
    assert "This task takes in image sets D_A and D_B, and outputs a description" in text
    assert "more often true on D_A than D_B." in text
    assert "$" not in text and "\\" not in text


def test_math_plus_sign():
    # Line 23: `we pose $200+$ concrete research questions.`
    assert paper("2404.09932").abstract.text.endswith("we pose 200+ concrete research questions.")


def test_bold_phrase():
    p = paper("2307.08678")
    assert emphasised(p) == [("counterfactual simulatability", Emphasis.BOLD)]
    assert "we propose to evaluate counterfactual simulatability of natural language explanations" in (
        p.abstract.text
    )


def test_italics_inside_quotes():
    p = paper("2302.14233")
    assert emphasised(p) == [
        ("comparing the side effects of drug A and drug B", Emphasis.ITALIC),
        ("mention feelings of paranoia", Emphasis.ITALIC),
    ]
    assert 'a research goal "comparing the side effects of drug A and drug B" and a corpus pair' in (
        p.abstract.text
    )


def test_escaped_and_bare_percent_signs():
    assert "enables non-experts to solve 33.3% more problems" in paper("2406.04604").abstract.text
    ds1000 = paper("2211.11501").abstract.text
    assert "only 1.8% of them are incorrect" in ds1000
    assert "achieves 43.3% accuracy" in ds1000
    assert "(reliable) \u2013 across all" in ds1000  # `--` between words is a dash


def test_plain_abstracts_are_unchanged():
    assert paper("2409.12822").abstract.text == line(ARXIV_LISTING, 6)
    assert paper("2501.18837").abstract.text == line(ARXIV_LISTING, 1)


def test_the_publication_reader_does_not_claim_an_arxiv_listing():
    assert not publication_list.sniff(ARXIV_LISTING.read_text(encoding="utf-8"))
    assert not arxiv_listing.sniff(PUBLICATION_LIST.read_text(encoding="utf-8"))
