"""The bundled library: both documents read, the shared paper merged, ids given, authors grouped."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.corpus.bundled import ARXIV_LISTING, PUBLICATION_LIST, SHARED_PAPER, line
from tuireader.corpus.library import load_library
from tuireader.corpus.model import Author, Source

PUBLICATION = f"seeds/{PUBLICATION_LIST.name}"
LISTING = f"seeds/{ARXIV_LISTING.name}"


@pytest.fixture(scope="module")
def library():
    return load_library()


def test_eighteen_papers_nine_plus_ten_minus_the_shared_one(library):
    assert len(library.papers) == 18
    assert library.problems == ()
    assert set(library.files_read) == {PUBLICATION, LISTING}


def test_the_shared_paper_holds_the_facts_of_both_documents(library):
    [merged] = [p for p in library.papers if len(p.sources) > 1]
    # Title and authors from the publication list (lines 5 and 6) …
    assert merged.title == line(PUBLICATION_LIST, 5)
    assert merged.authors[:3] == (Author("Sharma", "Mrinank"), Author("Tong", "Meg"), Author("Mu", "Jesse"))
    assert len(merged.authors) == 43
    # … the arXiv id and date from the listing (lines 3 and 4) …
    assert line(ARXIV_LISTING, 3) == f"arXiv:{SHARED_PAPER}"
    assert merged.arxiv_id == SHARED_PAPER
    assert merged.date == dt.date(2025, 1, 30)
    assert merged.year == 2025
    # … and both sources, each with its line.
    assert merged.sources == (Source(PUBLICATION, 5), Source(LISTING, 1))
    assert merged.id == SHARED_PAPER


def test_the_shared_abstracts_differ_in_punctuation_only():
    # Merging cannot rely on equal strings: the two copies are not equal.
    ours, theirs = line(PUBLICATION_LIST, 7), line(ARXIV_LISTING, 1)
    assert ours != theirs
    assert ours.replace("jailbreaks--prompting", "jailbreaks-prompting") == theirs


def test_no_other_paper_is_merged(library):
    assert sum(len(p.sources) for p in library.papers) == 19
    titles = [p.title for p in library.papers if p.title]
    assert len(titles) == 9 == len(set(titles))


def test_ids_are_arxiv_ids_or_citation_keys(library):
    ids = [p.id for p in library.papers]
    assert len(set(ids)) == 18
    assert ids == [
        "jonesforecasting",
        SHARED_PAPER,
        "wangjailbreak",
        "hubingersleeper",
        "mulearning",
        "yucharacterizing",
        "wangcalibrate",
        "muemergent",
        "mucompositional",
        "2409.12822",
        "2409.08466",
        "2406.04604",
        "2404.09932",
        "2312.02974",
        "2307.08678",
        "2305.13749",
        "2302.14233",
        "2211.11501",
    ]
    assert library.get(SHARED_PAPER).citation_key == "sharma2025constitutional"


@pytest.mark.parametrize(
    "asked", [SHARED_PAPER, f"arXiv:{SHARED_PAPER}", f"arXiv:{SHARED_PAPER}v2", "2501.18837v1"]
)
def test_arxiv_ids_are_found_in_any_spelling(library, asked):
    assert library.get(asked).id == SHARED_PAPER


def test_unknown_ids_are_not_found(library):
    assert library.get("2501.99999") is None
    assert library.get("nosuchkey") is None


def test_listing_only_papers_are_shown_by_arxiv_id(library):
    p = library.get("2409.12822")
    assert p.title is None
    assert p.display_title == "arXiv:2409.12822"


def test_goodman_spellings_are_one_author_named_in_full(library):
    counts = {person.name: count for person, count in library.people.counts(library.papers)}
    # Lines 15 and 24 write `Goodman, Noah`; lines 18 and 21 `Goodman, Noah D.`.
    assert [line(PUBLICATION_LIST, n).count("Goodman, Noah") for n in (15, 18, 21, 24)] == [1, 1, 1, 1]
    assert counts["Goodman, Noah D."] == 4
    assert "Goodman, Noah" not in counts


def test_each_paper_keeps_its_own_byline(library):
    assert Author("Goodman", "Noah") in library.get("mulearning").authors
    assert Author("Goodman", "Noah D.") in library.get("wangcalibrate").authors


def test_shared_family_or_given_names_stay_apart(library):
    counts = {person.name: count for person, count in library.people.counts(library.papers)}
    # Two Wangs (lines 9 and 21), two Logans (lines 6 and 12), two Kevins (line 6).
    assert counts["Wang, Tony T."] == 1
    assert counts["Wang, Rose E."] == 1
    assert counts["Graham, Logan"] == 2
    assert counts["Howard, Logan"] == 1
    assert counts["Lin, Kevin"] == 1
    assert counts["Troy, Kevin K."] == 1


def test_author_counts_most_papers_first(library):
    counts = library.people.counts(library.papers)
    assert (counts[0][0].name, counts[0][1]) == ("Mu, Jesse", 9)  # on every byline of the list
    assert [count for _, count in counts] == sorted((count for _, count in counts), reverse=True)
    top = {person.name: count for person, count in counts[:6]}
    assert top == {
        "Mu, Jesse": 9,
        "Goodman, Noah D.": 4,
        "Perez, Ethan": 4,
        "Sharma, Mrinank": 4,
        "Kaplan, Jared": 3,
        "Tong, Meg": 3,
    }


def test_a_folder_reads_like_the_bundled_corpus(tmp_path):
    from_folder = load_library([PUBLICATION_LIST.parent])
    assert [p.id for p in from_folder.papers] == [p.id for p in load_library().papers]
    merged = from_folder.get(SHARED_PAPER)
    assert [str(s) for s in merged.sources] == [
        f"{PUBLICATION_LIST.parent / PUBLICATION_LIST.name}:5",
        f"{PUBLICATION_LIST.parent / ARXIV_LISTING.name}:1",
    ]


def test_the_format_is_found_from_the_content_not_the_name(tmp_path):
    (tmp_path / "listing.bib").write_bytes(PUBLICATION_LIST.read_bytes())
    (tmp_path / "papers").write_bytes(ARXIV_LISTING.read_bytes())
    library = load_library([tmp_path])
    assert library.problems == ()
    assert len(library.papers) == 18
