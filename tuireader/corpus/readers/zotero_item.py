"""One Zotero item as a Paper, whether it came from Zotero's database or a Better BibTeX export.

Both sources give the same facts under the same names: an item type (`journalArticle`), fields
named as Zotero names them (`publicationTitle`, `abstractNote`, `DOI`), creators each with a role
(`author`, `editor`, `programmer` …), tags, notes (HTML), attachments and collections. The
database names some fields for their item type (a thesis's `university` is the base field
`publisher`); both spellings are understood here.

Everything the item gives is also kept as a `Record` (format "zotero"): every field by its Zotero
name, then one `attachment` per file and one `collection` per collection path (the paper's
`collections` holds the same paths, for the reader's facet).
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from tuireader.corpus.model import Author, Paper, Record, Source, StyledText
from tuireader.corpus.readers.identifiers import arxiv_id_in, arxiv_id_of_doi, clean_doi

RECORD_FORMAT = "zotero"
# Items that are parts of a library, not works in it.
NOT_WORKS = frozenset({"note", "attachment", "annotation"})

_ENTRY_TYPES = {
    "journalArticle": "article",
    "magazineArticle": "article",
    "newspaperArticle": "article",
    "conferencePaper": "inproceedings",
    "book": "book",
    "bookSection": "incollection",
    "encyclopediaArticle": "incollection",
    "dictionaryEntry": "incollection",
    "report": "techreport",
    "preprint": "misc",  # what arXiv's own BibTeX export calls a preprint
    "manuscript": "unpublished",
    "webpage": "online",
    "blogPost": "online",
    "forumPost": "online",
    "patent": "patent",
    "computerProgram": "software",
    "dataset": "dataset",
    "presentation": "misc",
    "document": "misc",
}
_JOURNAL_TYPES = frozenset({"journalArticle", "magazineArticle", "newspaperArticle"})
# Type-specific field names and the base field each stands for (Zotero's baseFieldMappings).
_BASE_FIELDS = {
    "bookTitle": "publicationTitle",
    "proceedingsTitle": "publicationTitle",
    "websiteTitle": "publicationTitle",
    "blogTitle": "publicationTitle",
    "forumTitle": "publicationTitle",
    "encyclopediaTitle": "publicationTitle",
    "dictionaryTitle": "publicationTitle",
    "programTitle": "publicationTitle",
    "university": "publisher",
    "institution": "publisher",
    "label": "publisher",
    "company": "publisher",
    "studio": "publisher",
    "distributor": "publisher",
    "network": "publisher",
    "archiveID": "number",
    "reportNumber": "number",
    "billNumber": "number",
    "docketNumber": "number",
    "patentNumber": "number",
    "thesisType": "type",
    "reportType": "type",
    "genre": "type",
    "websiteType": "type",
    "postType": "type",
    "letterType": "type",
    "manuscriptType": "type",
    "presentationType": "type",
    "mapType": "type",
    "caseName": "title",
    "nameOfAct": "title",
    "subject": "title",
    "dateDecided": "date",
    "dateEnacted": "date",
    "issueDate": "date",
    "codeNumber": "volume",
    "reporterVolume": "volume",
    "firstPage": "pages",
    "codePages": "pages",
    "episodeNumber": "number",
    "seriesTitle": "series",
}
_EDITOR_ROLES = frozenset({"editor", "seriesEditor"})
_SECONDARY_ROLES = frozenset({"translator", "contributor", "reviewedAuthor", "commenter", "bookAuthor"})
_MASTERS = re.compile(r"master|bachelor|\bm\.?\s?sc\b|\bm\.?a\.?\b|diplom|licen", re.IGNORECASE)
_SQL_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:\s|$)")
_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})\b")
_EXTRA_LINE = re.compile(r"^\s*([A-Za-z][\w .-]*?)\s*:\s*(.+?)\s*$")
_TAG = re.compile(r"<[^>]*>")
_BLOCK_END = re.compile(r"</(?:p|div|h\d|li|blockquote|pre)>|<br\s*/?>", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Creator:
    """One creator as Zotero keeps it: a role, and a two-part name or a single-field one."""

    role: str
    family: str = ""
    given: str = ""
    single: str = ""


@dataclass(frozen=True, slots=True)
class ZoteroItem:
    """An item's facts, named as Zotero names them; `attachments` are file paths as resolved."""

    item_type: str
    fields: Mapping[str, str]
    creators: Sequence[Creator] = ()
    tags: Sequence[str] = ()
    notes: Sequence[str] = ()
    attachments: Sequence[str] = ()
    collections: Sequence[str] = ()
    key: str | None = None  # a citation key given outside the fields (BBT's `citekey`)


