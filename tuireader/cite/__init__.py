"""Citations: one formatter per style, pure functions from a `Paper` to text.

from tuireader.cite import format_citation, format_many, get_style, STYLES
format_citation(paper, "apa")          # one reference, plain text
get_style("apa").styled(paper)          # the same with italic spans, for a preview
format_many(papers, "bibtex")           # a .bib: entries separated by blank lines
"""

from tuireader.cite.identifiers import CitationUnavailable
from tuireader.cite.registry import (
    ALIASES,
    DEFAULT_STYLE,
    STYLES,
    CitationStyle,
    UnknownStyle,
    describe,
    format_citation,
    format_many,
    get_style,
    style_names,
    uncitable,
)

__all__ = [
    "ALIASES",
    "DEFAULT_STYLE",
    "STYLES",
    "CitationStyle",
    "CitationUnavailable",
    "UnknownStyle",
    "describe",
    "format_citation",
    "format_many",
    "get_style",
    "style_names",
    "uncitable",
]
