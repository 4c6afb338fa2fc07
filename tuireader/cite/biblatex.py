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
from tuireader.cite.bibtex import bibtex_records, fact_fields, normalised_entry, strings_of
from tuireader.cite.facts import Kind, full_date, year_of
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
    """BibTeX's fields from the facts, renamed as BibLaTeX names them, with one `date`."""
    fields = []
    for name, value in fact_fields(paper):
        if name in ("month", "institution"):  # in the date; with the school
            continue
        if name == "year":
            value = _date(paper)
        elif name == "school":
            value = bibfile.escape(paper.school or paper.institution or "")
        elif name == "archivePrefix":
            value = value.lower()
        fields.append((FIELD_NAMES.get(name.lower(), "date" if name == "year" else name), value))
    return normalised_entry(paper, fields, BIBLATEX_TYPES, _TYPE_FOR_KIND)