def base_fields(fields: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Fields under their base names; a base field given itself wins over a type-specific one."""
    found: dict[str, str] = {}
    for name, value in fields:
        text = value.strip()
        if not text:
            continue
        base = _BASE_FIELDS.get(name, name)
        if base != name and base in found:
            continue
        found[base] = text
    return found


def note_text(note: str) -> str:
    """A Zotero note (HTML) as plain text: paragraphs kept apart, tags dropped, entities decoded."""
    text = _BLOCK_END.sub("\n", note)
    text = html.unescape(_TAG.sub("", text))
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def _one_line(text: str | None) -> str | None:
    return " ".join(text.split()) or None if text else None


def _issued(raw: str | None) -> tuple[int | None, dt.date | None]:
    """Year and exact date of Zotero's date: `2017-03-00 March 2017` in the database, as typed
    (`2015-12-13`, `March 2017`, `1993`) in an export."""
    if not raw:
        return None, None
    found = _SQL_DATE.match(raw) or _ISO_DATE.match(raw.strip())
    if found:
        year, month, day = (int(part) for part in found.groups())
        if not year:
            return None, None
        try:
            return year, dt.date(year, month, day) if month and day else None
        except ValueError:
            return year, None
    year_found = _YEAR.search(raw)
    return (int(year_found.group(1)), None) if year_found else (None, None)


def _author(creator: Creator) -> Author | None:
    family = _one_line(creator.family)
    single = _one_line(creator.single)
    if family:
        return Author(family=family, given=_one_line(creator.given) or "")
    if single:
        return Author(family="", literal=single)
    given = _one_line(creator.given)
    return Author(family=given) if given else None


def _people(creators: Sequence[Creator]) -> tuple[tuple[Author, ...], tuple[Author, ...]]:
    """Authors and editors. An item without `author`s is credited to its other primary creators
    (a program's programmers, a patent's inventors, a film's director)."""
    authors = [c for c in creators if c.role == "author"]
    if not authors:
        authors = [c for c in creators if c.role not in _EDITOR_ROLES | _SECONDARY_ROLES]
    editors = [c for c in creators if c.role == "editor"] or [c for c in creators if c.role in _EDITOR_ROLES]
    return (
        tuple(a for a in map(_author, authors) if a is not None),
        tuple(a for a in map(_author, editors) if a is not None),
    )


def _extra(extra: str | None) -> tuple[dict[str, str], tuple[str, ...]]:
    """The `Key: value` lines Zotero and Better BibTeX keep in `extra` (by lower-case key), and the
    lines left as free text."""
    facts: dict[str, str] = {}
    free: list[str] = []
    for line in (extra or "").split("\n"):
        if not line.strip():
            continue
        match = _EXTRA_LINE.match(line)
        if match and len(match.group(1)) <= 40:
            facts.setdefault(match.group(1).lower(), match.group(2))
        else:
            free.append(line.strip())
    return facts, tuple(free)


def _entry_type(item_type: str, fields: Mapping[str, str]) -> str:
    if item_type == "thesis":
        return "mastersthesis" if _MASTERS.search(fields.get("type", "")) else "phdthesis"
    return _ENTRY_TYPES.get(item_type, "misc")


def paper_of(item: ZoteroItem, source: Source) -> Paper:
    """The paper an item describes, with the item itself kept as its record."""
    fields = base_fields(item.fields.items())
    facts, free_lines = _extra(fields.get("extra"))
    get = fields.get
    year, date = _issued(get("date"))
    doi = clean_doi(get("DOI") or facts.get("doi"))
    url = _one_line(get("url"))
    venue = _one_line(get("publicationTitle") or get("conferenceName"))
    is_journal = item.item_type in _JOURNAL_TYPES
    authors, editors = _people(item.creators)
    key = _one_line(get("citationKey") or item.key or facts.get("citation key") or facts.get("bibtex"))
    publisher = _one_line(get("publisher"))
    notes = [text for text in map(note_text, item.notes) if text]
    arxiv = arxiv_id_of_doi(doi) or arxiv_id_in(
        f"arXiv:{facts['arxiv']}" if "arxiv" in facts else None,
        url if url and "arxiv" in url.lower() else None,
        f"arXiv:{get('number')}" if item.item_type == "preprint" and get("number") else None,
    )
    return Paper(
        title=_one_line(get("title")),
        authors=authors,
        abstract=StyledText(get("abstractNote") or ""),
        year=year,
        date=date,
        arxiv_id=arxiv,
        venue=venue,
        doi=doi,
        entry_type=_entry_type(item.item_type, fields),
        citation_key=key,
        journal=venue if is_journal else None,
        booktitle=venue if venue and not is_journal else None,
        volume=_one_line(get("volume")),
        number=_one_line(get("issue") or get("number")),
        pages=_one_line(get("pages")),
        publisher=publisher,
        url=url,
        keywords=tuple(dict.fromkeys(tag.strip() for tag in item.tags if tag.strip())),
        collections=tuple(dict.fromkeys(path.strip() for path in item.collections if path.strip())),
        comments=free_lines,
        editors=editors,
        edition=_one_line(get("edition")),
        address=_one_line(get("place")),
        school=publisher if item.item_type == "thesis" else None,
        institution=publisher if item.item_type == "report" else None,
        publication_type=_one_line(get("type")),
        series=_one_line(get("series")),
        note="\n\n".join(notes) or None,
        file=";".join(item.attachments) or None,
        isbn=_one_line(get("ISBN")),
        issn=_one_line(get("ISSN")),
        language=_one_line(get("language")),
        sources=(source,),
        records=(_record(item, key, source),),
    )


def _record(item: ZoteroItem, key: str | None, source: Source) -> Record:
    fields = [(name, value) for name, value in item.fields.items() if value.strip()]
    fields += [("creator", _creator_field(creator)) for creator in item.creators]
    fields += [("tag", tag) for tag in item.tags]
    fields += [("attachment", path) for path in item.attachments]
    fields += [("collection", path) for path in item.collections]
    return Record(RECORD_FORMAT, item.item_type, key or "", tuple(fields), source)


def _creator_field(creator: Creator) -> str:
    name = creator.single or ", ".join(part for part in (creator.family, creator.given) if part)
    return f"{creator.role}: {name}"


def attachment_paths(record: Record) -> list[str]:
    """The attachment files a Zotero record names."""
    return [value for name, value in record.fields if name == "attachment"]
