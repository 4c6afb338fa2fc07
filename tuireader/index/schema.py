"""The Whoosh schema of the paper index, and the version that names its on-disk layout."""

from __future__ import annotations

from collections.abc import Mapping

from whoosh.analysis import Analyzer
from whoosh.fields import ID, STORED, TEXT, Schema

from tuireader.index.analysis import (
    identifier_analyzer,
    name_analyzer,
    pair_analyzer,
    surface_analyzer,
    text_analyzer,
)

# Bump when the schema, the analysis or the side files change: older indexes are then rebuilt.
INDEX_FORMAT = 10

# Searched by bare words, with the weight of a match in each; a title match must outrank any
# abstract match, and BM25's term-frequency factor is below 2.2 (k1 + 1), hence 3 for titles.
DEFAULT_FIELDS: Mapping[str, float] = {
    "title": 3.0,
    "abstract": 1.0,
    "author": 2.0,
    "venue": 1.0,
    "id": 3.0,
}
TEXT_FIELDS = ("title", "abstract", "venue")  # stemmed
SURFACE_FIELD = "words"  # unstemmed words of the stemmed fields
POSITIONAL_FIELDS = ("title", "venue", "venue_name", "author")  # phrases are matched by the index
NAME_FIELDS = ("author",)  # whole words, accents folded
EXACT_FIELDS = ("id", "spelling", "year", "date", "category", "collection")  # whole values
QUERY_FIELDS = ("title", "author", "abstract", "venue", "id", "year", "cat", "keyword", "collection")
# A field of the query searched in more than one field of the index: `venue:` matches the venue
# as written and the name the venue facet gives it (see venues.py).
SEARCHED_AS: Mapping[str, tuple[str, ...]] = {"venue": ("venue", "venue_name")}
# Phrases in these fields are first narrowed to the papers having each two adjacent words of
# them, as terms of the `pairs` field (see `pair_term`), a code naming the field.
PAIRED_FIELDS: Mapping[str, str] = {"title": "t", "abstract": "a", "venue": "v", "venue_name": "n"}
PAIRS_FIELD = "pairs"
# Holding several values a phrase must not run across (one per line of the text searched).
LISTED_FIELDS = ("keyword",)


def _text(analyzer: Analyzer, *, phrase: bool) -> TEXT:
    return TEXT(analyzer=analyzer, phrase=phrase)


def paper_schema() -> Schema:
    """Plain Whoosh fields, so the index is readable by Whoosh alone. `key` is the paper's id
    (unique, stored with the facts the side file is rebuilt from)."""
    return Schema(
        key=ID(stored=True, unique=True),
        facts=STORED(),
        title=_text(text_analyzer(), phrase=True),
        # Without positions: decoding them was most of the cost of a query on a common word.
        # Phrases in abstracts are checked against the text instead (see evaluate.py).
        abstract=_text(text_analyzer(), phrase=False),
        venue=_text(text_analyzer(), phrase=True),
        # The venue facet's name for the venue, so that `venue:` finds it whatever an edition
        # called itself.
        venue_name=_text(text_analyzer(), phrase=True),
        # The paper's keywords (as BibTeX gives them), one per line; phrases are checked
        # against each keyword's text.
        keyword=_text(text_analyzer(), phrase=False),
        # Title, abstract and venue words unstemmed, for prefixes, wildcards and fuzzy words:
        # their stems would match other words (`pars*` is not French "par").
        words=_text(surface_analyzer(), phrase=False),
        author=_text(name_analyzer(), phrase=True),
        id=_text(identifier_analyzer(), phrase=False),
        spelling=_text(identifier_analyzer(), phrase=False),
        year=_text(identifier_analyzer(), phrase=False),
        date=_text(identifier_analyzer(), phrase=False),
        category=_text(identifier_analyzer(), phrase=False),  # arXiv's, whole: `cs.cl`
        # Each two adjacent stems of the fields in PAIRED_FIELDS (stop words skipped, as the
        # fields index them): a phrase of common words then checks about the papers having it,
        # where abstracts (without positions) had every paper with all its words checked, and
        # Whoosh's position matcher stepped through every such title or venue.
        pairs=_text(pair_analyzer(), phrase=False),
        # Zotero collections and their parents, each path one word: `thesis/chapter_2`
        collection=_text(identifier_analyzer(), phrase=False),
    )
