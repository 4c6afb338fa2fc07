"""Venues named one way per venue, and `venue:`, `cat:` and `keyword:` checked against a plain
reading of the papers: what each matches, and the facet counts of what it matches."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator

import pytest

from tests.conftest import acl_slice, shared_corpus
from tuireader.corpus.library import Library, load_library
from tuireader.corpus.model import Paper
from tuireader.index import SearchEngine
from tuireader.index.analysis import TermExtractor
from tuireader.index.browse import browse
from tuireader.index.venues import normalise_venue, venue_facet

ACL = "Annual Meeting of the Association for Computational Linguistics"
EMNLP = "Conference on Empirical Methods in Natural Language Processing"

# Venue strings as the ACL Anthology file spells them, and the facet's name for each.
REAL_VENUES = [
    (f"Proceedings of the 58th {ACL}", ACL),
    (f"Proceedings of the 57th {ACL}", ACL),
    (f"Proceedings of the 52nd {ACL} (Volume 1: Long Papers)", ACL),
    (f"Proceedings of the 52nd {ACL} (Volume 2: Short Papers)", ACL),
    (f"Proceedings of the 42nd {ACL} (ACL-04)", ACL),
    (f"Proceedings of the 43rd {ACL} (ACL'05)", ACL),
    (f"21st {ACL}", ACL),
    (f"The Companion Volume to the Proceedings of 41st {ACL}", ACL),
    (f"Proceedings of the 58th {ACL}: System Demonstrations", f"{ACL}: System Demonstrations"),
    (f"Proceedings of the 57th {ACL}: System Demonstrations", f"{ACL}: System Demonstrations"),
    (f"51st {ACL} Proceedings of the Student Research Workshop", f"{ACL}: Student Research Workshop"),
    (f"Proceedings of the 58th {ACL}: Student Research Workshop", f"{ACL}: Student Research Workshop"),
    (f"Proceedings of the 2020 {EMNLP} (EMNLP)", EMNLP),
    (f"Proceedings of the 2002 {EMNLP} (EMNLP 2002)", EMNLP),
    (f"Proceedings of the 2017 {EMNLP}", EMNLP),
    (
        "Findings of the Association for Computational Linguistics: EMNLP 2020",
        "Findings of the Association for Computational Linguistics: EMNLP",
    ),
    (
        "Proceedings of the 12th Language Resources and Evaluation Conference",
        "Language Resources and Evaluation Conference",
    ),
    ("Proceedings of the Fourteenth Workshop on Semantic Evaluation", "Workshop on Semantic Evaluation"),
    (
        "Proceedings of The 12th International Workshop on Semantic Evaluation",
        "International Workshop on Semantic Evaluation",
    ),
    ("Proceedings of the Fifth Conference on Machine Translation", "Conference on Machine Translation"),
    (
        "Proceedings of the Sixth Workshop on Noisy User-generated Text (W-NUT 2020)",
        "Workshop on Noisy User-generated Text",
    ),
    (
        "Proceedings of the The Fourth Widening Natural Language Processing Workshop",
        "Widening Natural Language Processing Workshop",
    ),
    (
        "Proceedings of Second Workshop for NLP Open Source Software (NLP-OSS)",
        "Workshop for NLP Open Source Software",
    ),
    (
        "Proceedings of the Sixth International Workshop on Tree Adjoining Grammar and "
        "Related Frameworks (TAG+6)",
        "International Workshop on Tree Adjoining Grammar and Related Frameworks",
    ),
    (
        "Proceedings of the Third International Conference on Language Resources and Evaluation (LREC'02)",
        "International Conference on Language Resources and Evaluation",
    ),
    (
        "Proceedings of the 13th Nordic Conference of Computational Linguistics (NODALIDA 2001)",
        "Nordic Conference of Computational Linguistics",
    ),
    (
        "Proceedings of the Thirteenth Conference on Computational Natural Language Learning (CoNLL-2009)",
        "Conference on Computational Natural Language Learning",
    ),
    (
        "International Journal of Computational Linguistics & Chinese Language "
        "Processing, Volume 16, Number 3-4, September/December 2011",
        "International Journal of Computational Linguistics & Chinese Language Processing",
    ),
    (
        "International Journal of Computational Linguistics & Chinese Language "
        "Processing, Volume 2, Number 1, February 1997: Special Issue on Computational Resources "
        "for Research in Chinese Linguistics",
        "International Journal of Computational Linguistics & Chinese Language Processing",
    ),
    ("Linguistic Issues in Language Technology, Volume 10, 2014", "Linguistic Issues in Language Technology"),
    (
        "Third Message Uunderstanding Conference (MUC-3): Proceedings of a Conference "
        "Held in San Diego, California, May 21-23, 1991",
        "Message Uunderstanding Conference: a Conference Held in San Diego, California",
    ),
    (
        "Proceedings of the 1st Workshop on {NLP} for {COVID}-19 (Part 2) at {EMNLP} 2020",
        "Workshop on {NLP} for {COVID}-19 at {EMNLP}",
    ),
    (
        "Proceedings of the Workshop on Discourse Relation Parsing and Treebanking 2019",
        "Workshop on Discourse Relation Parsing and Treebanking",
    ),
    (
        "Actes de la 18e conférence sur le Traitement Automatique des Langues Naturelles. Démonstrations",
        "Conférence sur le Traitement Automatique des Langues Naturelles. Démonstrations",
    ),
    # Words that only look like edition details stay.
    ("Proceedings of the Workshop on Second Language Acquisition", "Workshop on Second Language Acquisition"),
    (
        "Proceedings of the Second ACL Workshop on Effective Tools and Methodologies for Teaching NLP and CL",
        "ACL Workshop on Effective Tools and Methodologies for Teaching NLP and CL",
    ),
]


@pytest.mark.parametrize(("written", "named"), REAL_VENUES)
def test_real_venue_names_lose_what_changes_between_editions(written: str, named: str) -> None:
    assert normalise_venue(written) == named


def test_a_journal_keeps_its_name_and_a_venue_never_becomes_blank() -> None:
    journal = "Transactions of the Association for Computational Linguistics"
    assert venue_facet(Paper(title="t", venue=journal, journal=journal)) == journal
    assert venue_facet(Paper(title="t", venue="Proceedings of the 2020")) == "Proceedings of the 2020"
    assert venue_facet(Paper(title="t")) == ""


# The engine over real papers with venues (ACL), arXiv categories and BibTeX keywords


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Library:
    folder = tmp_path_factory.mktemp("corpus")
    files = [
        acl_slice(folder, 2500),
        shared_corpus("arxiv-oai-sample/arxiv-metadata-oai-snapshot.first1000.jsonl"),
        shared_corpus("plume-bib/nlp.bib"),
        shared_corpus("plume-bib/invariants.bib"),
    ]
    return load_library([str(path) for path in files], cache=False)


@pytest.fixture(scope="module")
def engine(library: Library, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchEngine]:
    with SearchEngine.open(library, cache_dir=tmp_path_factory.mktemp("index"), workers=1) as opened:
        yield opened


_EXTRACTOR = TermExtractor()


def _has_phrase(text: str, words: str) -> bool:
    """Whether `text` has the words in a row, stemmed and without stop words, as the index has them."""
    wanted = [token.term for token in _EXTRACTOR.text_tokens(words)]
    tokens = [token.term for token in _EXTRACTOR.text_tokens(text)]
    return any(tokens[i : i + len(wanted)] == wanted for i in range(len(tokens)))


def _matching(library: Library, wanted: Callable[[Paper], bool]) -> set[str]:
    return {paper.id for paper in library.papers if wanted(paper)}


def _facet_of(paper: Paper) -> str:
    return venue_facet(paper)


@pytest.mark.parametrize(
    "words",
    [
        "Language Resources and Evaluation Conference",
        "Workshop on Semantic Evaluation",
        "Conference on Machine Translation",
        "Transactions of the Association for Computational Linguistics",
        "EMNLP",
        "COVID-19",
        "2020",
        "Noisy User-generated Text",
    ],
)
def test_venue_matches_the_venue_as_written_or_as_the_facet_names_it(
    engine: SearchEngine, library: Library, words: str
) -> None:
    results = engine.search(f'venue:"{words}"', limit=None)
    expected = _matching(
        library, lambda p: _has_phrase(p.venue or "", words) or _has_phrase(_facet_of(p), words)
    )
    assert expected and set(results.ids) == expected
    facets = Counter(_facet_of(library.get(i)) for i in expected)  # type: ignore[arg-type]
    assert dict(results.venue_facets) == {name: n for name, n in facets.items() if name}


def test_the_venue_facet_of_a_slice_counts_editions_together(engine: SearchEngine, library: Library) -> None:
    venues = dict(engine.search("", limit=0).venue_facets)
    assert venues["Workshop on Semantic Evaluation"] == sum(
        1
        for p in library.papers
        if p.venue == "Proceedings of the Fourteenth Workshop on Semantic Evaluation"
    )
    assert not any(any(ch.isdigit() for ch in name) for name in venues if "Findings" in name)


@pytest.mark.parametrize(
    "venue", ["Conference on Machine Translation", "Language Resources and Evaluation Conference"]
)
def test_the_venue_filter_keeps_the_papers_of_one_facet_entry(
    engine: SearchEngine, library: Library, venue: str
) -> None:
    expected = _matching(library, lambda p: _facet_of(p) == venue)
    assert expected
    assert set(engine.search("", venues=[venue], limit=None).ids) == expected
    assert set(browse(library, venues=(venue,)).ids) == expected
    narrowed = engine.search("language", venues=[venue], limit=None)
    assert set(narrowed.ids) == expected & set(engine.search("language", limit=None).ids)
    assert dict(narrowed.venue_facets) == {venue: narrowed.total}
    both = engine.search("", venues=[venue, "Workshop on Semantic Evaluation"], limit=None)
    assert both.total == len(expected) + sum(
        1 for p in library.papers if _facet_of(p) == "Workshop on Semantic Evaluation"
    )


def _categories(paper: Paper) -> set[str]:
    return {category.lower() for category in paper.categories}


@pytest.mark.parametrize(
    ("query", "wanted"),
    [
        ("cat:cs.IT", lambda cs: "cs.it" in cs),
        ("cat:CS.ai", lambda cs: "cs.ai" in cs),
        ("cat:hep-th", lambda cs: "hep-th" in cs),
        ("cat:cs.*", lambda cs: any(c.startswith("cs.") for c in cs)),
        ("category:math.*", lambda cs: any(c.startswith("math.") for c in cs)),
        ("cat:cond-mat.*", lambda cs: any(c.startswith("cond-mat.") for c in cs)),
        (
            "cat:cs.* -cat:math.*",
            lambda cs: any(c.startswith("cs.") for c in cs) and not any(c.startswith("math.") for c in cs),
        ),
    ],
)
def test_cat_matches_arxiv_categories(
    engine: SearchEngine, library: Library, query: str, wanted: Callable[[set[str]], bool]
) -> None:
    results = engine.search(query, limit=None)
    expected = _matching(library, lambda p: wanted(_categories(p)))
    assert expected and set(results.ids) == expected
    counted = Counter(c for i in expected for c in library.get(i).categories)  # type: ignore[union-attr]
    assert len(counted) <= 100  # all of them listed
    assert dict(results.category_facets) == dict(counted)
    shown = [count for _, count in results.category_facets]
    assert shown == sorted(shown, reverse=True)


def _keyword_has(paper: Paper, words: str) -> bool:
    return any(_has_phrase(keyword, words) for keyword in paper.keywords)


@pytest.mark.parametrize("words", ["parsing", "large language models", "verification", "machine translation"])
def test_keyword_matches_words_and_phrases_of_one_keyword(
    engine: SearchEngine, library: Library, words: str
) -> None:
    query = f'keyword:"{words}"' if " " in words else f"keyword:{words}"
    results = engine.search(query, limit=None)
    expected = _matching(library, lambda p: _keyword_has(p, words))
    assert set(results.ids) == expected
    counted: Counter[str] = Counter()
    names: dict[str, str] = {}
    for paper_id in expected:
        paper = library.get(paper_id)
        assert paper is not None
        counted.update({names.setdefault(k.casefold(), k).casefold() for k in paper.keywords})
    facets = {name.casefold(): n for name, n in results.keyword_facets}
    assert len(facets) == min(len(counted), 100)
    for name, count in facets.items():
        assert counted[name] == count
    if facets:  # the commonest: none left out counts more than the least listed
        assert max((n for name, n in counted.items() if name not in facets), default=0) <= min(
            facets.values()
        )


def test_a_keyword_phrase_does_not_run_from_one_keyword_into_the_next(
    engine: SearchEngine, library: Library
) -> None:
    # Two keywords side by side somewhere, whose words together are nobody's keyword.
    for paper in library.papers:
        pairs = zip(paper.keywords, paper.keywords[1:], strict=False)
        for first, second in pairs:
            last, following = first.split()[-1], second.split()[0]
            words = f"{last} {following}"
            if _EXTRACTOR.words(words) == [last.lower(), following.lower()] and not any(
                _keyword_has(p, words) for p in library.papers
            ):
                assert paper.id not in set(engine.search(f'keyword:"{words}"', limit=None).ids)
                return
    pytest.skip("no two keywords to join")


def test_browse_counts_categories_and_keywords_like_the_engine(
    engine: SearchEngine, library: Library
) -> None:
    browsed = browse(library)
    searched = engine.search("", limit=0)
    assert dict(browsed.category_facets) == dict(searched.category_facets)
    assert {n.casefold(): c for n, c in browsed.keyword_facets}.items() >= {
        (n.casefold(), c) for n, c in searched.keyword_facets if c > searched.keyword_facets[-1][1]
    }
    assert dict(browsed.venue_facets) == dict(searched.venue_facets)
