"""BibTeX entries: valid for BibTeX and bibtexparser, with arXiv's eprint fields when known.

A paper read from BibTeX is written as its file wrote it: every entry it was read from (a merged
paper has several, and a document may cite any of their keys), with the same key, type and fields,
each value as written. Rewriting from the normalised facts would lose what they do not hold:
brace protection, `and others`, fields no style knows. Other papers are written from their facts,
every one that has a BibTeX field, and with whatever else their records say (see `carried`).
"""

from __future__ import annotations

from collections.abc import Sequence

from tuireader.cite import bibfile
from tuireader.cite.carried import carried_fields
from tuireader.cite.facts import (
    MONTHS,
    Kind,
    citation_key,
    clean,
    doi_of,
    kind_of,
    month_of,
    page_range,
    year_of,
)
from tuireader.corpus.model import Paper, Record

_TYPE_FOR_KIND = {
    Kind.ARTICLE: "article",
    Kind.PAPER: "inproceedings",
    Kind.CHAPTER: "incollection",
    Kind.PROCEEDINGS: "proceedings",
    Kind.BOOK: "book",
    Kind.THESIS: "phdthesis",
    Kind.REPORT: "techreport",
    Kind.MANUAL: "manual",
    Kind.UNPUBLISHED: "unpublished",
    Kind.PREPRINT: "misc",  # what arXiv's own BibTeX export uses for a preprint
    Kind.OTHER: "misc",
}
STANDARD_TYPES = frozenset(
    """article book booklet conference inbook incollection inproceedings manual mastersthesis misc
    phdthesis proceedings techreport unpublished""".split()
)
_NEEDS_JOURNAL = frozenset({"article"})
_NEEDS_BOOKTITLE = frozenset({"inproceedings", "incollection", "conference"})


def choose_entry_type(paper: Paper, known: frozenset[str], by_kind: dict[Kind, str]) -> str:
    """The source's own entry type when the style knows it and its container is there; otherwise
    the type that fits what the paper is."""
    given = (paper.entry_type or "").lower()
    has_container = not (
        (given in _NEEDS_JOURNAL and not paper.journal) or (given in _NEEDS_BOOKTITLE and not paper.booktitle)
    )
    if given in known and has_container:
        return given
    return by_kind[kind_of(paper)]


def venue_note(paper: Paper) -> str:
    """The venue (e.g. from an arXiv comment) when it is not already the journal or booktitle."""
    venue = clean(paper.venue)
    return venue if venue and venue not in (clean(paper.journal), clean(paper.booktitle)) else ""


def bibtex_records(paper: Paper) -> list[Record]:
    return [record for record in paper.records if record.format == "bibtex"]


def strings_of(papers: Sequence[Paper]) -> list[str]:
    """Every `@string` the papers' entries use, once (by name, in any case), innermost first."""
    seen: dict[str, str] = {}
    for paper in papers:
        for record in bibtex_records(paper):
            for name, value in record.strings:
                seen.setdefault(name.lower(), bibfile.string_definition(name, value))
    return list(seen.values())


def _written_entries(paper: Paper) -> list[str]:
    return [bibfile.written_entry(r.entry_type, r.key, r.fields) for r in bibtex_records(paper)]


def format_bibtex(paper: Paper) -> str:
    """One paper: its entries as read (after the `@string`s they use), or an entry from its facts."""
    if bibtex_records(paper):
        return "\n\n".join([*strings_of([paper]), *_written_entries(paper)])
    return _normalised_entry(paper)


def format_bibtex_many(papers: Sequence[Paper]) -> str:
    """A .bib: the `@string`s any entry uses, once, then every paper's entries."""
    entries = [entry for paper in papers for entry in _written_entries(paper) or [_normalised_entry(paper)]]
    return "\n\n".join([*strings_of(papers), *entries])


def _normalised_entry(paper: Paper) -> str:
    return normalised_entry(paper, fact_fields(paper), STANDARD_TYPES, _TYPE_FOR_KIND)


def fact_fields(paper: Paper) -> list[tuple[str, str]]:
    """Every fact of the paper that has a BibTeX field, by BibTeX's names (blank when unknown)."""
    year = year_of(paper)
    month = month_of(paper)
    return [
        ("title", bibfile.protected_title(paper.title or "")),
        ("subtitle", bibfile.escape(paper.subtitle or "")),
        ("author", bibfile.names(paper.authors)),
        ("editor", bibfile.names(paper.editors)),
        ("journal", bibfile.escape(paper.journal or "")),
        ("booktitle", bibfile.escape(paper.booktitle or "")),
        ("year", str(year) if year else ""),
        ("month", MONTHS[month - 1] if month else ""),  # braced full names read as written
        ("edition", bibfile.escape(paper.edition or "")),
        ("series", bibfile.escape(paper.series or "")),
        ("volume", bibfile.escape(paper.volume or "")),
        ("number", bibfile.escape(paper.number or "")),
        ("chapter", bibfile.escape(paper.chapter or "")),
        ("pages", bibfile.escape(page_range(paper, "--"))),
        ("publisher", bibfile.escape(paper.publisher or "")),
        ("school", bibfile.escape(paper.school or "")),
        ("institution", bibfile.escape(paper.institution or "")),
        ("organization", bibfile.escape(paper.organization or "")),
        ("address", bibfile.escape(paper.address or "")),
        ("type", bibfile.escape(paper.publication_type or "")),
        ("howpublished", bibfile.escape(paper.howpublished or "")),
        ("isbn", bibfile.verbatim(paper.isbn or "")),
        ("issn", bibfile.verbatim(paper.issn or "")),
        ("doi", bibfile.verbatim(doi_of(paper))),
        ("eprint", bibfile.verbatim(paper.arxiv_id or "")),
        ("archivePrefix", "arXiv" if paper.arxiv_id else ""),
        (
            "primaryClass",
            bibfile.verbatim(paper.categories[0]) if paper.arxiv_id and paper.categories else "",
        ),
        ("url", bibfile.verbatim(paper.url or paper.arxiv_url or "")),
        ("language", bibfile.escape(paper.language or "")),
        ("keywords", bibfile.escape(", ".join(paper.keywords))),
        ("abstract", bibfile.escape(paper.abstract.text)),
        ("file", bibfile.escape(paper.file or "")),
    ]


def normalised_entry(
    paper: Paper, fields: list[tuple[str, str]], known: frozenset[str], by_kind: dict[Kind, str]
) -> str:
    """An entry of `fields`, then whatever else the paper's records carry, then its notes."""
    notes = [text for text in (clean(paper.note), venue_note(paper)) if text]
    fields += carried_entry_fields(paper, fields, notes)
    fields.append(("note", bibfile.escape("; ".join(notes))))
    return bibfile.entry(choose_entry_type(paper, known, by_kind), citation_key(paper), fields)


def carried_entry_fields(
    paper: Paper, fields: Sequence[tuple[str, str]], notes: list[str]
) -> list[tuple[str, str]]:
    """The records' other fields, escaped; one whose name the entry already uses joins `notes`."""
    taken = {name.lower() for name, value in fields if value}
    written = [value for _, value in fields if value]
    extra = []
    for name, text in carried_fields(paper, written):
        if name in taken or name == "note":
            notes.append(f"{name}: {text}")
        else:
            extra.append((name, bibfile.escape(text)))
    return extra
