"""BibLaTeX entries: `date`, `journaltitle`, and arXiv as `eprinttype = {arxiv}`.

A paper read from BibTeX or BibLaTeX is written as its file wrote it, every entry it was read from
(a merged paper keeps every key a document may cite), with the `@string`s they use. Only what
BibLaTeX names differently is renamed, and only when the entry does not already use BibLaTeX's
name: `journal` becomes `journaltitle`, `address` `location`, `school` `institution`, and a
`phdthesis` a `thesis` with `type = {phdthesis}` (biblatex's manual lists these as aliases that
biber maps itself; writing the names BibLaTeX documents keeps every style and tool in agreement).
Values stay as written: braces, `@string` names, concatenations.
"""

from __future__ import annotations

from collections.abc import Sequence

from tuireader.cite import bibfile
from tuireader.cite.bibtex import (
    bibtex_records,
    carried_entry_fields,
    choose_entry_type,
    strings_of,
    venue_note,
)
from tuireader.cite.facts import Kind, citation_key, clean, doi_of, full_date, page_range, year_of
from tuireader.corpus.model import Paper, Record

_TYPE_FOR_KIND = {
    Kind.ARTICLE: "article",
    Kind.PAPER: "inproceedings",
    Kind.CHAPTER: "incollection",
    Kind.PROCEEDINGS: "proceedings",
    Kind.BOOK: "book",
    Kind.THESIS: "phdthesis",
    Kind.REPORT: "report",
    Kind.MANUAL: "manual",
    Kind.UNPUBLISHED: "unpublished",
    Kind.PREPRINT: "online",
    Kind.OTHER: "misc",
}
BIBLATEX_TYPES = frozenset(
    """article book booklet inbook incollection inproceedings manual mastersthesis misc online
    patent periodical phdthesis proceedings report techreport thesis unpublished""".split()
)


def _date(paper: Paper) -> str:
    day = full_date(paper)
    if day is not None:
        return day.isoformat()
    year = year_of(paper)
    return str(year) if year else ""


# BibTeX's names for what BibLaTeX calls otherwise (biblatex manual, "Field Aliases").
FIELD_NAMES = {
    "journal": "journaltitle",
    "address": "location",
    "school": "institution",
    "annote": "annotation",
    "archiveprefix": "eprinttype",
    "primaryclass": "eprintclass",
}
# BibTeX entry types BibLaTeX folds into one of its own, with the `type` that tells them apart.
ENTRY_TYPES = {
    "phdthesis": ("thesis", "{phdthesis}"),
    "mastersthesis": ("thesis", "{mathesis}"),
    "techreport": ("report", "{techreport}"),
    "conference": ("inproceedings", ""),
    "electronic": ("online", ""),
    "www": ("online", ""),
}


def biblatex_entry(record: Record) -> str:
    """A BibTeX entry as written, in BibLaTeX's names; one already in them is left as it is."""
    present = {name.lower() for name, _ in record.fields}
    fields = [
        (renamed, value)
        if (renamed := FIELD_NAMES.get(name.lower())) and renamed not in present
        else (name, value)
        for name, value in record.fields
    ]
    entry_type, kind = ENTRY_TYPES.get(record.entry_type.lower(), (record.entry_type, ""))
    if kind and "type" not in present:
        fields.append(("type", kind))
    return bibfile.written_entry(entry_type, record.key, fields)


def format_biblatex(paper: Paper) -> str:
    """One paper: its entries as read (after the `@string`s they use), or an entry from its facts."""
    records = bibtex_records(paper)
    if records:
        return "\n\n".join([*strings_of([paper]), *(biblatex_entry(record) for record in records)])
    return _normalised_entry(paper)


def format_biblatex_many(papers: Sequence[Paper]) -> str:
    """A .bib for biber: the `@string`s any entry uses, once, then every paper's entries."""
    entries = [
        entry
        for paper in papers
        for entry in [biblatex_entry(record) for record in bibtex_records(paper)]
        or [_normalised_entry(paper)]
    ]
    return "\n\n".join([*strings_of(papers), *entries])


def _normalised_entry(paper: Paper) -> str:
    fields = [
        ("title", bibfile.protected_title(paper.title or "")),
        ("subtitle", bibfile.escape(paper.subtitle or "")),
        ("author", bibfile.names(paper.authors)),
        ("editor", bibfile.names(paper.editors)),
        ("journaltitle", bibfile.escape(paper.journal or "")),
        ("booktitle", bibfile.escape(paper.booktitle or "")),
        ("date", _date(paper)),
        ("edition", bibfile.escape(paper.edition or "")),
        ("series", bibfile.escape(paper.series or "")),
        ("volume", bibfile.escape(paper.volume or "")),
        ("number", bibfile.escape(paper.number or "")),
        ("chapter", bibfile.escape(paper.chapter or "")),
        ("pages", bibfile.escape(page_range(paper, "--"))),
        ("publisher", bibfile.escape(paper.publisher or "")),
        ("institution", bibfile.escape(paper.school or paper.institution or "")),
        ("organization", bibfile.escape(paper.organization or "")),
        ("location", bibfile.escape(paper.address or "")),
        ("type", bibfile.escape(paper.publication_type or "")),
        ("howpublished", bibfile.escape(paper.howpublished or "")),
        ("isbn", bibfile.verbatim(paper.isbn or "")),
        ("issn", bibfile.verbatim(paper.issn or "")),
        ("doi", bibfile.verbatim(doi_of(paper))),
        ("eprint", bibfile.verbatim(paper.arxiv_id or "")),
        ("eprinttype", "arxiv" if paper.arxiv_id else ""),
        ("eprintclass", bibfile.verbatim(paper.categories[0]) if paper.arxiv_id and paper.categories else ""),
        ("url", bibfile.verbatim(paper.url or paper.arxiv_url or "")),
        ("language", bibfile.escape(paper.language or "")),
        ("keywords", bibfile.escape(", ".join(paper.keywords))),
        ("abstract", bibfile.escape(paper.abstract.text)),
        ("file", bibfile.escape(paper.file or "")),
    ]
    notes = [text for text in (clean(paper.note), venue_note(paper)) if text]
    fields += carried_entry_fields(paper, fields, notes)
    fields.append(("note", bibfile.escape("; ".join(notes))))
    return bibfile.entry(
        choose_entry_type(paper, BIBLATEX_TYPES, _TYPE_FOR_KIND), citation_key(paper), fields
    )
