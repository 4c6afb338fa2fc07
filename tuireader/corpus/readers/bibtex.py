"""BibTeX and BibLaTeX files, read through bibtexparser.

A library's `.bib` files are read together, as `\\bibliography{a,b,c}` would: one file's
`@string` macros and crossref parents serve the others. `read` handles one file on its own; the
library loader scans every file first (`bibtex_scan`), then evaluates each with `resolve`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from tuireader.corpus.model import Paper, Problem, Record, Source
from tuireader.corpus.problem_log import ProblemLog
from tuireader.corpus.readers.base import Reader, ReadResult
from tuireader.corpus.readers.bibtex_names import parse_bibtex_names
from tuireader.corpus.readers.bibtex_scan import BibScan, RawEntry, scan
from tuireader.corpus.readers.bibtex_values import (
    BibFileFacts,
    Definitions,
    Dependency,
    Evaluator,
    ExpressionError,
    entry_keys,
)
from tuireader.corpus.readers.identifiers import arxiv_id_in, arxiv_id_of_doi, clean_doi
from tuireader.corpus.readers.quick_latex import bib_plain, bib_styled

_ENTRY_START = re.compile(r"^[ \t]*@[ \t]*[A-Za-z]+[ \t]*[{(]", re.MULTILINE)
# Some tools write a whole library on one line; then only the usual types are trusted.
_KNOWN_ENTRY_ANYWHERE = re.compile(
    r"@(?:article|book|inproceedings|incollection|inbook|proceedings|misc|techreport|phdthesis|"
    r"mastersthesis|unpublished|online|string|preamble)[ \t]*[{(]",
    re.IGNORECASE,
)
_YEAR = re.compile(r"\b(\d{4})\b")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_URL_COMMAND = re.compile(r"^\\url\{(.*)\}$", re.DOTALL)
_KEYWORD_SEPARATOR = re.compile(r"\s*[,;]\s*")
_PROGRESS_EVERY = 2000


def sniff(head: str) -> bool:
    return _ENTRY_START.search(head) is not None or _KNOWN_ENTRY_ANYWHERE.search(head) is not None


def _text(values: dict[str, str], *names: str) -> str | None:
    for name in names:
        value = values.get(name)
        if value and value.strip():
            return bib_plain(value) or None
    return None


def _year_and_date(values: dict[str, str]) -> tuple[int | None, dt.date | None]:
    date_field = values.get("date", "").strip()
    iso = _ISO_DATE.match(date_field)
    if iso:
        try:
            day = dt.date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
            return day.year, day
        except ValueError:
            pass
    for source in (values.get("year", ""), date_field):
        match = _YEAR.search(source)
        if match:
            return int(match.group(1)), None
    return None, None


def _url(values: dict[str, str]) -> str | None:
    url = values.get("url", "").strip()
    match = _URL_COMMAND.match(url)
    url = (match.group(1) if match else url).replace("\\_", "_").replace("\\%", "%").replace("\\#", "#")
    return url or None


def _arxiv_id(values: dict[str, str], doi: str | None, url: str | None) -> str | None:
    prefix = (values.get("archiveprefix") or values.get("eprinttype") or "").strip().lower()
    eprint = values.get("eprint", "")
    if eprint and prefix in ("", "arxiv"):
        found = arxiv_id_in("arXiv:" + eprint.strip())
        if found:
            return found
    # `journal = {arXiv preprint arXiv:1810.04805}`, or DBLP's `journal = {CoRR}, volume = {abs/…}`.
    journal_line = " ".join(values.get(name, "") for name in ("journal", "volume", "note", "howpublished"))
    mentions_arxiv = any(word in journal_line.lower() for word in ("arxiv", "corr"))
    arxiv_url = url if url and "arxiv.org" in url.lower() else None
    return arxiv_id_of_doi(doi) or arxiv_id_in(arxiv_url, journal_line if mentions_arxiv else None)


def paper_from_fields(
    entry: RawEntry,
    values: dict[str, str],
    path: str,
    strings: tuple[tuple[str, str], ...] = (),
    *,
    with_record: bool = True,
) -> Paper:
    """One Paper from an entry's evaluated fields (LaTeX still in them), keeping the entry as
    written beside it unless `with_record` is False."""
    year, date = _year_and_date(values)
    doi = clean_doi(values.get("doi"))
    url = _url(values)
    journal = _text(values, "journal", "journaltitle")
    booktitle = _text(values, "booktitle")
    keywords = tuple(k for k in _KEYWORD_SEPARATOR.split(bib_plain(values.get("keywords", ""))) if k)
    primary = _text(values, "primaryclass")
    note = _text(values, "note")
    source = Source(path, entry.line)
    return Paper(
        title=_text(values, "title"),
        authors=parse_bibtex_names(values.get("author", "")),
        abstract=bib_styled(values.get("abstract", "")),
        year=year,
        date=date,
        arxiv_id=_arxiv_id(values, doi, url),
        venue=journal or booktitle,
        doi=doi,
        entry_type=entry.entry_type or None,
        citation_key=entry.key or None,
        journal=journal,
        booktitle=booktitle,
        volume=_text(values, "volume"),
        number=_text(values, "number", "issue"),
        pages=_text(values, "pages"),
        publisher=_text(values, "publisher"),
        url=url,
        categories=(primary,) if primary else (),
        keywords=keywords,
        comments=(note,) if note else (),
        editors=parse_bibtex_names(values.get("editor", "")),
        edition=_text(values, "edition"),
        month=_text(values, "month"),
        address=_text(values, "address", "location"),
        school=_text(values, "school"),
        institution=_text(values, "institution"),
        organization=_text(values, "organization"),
        publication_type=_text(values, "type"),
        series=_text(values, "series"),
        chapter=_text(values, "chapter"),
        howpublished=_text(values, "howpublished"),
        note=note,
        file=_verbatim(values, "file"),
        isbn=_text(values, "isbn"),
        issn=_text(values, "issn"),
        subtitle=_text(values, "subtitle"),
        language=_text(values, "language", "langid"),
        sources=(source,),
        records=(record_of(entry, source, strings),) if with_record else (),
    )


def record_of(entry: RawEntry, source: Source, strings: tuple[tuple[str, str], ...]) -> Record:
    return Record("bibtex", entry.entry_type, entry.key, entry.raw, source, strings)


def _verbatim(values: dict[str, str], name: str) -> str | None:
    """A path or link: its backslashes and underscores are not LaTeX."""
    value = values.get(name, "").strip()
    return value or None


def facts_of(scanned: BibScan, file_id: str, signature: str) -> BibFileFacts:
    keys = tuple(dict.fromkeys(key for entry in scanned.entries for key in entry_keys(entry)))
    return BibFileFacts(file_id, signature, tuple(scanned.strings), keys)


def resolve(
    scanned: BibScan,
    file_id: str,
    path: str,
    definitions: Definitions,
    on_progress: Callable[[float], None] | None = None,
) -> tuple[ReadResult, tuple[Dependency, ...]]:
    """The file's papers, its problems, and every macro or parent it used from the library."""
    evaluator = Evaluator(definitions, file_id, path)
    result = ReadResult(problems=ProblemLog(scanned.problems))
    check_strings(scanned, evaluator, result)
    total = len(scanned.entries)
    for done, entry in enumerate(scanned.entries, start=1):
        values = evaluator.fields(entry)
        result.records.append(paper_from_fields(entry, values, path, evaluator.strings_used(entry)))
        if on_progress is not None and done % _PROGRESS_EVERY == 0:
            on_progress(done / total)
    result.problems.extend(evaluator.problems)
    return result, tuple(sorted(evaluator.used))


def check_strings(scanned: BibScan, evaluator: Evaluator, result: ReadResult) -> None:
    """Unreadable `@string`s are summed up per file: one broken convention can mean hundreds."""
    first: Problem | None = None
    broken = 0
    for string in scanned.strings:
        try:
            evaluator.evaluate(string.value, evaluator.file_id)
        except ExpressionError as error:
            broken += 1
            if first is None:
                first = Problem(evaluator.path, f"@string “{string.name}” ignored: {error}", string.line)
    if first is not None:
        more = f" (and {broken - 1:,} more after it)" if broken > 1 else ""
        result.problems.append(Problem(first.path, first.message + more, first.line))


def read(text: str, path: str) -> ReadResult:
    """One file on its own: only its own macros and crossref parents are known."""
    scanned = scan(text, path)
    definitions = Definitions([facts_of(scanned, path, "")], lambda _: scanned.entries)
    return resolve(scanned, path, path, definitions)[0]


READER = Reader(name="BibTeX", sniff=sniff, read=read, version=3)
