"""Paper ids: the arXiv id where there is one, otherwise a citation key that never collides."""

from __future__ import annotations

from tuireader.corpus.keys import assign_ids, base_key, normalise_arxiv_id
from tuireader.corpus.merge import merge_records
from tuireader.corpus.model import Author, Paper


def paper(family: str, title: str, year: int | None = None, arxiv_id: str | None = None) -> Paper:
    return Paper(title=title, authors=(Author(family, "A."),), year=year, arxiv_id=arxiv_id)


def test_key_is_family_year_and_first_significant_title_word():
    assert base_key(paper("Mu", "Learning to Compress Prompts with Gist Tokens", 2023)) == "mu2023learning"
    assert base_key(paper("Mu", "The Art of Prompting", 2023)) == "mu2023art"
    assert base_key(paper("O'Hara", "A Study", 2021)) == "ohara2021study"


def test_year_is_left_out_when_unknown():
    assert base_key(paper("Jones", "Forecasting Rare Language Model Behaviors")) == "jonesforecasting"


def test_keys_are_lower_case_ascii():
    assert base_key(paper("Müller", "Über Alles", 2020)) == "muller2020uber"
    assert base_key(paper("Mindermann", "Ästhetik", 2024)) == "mindermann2024asthetik"


def test_letters_without_a_decomposition_are_transliterated():
    # NFKD leaves ø, ł, æ whole; dropping them would turn Søgaard into `sgaard`.
    assert base_key(paper("Søgaard", "Œuvres", 2020)) == "sogaard2020oeuvres"
    assert base_key(paper("Łukasiewicz", "Logic", 1920)) == "lukasiewicz1920logic"


def test_colliding_keys_are_told_apart_in_order():
    papers = [paper("Mu", f"Learning {topic}", 2023) for topic in ("to Compress", "to Teach", "by Doing")]
    assert [p.id for p in assign_ids(papers)] == ["mu2023learning", "mu2023learningb", "mu2023learningc"]


def test_colliding_non_ascii_names_are_told_apart():
    papers = [paper("Müller", "Über Alles", 2020), paper("Muller", "Uber alles", 2020)]
    assert [p.id for p in assign_ids(papers)] == ["muller2020uber", "muller2020uberb"]


def test_a_suffixed_key_does_not_collide_with_a_real_one():
    papers = [paper("Mu", "Learning", 2023), paper("Mu", "Learning", 2023), paper("Mu", "Learningb", 2023)]
    ids = [p.id for p in assign_ids(papers)]
    assert len(set(ids)) == 3


def test_arxiv_id_wins_and_the_key_is_kept_for_citing():
    [p] = assign_ids([paper("Sharma", "Constitutional Classifiers", 2025, arxiv_id="2501.18837")])
    assert p.id == "2501.18837"
    assert p.citation_key == "sharma2025constitutional"


def test_ids_stay_unique_when_two_papers_share_an_arxiv_id():
    # A conference and a journal version: one arXiv id, two DOIs, so they are kept as two papers.
    conference = Paper(title="X", authors=(Author("Mu", "J."),), arxiv_id="2501.18837", doi="10.1/conf")
    journal = Paper(title="X", authors=(Author("Mu", "J."),), arxiv_id="2501.18837", doi="10.1/journal")
    papers = assign_ids(merge_records([conference, journal]))
    assert len(papers) == 2
    assert len({p.id for p in papers}) == 2
    assert papers[0].id == "2501.18837"


def test_papers_without_authors_or_title_still_get_an_id():
    [p] = assign_ids([Paper(year=2024)])
    assert p.id == "anon2024"


def test_ids_are_stable_across_runs():
    papers = [paper("Mu", "Learning", 2023), paper("Mu", "Learning", 2023), paper("Yu", "Teaching")]
    assert [p.id for p in assign_ids(papers)] == [p.id for p in assign_ids(papers)]


def test_arxiv_id_spellings():
    assert normalise_arxiv_id("2501.18837") == "2501.18837"
    assert normalise_arxiv_id("arXiv:2501.18837v2") == "2501.18837"
    assert normalise_arxiv_id("hep-th/9901001v1") == "hep-th/9901001"
    assert normalise_arxiv_id("24O9.08466") is None
    assert normalise_arxiv_id("mulearning") is None
