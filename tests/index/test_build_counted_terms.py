"""The build's counted fields and one-paper posting lists give what Whoosh gives."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from tests.index.test_whoosh_equivalence import TRICKY, texts, written_both_ways
from tuireader.corpus.library import Library
from tuireader.corpus.model import Author, Paper, StyledText
from tuireader.index.analysis import TermExtractor, text_analyzer
from tuireader.index.documents import record_of


def test_counted_stems_are_the_analyzers_counts(bundled: Library) -> None:
    analyzer = text_analyzer()
    extractor = TermExtractor()
    for text in texts(bundled):
        expected = Counter(token.text for token in analyzer(text))
        counts, kept = extractor.text_counts(text)
        assert counts == expected, text
        assert kept == extractor.words(text)


def test_terms_of_one_paper_are_written_as_whoosh_writes_them(tmp_path: Path) -> None:
    # Every paper's own words, some repeated (weights above one), in every kind of field:
    # positional, counted and exact, so each term's list holds a single posting.
    papers = [
        Paper(
            id=f"p{number}",
            title=f"{text} title{number} title{number}",
            abstract=StyledText(f"{text} solo{number} solo{number} solo{number} unique{number}"),
            venue=f"Venue{number} of venues",
            year=2000 + number,
            authors=(Author(f"Family{number}", "Given"),),
            keywords=(f"keyword{number}",),
            doi=f"10.1/{number}",
        )
        for number, text in enumerate(TRICKY)
    ]
    records = [record_of(paper) for paper in papers]
    found, by_whoosh = written_both_ways(records, tmp_path)
    assert found == by_whoosh
    postings = found["postings"]
    assert isinstance(postings, dict)
    singles = [items for items, *_ in postings.values() if len(items) == 1]
    assert any(weight > 1 for _, weight, _ in (item for items in singles for item in items))
