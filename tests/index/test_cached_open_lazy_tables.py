"""Opening an index builds only what the first list needs: the length norms and the vocabulary
are made when first used, or by the warm-up, which waits for the first search and a pause after
it. Whichever comes first, every search must find, rank, count and highlight the same."""

from __future__ import annotations

from array import array
from collections.abc import Callable
from pathlib import Path

import pytest

from tuireader.corpus.library import Library
from tuireader.corpus.model import Paper
from tuireader.index import SearchEngine
from tuireader.index import engine as engine_module
from tuireader.index.postings import LengthNorms, length_norms
from tuireader.index.results import SearchResults
from tuireader.index.vocabulary import VOCABULARY_FILE, Vocabulary, VocabularyDamaged

QUERIES = [
    "transl",  # a word being typed: prefixes from the vocabulary
    "neural machine translation",
    '"machine translation"',
    "pars* -dependency",
    "sentimnet",  # close words suggested, from the vocabulary
    "author:smith",
    "title:translation OR year:2021",
]


def _everything(results: SearchResults) -> tuple[object, ...]:
    return (
        results.total,
        list(results.ids),
        [(hit.paper_id, round(hit.score, 9)) for hit in results.hits],
        results.suggestions,
        results.notice,
        results.author_facets,
        results.year_facets,
        results.venue_facets,
        results.terms,
    )


@pytest.fixture(scope="module")
def index_folder(acl: Library, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("index")
    with SearchEngine.open(acl, cache_dir=folder):  # built; later opens find it current
        pass
    return folder


@pytest.fixture
def held_warm_up(monkeypatch: pytest.MonkeyPatch) -> None:
    """Engines opened now do not warm up unless someone waits for it."""
    monkeypatch.setattr(engine_module, "WARM_UP_AFTER_FIRST_SEARCH", 600.0)
    monkeypatch.setattr(engine_module, "WARM_UP_PAUSE", 600.0)


def test_the_first_list_needs_neither_norms_nor_vocabulary(
    acl: Library, index_folder: Path, open_engine: Callable[..., SearchEngine], held_warm_up: None
) -> None:
    engine = open_engine(acl, cache_dir=index_folder)
    assert engine.action == "opened"
    first = engine.search("", limit=0, page=60)
    assert first.total == len(acl.papers)
    assert not engine._norms._made, "norms made at open or by a blank search"
    assert engine._view.vocabulary._lists is None, "the vocabulary was unpacked at open"


@pytest.mark.parametrize("query", QUERIES)
def test_searches_are_the_same_with_or_without_the_warm_up_first(
    query: str,
    acl: Library,
    index_folder: Path,
    open_engine: Callable[..., SearchEngine],
    held_warm_up: None,
) -> None:
    warm = open_engine(acl, cache_dir=index_folder)
    assert warm.wait_until_ready(60)
    cold = open_engine(acl, cache_dir=index_folder)
    cold.search("", limit=0)  # the first list, as the reader shows it
    found = [engine.search(query, limit=10, page=40) for engine in (cold, warm)]
    assert found[0].total or found[0].suggestions, f"{query!r} finds nothing: that would prove little"
    assert _everything(found[0]) == _everything(found[1])
    for opening in list(found[0].ids)[:3]:
        assert cold.highlights(opening, found[0]) == warm.highlights(opening, found[1])


def test_waiting_for_the_warm_up_cuts_its_pause(
    acl: Library,
    index_folder: Path,
    open_engine: Callable[..., SearchEngine],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(engine_module, "WARM_UP_PAUSE", 600.0)
    engine = open_engine(acl, cache_dir=index_folder)
    engine.search("", limit=0)
    assert engine.wait_until_ready(60), "the warm-up still paused for someone waiting for it"
    assert set(engine._norms._made) == set(engine._norms)
    assert engine._view.vocabulary._lists is not None


def test_norms_made_on_first_use_are_the_eager_ones() -> None:
    lengths = {"title": array("H", [3, 0, 7, 12, 3]), "abstract": array("H", [0, 0, 0, 0, 0])}
    live = [0, 1, 3]  # documents 2 and 4 deleted: the average is over the others
    for norms_live in (None, live):
        norms = LengthNorms(lengths, norms_live)
        assert set(norms) == {"title", "abstract"} and not norms._made
        assert norms["title"] == length_norms(lengths["title"], norms_live)
        assert list(norms._made) == ["title"]
        assert norms.get("venue") is None
        assert norms["abstract"] == length_norms(lengths["abstract"], norms_live)
    expected = [1.2 * (0.25 + 0.75 * n / 7.5) for n in lengths["title"]]
    assert LengthNorms(lengths, live)["title"] == pytest.approx(expected)
    assert LengthNorms(lengths)["title"] != LengthNorms(lengths, live)["title"]


def test_a_vocabulary_unpacked_late_is_the_one_loaded(tmp_path: Path) -> None:
    Vocabulary.from_counts({"parsing": (4, "pars"), "parser": (2, "parser"), "neural": (9, "neural")}).save(
        tmp_path
    )
    now, later = Vocabulary.load(tmp_path), Vocabulary.load_later(tmp_path)
    assert now is not None and later is not None
    assert later._lists is None
    assert later.expand("pars", max_terms=5) == now.expand("pars", max_terms=5)
    assert (later.words, later.stems, later.documents) == (now.words, now.stems, now.documents)


def test_a_damaged_vocabulary_unpacked_late_says_so(tmp_path: Path) -> None:
    (tmp_path / VOCABULARY_FILE).write_bytes(b"not a vocabulary")
    assert Vocabulary.load(tmp_path) is None
    later = Vocabulary.load_later(tmp_path)
    assert later is not None
    with pytest.raises(VocabularyDamaged):
        later.documents_with("parsing")
    assert Vocabulary.load_later(tmp_path / "missing") is None


def test_keys_differing_in_case_find_the_first_paper_and_aliases_first() -> None:
    papers = tuple(
        Paper(title=title, id=paper_id)
        for title, paper_id in [
            ("one", "Smith2020"),
            ("two", "smith2020"),
            ("three", "keya"),
            ("four", "Lee"),
        ]
    )
    library = Library(papers, aliases={"KeyA": "Lee", "KEYA": "Smith2020"})
    found = {
        key: paper.title
        for key in ("SMITH2020", "smith2020", "Keya", "keya", "lee")
        if (paper := library.get(key))
    }
    assert found == {"SMITH2020": "one", "smith2020": "two", "Keya": "four", "keya": "three", "lee": "four"}
