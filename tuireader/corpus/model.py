"""Papers, authors and where they came from, as plain immutable data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum


class Emphasis(StrEnum):
    BOLD = "bold"
    ITALIC = "italic"
    MONOSPACE = "monospace"


@dataclass(frozen=True, slots=True)
class Span:
    """A run of `StyledText.text` shown with one emphasis."""

    start: int
    end: int
    emphasis: Emphasis


@dataclass(frozen=True, slots=True)
class StyledText:
    """Readable text (LaTeX already converted) with its emphasis kept as data."""

    text: str
    spans: tuple[Span, ...] = ()

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return bool(self.text)


@dataclass(frozen=True, slots=True)
class Author:
    """One name as a source spells it. `literal` holds an institution's name."""

    family: str
    given: str = ""
    literal: str = ""

    @property
    def display_name(self) -> str:
        """`Family, Given` — the form the CLI, facets and search use."""
        if self.literal:
            return self.literal
        return f"{self.family}, {self.given}" if self.given else self.family

    @property
    def natural_name(self) -> str:
        """`Given Family`, for reading."""
        if self.literal:
            return self.literal
        return f"{self.given} {self.family}" if self.given else self.family


@dataclass(frozen=True, slots=True, order=True)
class Source:
    """Where a record was read: the path as the user knows it, and a 1-based line."""

    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True, slots=True)
class Record:
    """One entry exactly as its source wrote it, beside the normalised facts a Paper holds.

    For BibTeX: the entry type (lower-case), the key, and every field in the file's order with its
    name as written and its value as written (`{The {GPU}}`, `"Doe and others"`, `jan`,
    `"Proc. " # popl`); `strings` are the `@string` definitions those values use, innermost first,
    so that the entry can be written out again and mean what it meant.
    For RIS: the `TY` value, the `ID` (or ""), and every tag in order, repeats kept. For CSL-JSON
    and arXiv's metadata: the type (arXiv: ""), the id, and every key in order with its value as
    JSON text, so that numbers, lists and objects come back as read.
    """

    format: str
    entry_type: str
    key: str
    fields: tuple[tuple[str, str], ...]
    source: Source | None = None
    strings: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Paper:
    """One paper. Facts a source does not give are None or empty, never invented."""

    title: str | None = None
    authors: tuple[Author, ...] = ()
    abstract: StyledText = StyledText("")
    year: int | None = None
    date: dt.date | None = None
    arxiv_id: str | None = None
    venue: str | None = None
    doi: str | None = None
    entry_type: str | None = None
    citation_key: str | None = None
    journal: str | None = None
    booktitle: str | None = None
    volume: str | None = None
    number: str | None = None
    pages: str | None = None
    publisher: str | None = None
    url: str | None = None
    categories: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    # Zotero collections holding the paper, each as its path from the top: `Thesis / Chapter 2`
    collections: tuple[str, ...] = ()
    comments: tuple[str, ...] = ()
    editors: tuple[Author, ...] = ()
    edition: str | None = None
    month: str | None = None
    address: str | None = None
    school: str | None = None
    institution: str | None = None
    organization: str | None = None
    publication_type: str | None = None  # BibTeX's `type`: "PhD dissertation", "Technical Report"
    series: str | None = None
    chapter: str | None = None
    howpublished: str | None = None
    note: str | None = None
    file: str | None = None
    isbn: str | None = None
    issn: str | None = None
    subtitle: str | None = None
    language: str | None = None
    sources: tuple[Source, ...] = ()
    records: tuple[Record, ...] = ()  # every source's entry as written, in the order read
    id: str = field(default="", compare=False)

    @property
    def display_title(self) -> str:
        """The title, or `arXiv:ID` when the sources give none."""
        if self.title:
            return self.title
        if self.arxiv_id:
            return f"arXiv:{self.arxiv_id}"
        return f"(untitled) {self.id}".rstrip()

    @property
    def arxiv_url(self) -> str | None:
        return f"https://arxiv.org/abs/{self.arxiv_id}" if self.arxiv_id else None


@dataclass(frozen=True, slots=True)
class Problem:
    """Something that could not be read. `line` is None when it concerns a whole file."""

    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


@dataclass(frozen=True, slots=True)
class Merge:
    """Records read as one paper: each record's citation key (None when it had none) and source."""

    paper_id: str
    records: tuple[tuple[str | None, Source | None], ...]

    def __str__(self) -> str:
        parts = [f"{key or '(no key)'} ({source or 'unknown source'})" for key, source in self.records]
        return f"{self.paper_id}: " + " + ".join(parts)
