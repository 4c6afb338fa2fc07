"""Full-text search over a library: a persistent Whoosh index, a query language, facets,
highlights and related papers. Never imports Textual: the CLI, benchmarks and tests use it bare.

The names below are imported when first used: the index's build processes import this package
for its writing modules alone, and the engine would bring the corpus readers and the searching
code into each of them (a fifth of a second and 7 MiB apiece)."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

_HOMES = {
    "SearchEngine": "engine",
    "IndexDamaged": "location",
    "IndexUnavailable": "location",
    "SORTS": "ordering",
    "Fragment": "results",
    "Highlights": "results",
    "Hit": "results",
    "QueryTerms": "results",
    "SearchCancelled": "results",
    "SearchResults": "results",
    "TextSpan": "results",
}

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


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{home}"), name)
