"""RIS, the tagged format every reference manager imports: `TY  - JOUR` … `ER  - `.

Tags follow the RIS specification as Zotero, EndNote and Mendeley read it: `AU` for each author,
`A2` for each editor (the secondary author of a chapter or a proceedings paper), `PY` the year and
`DA` the full date, `T2` the journal or book, `SP`/`EP` the first and last pages. Every value is
one line: a line break inside a value would start what a reader takes for a new tag. An arXiv
paper is linked by its arXiv page when the sources give no other URL.

A paper read from RIS is written as it was read: every record it came from, every tag in the
order read, repeated tags kept (a merged paper has several records, each a reference of its own).
"""

from __future__ import annotations

from collections.abc import Sequence

from tuireader.cite.facts import (
    Kind,
    clean,
    container_of,
    doi_of,
    full_date,
    is_arxiv_container,
    kind_of,
    page_range,
    year_of,
)
from tuireader.cite.names import parts
from tuireader.corpus.model import Author, Paper, Record

# Chosen so that tuireader's own RIS reader maps each back to the same kind of reference.
_TYPE_FOR_KIND = {
    Kind.ARTICLE: "JOUR",
    Kind.PAPER: "CPAPER",
    Kind.CHAPTER: "CHAP",
    Kind.PROCEEDINGS: "BOOK",
    Kind.BOOK: "BOOK",
    Kind.THESIS: "THES",
    Kind.REPORT: "RPRT",
    Kind.MANUAL: "GEN",
    Kind.UNPUBLISHED: "UNPB",
    Kind.PREPRINT: "GEN",
    Kind.OTHER: "ELEC",
}


def _name(author: Author) -> str:
    """`Family, Given, Suffix`, the RIS form of a name."""
    if author.literal:
        return clean(author.literal)
    family, given, suffix = parts(author)
    return ", ".join(part for part in (family, given, suffix) if part)


def ris_lines(paper: Paper) -> list[str]:
    kind = kind_of(paper)
    container = container_of(paper)
    if kind is Kind.PREPRINT and is_arxiv_container(container):
        container = ""
    pages = page_range(paper, "-")
    first, _, last = pages.partition("-")
    day = full_date(paper)
    year = year_of(paper)
    number = clean(paper.number)
    tagged: list[tuple[str, str]] = [
        ("TY", _TYPE_FOR_KIND[kind]),
        ("TI", clean(paper.title)),
        *(("AU", _name(author)) for author in paper.authors),
        *(("A2", _name(editor)) for editor in paper.editors),
        ("PY", str(year) if year else ""),
        ("DA", f"{day.year}/{day.month:02d}/{day.day:02d}" if day else ""),
        ("T2", container),
        ("T3", clean(paper.series)),
        ("VL", clean(paper.volume)),
        ("IS", number),
        ("SP", first),
        ("EP", last),
        ("ET", clean(paper.edition)),
        ("PB", clean(paper.publisher or paper.school or paper.institution or paper.organization)),
        ("CY", clean(paper.address)),
        ("M3", clean(paper.publication_type)),
        ("SN", clean(paper.isbn or paper.issn)),
        ("DO", doi_of(paper)),
        ("UR", clean(paper.url) or (paper.arxiv_url or "")),
        ("AB", clean(paper.abstract.text)),
        *(("KW", clean(keyword)) for keyword in paper.keywords),
        ("LA", clean(paper.language)),
        ("N1", clean(paper.note)),
        ("ID", clean(paper.citation_key)),
    ]
    lines = [f"{tag}  - {value}" for tag, value in tagged if value]
    return [*lines, "ER  - "]


def ris_records(paper: Paper) -> list[Record]:
    return [record for record in paper.records if record.format == "ris"]


def _written_lines(record: Record) -> list[str]:
    # The reader joined a value's continuation lines with spaces: each is one line, as a tag needs.
    return [f"{tag}  - {value}" for tag, value in record.fields] + ["ER  - "]


def format_ris(paper: Paper) -> str:
    """The records the paper was read from, as read; otherwise one record from its facts."""
    written = ["\n".join(_written_lines(record)) for record in ris_records(paper)]
    return "\n\n".join(written) if written else "\n".join(ris_lines(paper))


def format_ris_many(papers: Sequence[Paper]) -> str:
    """Records separated by a blank line, as exporters write them."""
    return "\n\n".join(format_ris(paper) for paper in papers)
