"""Full-text search over a library: a persistent Whoosh index, a query language, facets,
highlights and related papers. Never imports Textual: the CLI, benchmarks and tests use it bare."""

from tuireader.index.engine import SearchEngine
from tuireader.index.location import IndexDamaged, IndexUnavailable
from tuireader.index.ordering import SORTS
from tuireader.index.results import (
    Fragment,
    Highlights,
    Hit,
    QueryTerms,
    SearchCancelled,
    SearchResults,
    TextSpan,
)

__all__ = [
    "SORTS",
    "Fragment",
    "Highlights",
    "Hit",
    "IndexDamaged",
    "IndexUnavailable",
    "QueryTerms",
    "SearchCancelled",
    "SearchEngine",
    "SearchResults",
    "TextSpan",
]
