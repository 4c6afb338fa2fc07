"""Every citation style by name, with its label, its formatter and how many papers are joined."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from tuireader.cite.apa import format_apa, styled_apa
from tuireader.cite.biblatex import format_biblatex, format_biblatex_many
from tuireader.cite.bibtex import format_bibtex, format_bibtex_many
from tuireader.cite.chicago import format_chicago, styled_chicago
from tuireader.cite.csl_json import format_csl_json, format_csl_json_many
from tuireader.cite.facts import shorten
from tuireader.cite.identifiers import (
    CitationUnavailable,
    format_arxiv_url,
    format_key,
    format_latex_cite,
    format_latex_cite_many,
)
from tuireader.cite.ieee import format_ieee, styled_ieee
from tuireader.cite.markdown import (
    format_markdown,
    format_markdown_list,
    format_reading_item,
    format_reading_list,
)
from tuireader.cite.mla import format_mla, styled_mla
from tuireader.cite.plain import format_plain
from tuireader.cite.reference_list import alphabetical_list
from tuireader.cite.ris import format_ris
from tuireader.corpus.model import Paper, StyledText


@dataclass(frozen=True, slots=True)
class CitationStyle:
    """One style: `name` for the command line and settings, `label` for people.

    `format` is a pure function Paper -> str (plain text: italics are dropped, as a plain-text
    target needs). `styled` gives the same text with italic spans for a preview that can show
    them. `separator` joins many citations, unless `combine` makes them one (`\\cite{a,b}`).
    """

    name: str
    label: str
    noun: str
    plural: str
    format: Callable[[Paper], str]
    styled_format: Callable[[Paper], StyledText] | None = None
    separator: str = "\n"
    combine: Callable[[Sequence[Paper]], str] | None = None

    def styled(self, paper: Paper) -> StyledText:
        if self.styled_format is not None:
            return self.styled_format(paper)
        return StyledText(self.format(paper))

    def can_cite(self, paper: Paper) -> bool:
        try:
            self.format(paper)
        except CitationUnavailable:
            return False
        return True


def _numbered_ieee(papers: Sequence[Paper]) -> str:
    """An IEEE reference list is numbered in the order the papers are cited."""
    return "\n".join(f"[{number}] {format_ieee(paper)}" for number, paper in enumerate(papers, 1))


STYLES: tuple[CitationStyle, ...] = (
    CitationStyle(
        "bibtex",
        "BibTeX",
        "BibTeX entry",
        "BibTeX entries",
        format_bibtex,
        separator="\n\n",
        combine=format_bibtex_many,
    ),
    CitationStyle(
        "biblatex",
        "BibLaTeX",
        "BibLaTeX entry",
        "BibLaTeX entries",
        format_biblatex,
        separator="\n\n",
        combine=format_biblatex_many,
    ),
    CitationStyle(
        "apa",
        "APA (7th ed.)",
        "APA citation",
        "APA citations",
        format_apa,
        styled_apa,
        combine=alphabetical_list(format_apa),
    ),
    CitationStyle(
        "mla",
        "MLA (9th ed.)",
        "MLA citation",
        "MLA citations",
        format_mla,
        styled_mla,
        combine=alphabetical_list(format_mla),
    ),
    CitationStyle(
        "chicago",
        "Chicago (author-date, 18th ed.)",
        "Chicago citation",
        "Chicago citations",
        format_chicago,
        styled_chicago,
        combine=alphabetical_list(format_chicago),
    ),
    CitationStyle(
        "ieee", "IEEE", "IEEE citation", "IEEE citations", format_ieee, styled_ieee, combine=_numbered_ieee
    ),
    CitationStyle("plain", "Plain text", "plain-text citation", "plain-text citations", format_plain),
    CitationStyle(
        "markdown",
        "Markdown link",
        "Markdown link",
        "Markdown links",
        format_markdown,
        combine=format_markdown_list,
    ),
    CitationStyle(
        "reading-list",
        "Markdown reading list",
        "reading-list item",
        "reading list",
        format_reading_item,
        combine=format_reading_list,
    ),
    CitationStyle(
        "csl-json",
        "CSL-JSON",
        "CSL-JSON item",
        "CSL-JSON items",
        format_csl_json,
        combine=format_csl_json_many,
    ),
    CitationStyle("ris", "RIS", "RIS record", "RIS records", format_ris, separator="\n\n"),
    CitationStyle(
        "cite",
        "LaTeX \\cite{key}",
        "\\cite command",
        "\\cite command",
        format_latex_cite,
        combine=format_latex_cite_many,
    ),
    CitationStyle("key", "Citation key", "citation key", "citation keys", format_key),
    CitationStyle("arxiv-url", "arXiv URL", "arXiv URL", "arXiv URLs", format_arxiv_url),
)
DEFAULT_STYLE = "bibtex"
ALIASES = {
    "bib": "bibtex",
    "chicago-author-date": "chicago",
    "text": "plain",
    "md": "markdown",
    "latex": "cite",
    "url": "arxiv-url",
    "csl": "csl-json",
    "csljson": "csl-json",
    "json": "csl-json",
    "reading": "reading-list",
    "todo": "reading-list",
    "arxiv": "arxiv-url",
}
_BY_NAME = {style.name: style for style in STYLES}


class UnknownStyle(KeyError):
    """A style name that is not in `STYLES`; the message lists the valid ones."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name

    def __str__(self) -> str:
        return f"no citation style “{self.name}” (choose from {', '.join(style_names())})"


def style_names() -> tuple[str, ...]:
    return tuple(style.name for style in STYLES)


def get_style(name: str) -> CitationStyle:
    """A style by name or alias, in any case; `UnknownStyle` lists the valid names."""
    wanted = name.strip().lower()
    style = _BY_NAME.get(ALIASES.get(wanted, wanted))
    if style is None:
        raise UnknownStyle(name)
    return style


def _style(style: CitationStyle | str) -> CitationStyle:
    return style if isinstance(style, CitationStyle) else get_style(style)


def format_citation(paper: Paper, style: CitationStyle | str = DEFAULT_STYLE) -> str:
    """One paper in one style. Raises `CitationUnavailable` when the style cannot cite it."""
    return _style(style).format(paper)


def uncitable(papers: Sequence[Paper], style: CitationStyle | str) -> list[Paper]:
    """The papers a style cannot cite (e.g. papers not on arXiv, for the arXiv URL)."""
    chosen = _style(style)
    return [paper for paper in papers if not chosen.can_cite(paper)]


def format_many(papers: Sequence[Paper], style: CitationStyle | str = DEFAULT_STYLE) -> str:
    """Many papers in one style, in the order given: BibTeX entries separated by a blank line,
    references one to a line, `\\cite{a,b}` as one command. Papers the style cannot cite are left
    out (see `uncitable`)."""
    chosen = _style(style)
    citable = [paper for paper in papers if chosen.can_cite(paper)]
    if chosen.combine is not None:
        return chosen.combine(citable) if citable else ""
    return chosen.separator.join(chosen.format(paper) for paper in citable)


def describe(papers: Sequence[Paper], style: CitationStyle | str) -> str:
    """What a copy holds, for the message that reports it: `APA citation of “Title…”`."""
    chosen = _style(style)
    if len(papers) == 1:
        paper = papers[0]
        return f"{chosen.noun} of “{shorten(paper.display_title, 50)}”"
    return f"{chosen.plural} of {len(papers)} papers"
