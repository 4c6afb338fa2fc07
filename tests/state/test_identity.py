from __future__ import annotations

from tuireader.corpus.model import Paper
from tuireader.state import find_paper, identities, normalise_doi, title_fingerprint
from tuireader.state.identity import contradicts


def test_identities_are_prefixed_and_strongest_first():
    paper = Paper(
        title="Attention Is All You Need",
        year=2017,
        doi="https://doi.org/10.48550/ARXIV.1706.03762",
        arxiv_id="arXiv:1706.03762v7",
        citation_key="vaswani2017",
    )
    assert identities(paper) == (
        "doi:10.48550/arxiv.1706.03762",
        "arxiv:1706.03762",
        "key:vaswani2017",
        "title:2017:attention is all you need",
    )


def test_doi_forms_normalise_alike():
    forms = [
        "10.1000/ABC",
        "doi:10.1000/abc",
        "http://dx.doi.org/10.1000/Abc",
        " https://doi.org/10.1000/abc ",
    ]
    assert {normalise_doi(form) for form in forms} == {"10.1000/abc"}
    assert normalise_doi("https://doi.org/") is None


def test_title_fingerprint_folds_case_accents_and_punctuation():
    assert (
        title_fingerprint("Über-Große  {Modelle}: eine Studie!", 2020)
        == "2020:uber grosse modelle eine studie"
    )
    assert title_fingerprint("Café, au lait?", None) == ":cafe au lait"
    assert title_fingerprint("!!!", 2020) is None


def test_a_paper_with_nothing_has_no_identity():
    assert identities(Paper()) == ()


def test_differing_dois_contradict_but_weak_keys_do_not():
    assert contradicts(["doi:10.1/a", "key:x"], ["doi:10.1/b", "key:x"])
    assert not contradicts(["key:y"], ["doi:10.1/b", "key:x"])
    assert not contradicts(["doi:10.1/a", "arxiv:1"], ["doi:10.1/a", "doi:10.1/old"])


def test_find_paper_by_id_then_by_identity():
    first = Paper(title="One", year=2001, citation_key="one", id="one")
    second = Paper(title="Two", year=2002, doi="10.1/two", citation_key="two", id="two")
    papers = [first, second]
    assert find_paper(papers, "one", identities(first)) is first
    renamed = Paper(title="Two", year=2002, doi="10.1/two", citation_key="two-renamed", id="two-renamed")
    assert find_paper([first, renamed], "two", identities(second)) is renamed
    assert find_paper(papers, "gone", ("doi:10.1/none",)) is None
