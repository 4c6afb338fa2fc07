"""A paper as the index sees it: its fields, the facts kept beside them, and a content hash."""

from __future__ import annotations

import marshal
import re
import zlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from operator import itemgetter
from typing import Any, NamedTuple

from whoosh.formats import Positions

from tuireader.corpus.model import Author, Paper
from tuireader.corpus.names import fold
from tuireader.index.analysis import TermExtractor
from tuireader.index.schema import PAIRED_FIELDS, PAIRS_FIELD
from tuireader.index.venues import venue_facet

Spelling = tuple[str, str, str]  # (family, given, literal): one author as a byline writes them


def content_hash(paper: Paper) -> str:
    """Changes whenever anything the index holds about the paper changes.

    marshal version 2 writes no back-references, so equal content always gives equal bytes."""
    content = (
        paper.id,
        paper.title,
        paper.abstract.text,
        paper.year,
        paper.date.toordinal() if paper.date else None,
        paper.venue,
        paper.journal,  # the venue facet keeps a journal's name as written
        list(paper.categories),
        list(paper.keywords),
        list(paper.collections),
        paper.arxiv_id,
        paper.doi,
        paper.citation_key,
        [(author.family, author.given, author.literal) for author in paper.authors],
    )
    return format(zlib.crc32(marshal.dumps(content, 2)), "08x")


def spelling_of(author: Author) -> Spelling:
    return (author.family, author.given, author.literal)


def spelling_term(spelling: Spelling) -> str:
    """One whole index term per spelling, so an author filter is a few posting lists."""
    family, given, literal = spelling
    text = f"literal|{fold(literal)}" if literal else f"{fold(family)}|{fold(given)}"
    return text.replace(" ", "_")


def identifiers(paper: Paper) -> list[str]:
    """What `id:` matches: the paper id, its arXiv id (also as `arXiv:…`), DOI and citation key."""
    found = [paper.id, paper.citation_key, paper.doi, paper.arxiv_id]
    if paper.arxiv_id:
        found.append(f"arxiv:{paper.arxiv_id}")
    return list(dict.fromkeys(value.lower() for value in found if value))


def keyword_text(keywords: Iterable[str]) -> str:
    """What the `keyword` field indexes: one keyword a line (a phrase is matched within one)."""
    return "\n".join(keywords)


COLLECTION_SEPARATOR = " / "  # between a collection's name and its parent's in a path


def collection_with_parents(path: str) -> list[str]:
    """`A / B / C` and the collections holding it: `A`, `A / B`, `A / B / C`."""
    names = [name.strip() for name in path.split(COLLECTION_SEPARATOR)]
    names = [name for name in names if name]
    return [COLLECTION_SEPARATOR.join(names[: depth + 1]) for depth in range(len(names))]


def collection_term(path: str) -> str:
    """What `collection:` matches: the path folded into one word, `thesis/chapter_2`."""
    names = path.split(COLLECTION_SEPARATOR)
    parts = (re.sub(r"\W+", "_", fold(name).casefold()).strip("_") for name in names)
    return "/".join(part for part in parts if part)


def collection_terms(paths: Iterable[str]) -> list[str]:
    """A paper's collection terms, its collections' parents' included: a parent finds its
    children's papers."""
    return list(dict.fromkeys(map(collection_term, collections_with_parents(paths))))


def collections_with_parents(paths: Iterable[str]) -> tuple[str, ...]:
    """Every collection holding a paper, directly or through a child, each once."""
    return tuple(dict.fromkeys(parent for path in paths for parent in collection_with_parents(path)))


def category_terms(categories: Iterable[str]) -> list[str]:
    """What `cat:` matches: each arXiv category whole, lower case (`cs.cl`)."""
    return [category.lower() for category in categories if " " not in category]


@dataclass(frozen=True, slots=True)
class Facts:
    """Per-paper data stored in the index, from which the side file is rebuilt if it is lost."""

    content_hash: str
    year: int
    venue: str  # as the venue facet names it (see venues.py)
    spellings: tuple[Spelling, ...]
    lengths: tuple[int, int, int, int]  # title, abstract, author, venue: BM25's document lengths
    categories: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    collections: tuple[str, ...] = ()  # with their parents (see `collections_with_parents`)

    def as_stored(self) -> tuple[Any, ...]:
        return (
            self.content_hash,
            self.year,
            self.venue,
            self.spellings,
            self.lengths,
            self.categories,
            self.keywords,
            self.collections,
        )

    @classmethod
    def from_stored(cls, stored: tuple[Any, ...]) -> Facts:
        content, year, venue, spellings, lengths, categories, keywords, collections = stored
        return cls(
            content,
            year,
            venue,
            tuple(tuple(s) for s in spellings),
            tuple(lengths),
            tuple(categories),
            tuple(keywords),
            tuple(collections),
        )


class IndexRecord(NamedTuple):
    """What the index needs of a paper, in plain values (cheap to send to a worker process)."""

    key: str
    title: str
    abstract: str
    venue: str
    year: int
    date: str
    identifiers: tuple[str, ...]
    spellings: tuple[Spelling, ...]
    names: str  # the byline, `Given Family ; …`
    content_hash: str
    venue_name: str  # the venue facet's name for the venue
    categories: tuple[str, ...]
    keywords: tuple[str, ...]
    collections: tuple[str, ...]  # with their parents


def record_of(paper: Paper, hashed: str | None = None) -> IndexRecord:
    return IndexRecord(
        paper.id,
        paper.title or "",
        paper.abstract.text,
        paper.venue or "",
        paper.year or 0,
        paper.date.isoformat() if paper.date else "",
        tuple(identifiers(paper)),
        tuple(spelling_of(author) for author in paper.authors),
        " ; ".join(author.natural_name for author in paper.authors),
        hashed if hashed is not None else content_hash(paper),
        venue_facet(paper),
        tuple(dict.fromkeys(" ".join(c.split()) for c in paper.categories if c.strip())),
        tuple(dict.fromkeys(" ".join(k.split()) for k in paper.keywords if k.strip())),
        collections_with_parents(paper.collections),
    )


# What indexing any paper costs besides its text, in characters of its text: opening.py's cost
# for papers kept encoded, plus the 300-odd bytes an ACL paper's encoded facts hold besides this
# text (links, sources), a character and a byte of text costing about the same.
_PAPER_COST = 350


def record_weight(record: IndexRecord) -> int:
    """A paper's estimated indexing cost, to share the papers fairly among worker processes."""
    return len(record.title) + len(record.abstract) + len(record.names) + len(record.venue) + _PAPER_COST


def paper_weight(paper: Paper) -> int:
    """`record_weight` of the paper's record, near enough, without making the record."""
    names = sum(len(a.family) + len(a.given) + len(a.literal) + 3 for a in paper.authors)
    text = len(paper.title or "") + len(paper.abstract.text) + len(paper.venue or "")
    return text + names + _PAPER_COST


Positional = tuple[str, int, bytes]  # term, occurrences, Whoosh's encoding of its positions
_occurrences = itemgetter(1)


@dataclass(frozen=True, slots=True)
class AnalyzedDocument:
    """A document as the segment writer takes it: stored values, and per field its terms with
    their occurrences (`counted`; Whoosh's Frequency and Existence formats, whose weight and
    value follow from the count) or with their encoded positions (`positional`), and lengths."""

    stored: dict[str, Any]
    counted: dict[str, dict[str, int]]
    positional: dict[str, list[Positional]]
    lengths: dict[str, int]


_REPEATED_TEXTS = 50_000  # venues kept analysed; beyond, the kept ones are forgotten


class _Analyzed(NamedTuple):
    """A short text's terms for one positional, paired field (shared by the papers having it:
    read, never changed)."""

    positional: list[Positional]
    words: list[str]  # the kept words, unstemmed
    pairs: list[str]
    length: int


def _exact(terms: Iterable[str]) -> dict[str, int]:
    # A paper has a handful of these: a Counter's construction cost more than its counting.
    counts: dict[str, int] = {}
    for term in terms:
        counts[term] = counts.get(term, 0) + 1
    return counts


class DocumentMaker:
    """Turns records into index documents, counting the surface words seen (for prefixes).

    `analyze` is the fast path of a full build; `whoosh_fields` gives the same fields as strings
    for Whoosh's own writer (a refresh), whose analyzers then produce the same terms."""

    def __init__(self) -> None:
        self.extractor = TermExtractor()
        self.surface_counts: Counter[str] = Counter()
        self._positions = Positions()
        self._single_positions: dict[int, bytes] = {}
        # Authors recur from paper to paper, and folding their names was a sixth of the analysis.
        self._spelling_terms: dict[Spelling, str] = {}
        self._repeated_texts: dict[tuple[str, str], _Analyzed] = {}

    def _positional(self, positions: dict[str, list[int]]) -> list[Positional]:
        encode = self._encode
        return [(term, len(p), encode(p)) for term, p in positions.items()]

    def _encode(self, positions: list[int]) -> bytes:
        if len(positions) == 1:  # most terms occur once: their encodings repeat, so keep them
            position = positions[0]
            encoded = self._single_positions.get(position)
            if encoded is None:
                encoded = self._single_positions[position] = self._positions.encode(positions)
            return encoded
        return self._positions.encode(positions)

    def _spelling_term(self, spelling: Spelling) -> str:
        term = self._spelling_terms.get(spelling)
        if term is None:
            term = self._spelling_terms[spelling] = spelling_term(spelling)
        return term

    def _repeated(self, field: str, text: str) -> _Analyzed:
        """A venue's analysis, kept: a library has some hundred venues for thousands of papers."""
        key = (field, text)
        found = self._repeated_texts.get(key)
        if found is None:
            if len(self._repeated_texts) >= _REPEATED_TEXTS:
                self._repeated_texts.clear()
            positions, words = self.extractor.text_positions(text)
            positional = self._positional(positions)
            pairs = self.extractor.pair_terms(PAIRED_FIELDS[field], words)
            found = _Analyzed(positional, words, pairs, sum(map(_occurrences, positional)))
            self._repeated_texts[key] = found
        return found

    def analyze(self, record: IndexRecord) -> AnalyzedDocument:
        extractor = self.extractor
        title_positions, title_words = extractor.text_positions(record.title)
        abstract_counts, abstract_words = extractor.text_counts(record.abstract)
        venue = self._repeated("venue", record.venue)
        venue_name = self._repeated("venue_name", record.venue_name)
        keyword_counts, _ = extractor.text_counts(keyword_text(record.keywords))
        name_positions = extractor.name_positions(record.names)
        words = Counter([*title_words, *abstract_words, *venue.words])
        # Each word once a paper: a set made of the distinct words, not of every occurrence.
        self.surface_counts.update(words.keys() | name_positions.keys())
        counted: dict[str, dict[str, int]] = {
            "key": {record.key: 1},
            "abstract": abstract_counts,
            "keyword": keyword_counts,
            "category": _exact(category_terms(record.categories)),
            "collection": _exact(map(collection_term, record.collections)),
            "words": words,
            PAIRS_FIELD: Counter(
                [
                    *extractor.pair_terms(PAIRED_FIELDS["title"], title_words),
                    *extractor.pair_terms(PAIRED_FIELDS["abstract"], abstract_words),
                    *venue.pairs,
                    *venue_name.pairs,
                ]
            ),
            "id": _exact(record.identifiers),
            "spelling": _exact(map(self._spelling_term, record.spellings)),
        }
        if record.year:
            counted["year"] = {str(record.year): 1}
        if record.date:
            counted["date"] = {record.date: 1}
        title = self._positional(title_positions)
        author = self._positional(name_positions)
        positional = {
            "title": title,
            "venue": venue.positional,
            "venue_name": venue_name.positional,
            "author": author,
        }
        lengths = {field: sum(counts.values()) for field, counts in counted.items() if field != "key"}
        lengths["title"] = sum(map(_occurrences, title))
        lengths["venue"] = venue.length
        lengths["venue_name"] = venue_name.length
        lengths["author"] = sum(map(_occurrences, author))
        facts = self.facts(record, lengths)
        return AnalyzedDocument({"key": record.key, "facts": facts.as_stored()}, counted, positional, lengths)

    @staticmethod
    def facts(record: IndexRecord, lengths: dict[str, int]) -> Facts:
        return Facts(
            record.content_hash,
            record.year,
            record.venue_name,
            record.spellings,
            (lengths["title"], lengths["abstract"], lengths["author"], lengths["venue"]),
            record.categories,
            record.keywords,
            record.collections,
        )

    def whoosh_fields(self, record: IndexRecord) -> dict[str, Any]:
        """The same document for `IndexWriter.add_document` (Whoosh analyzes the strings)."""
        analyzed = self.analyze(record)  # for the facts and the surface words
        fields: dict[str, Any] = {
            "key": record.key,
            "facts": analyzed.stored["facts"],
            "title": record.title,
            "abstract": record.abstract,
            "venue": record.venue,
            "venue_name": record.venue_name,
            "keyword": keyword_text(record.keywords),
            "category": " ".join(category_terms(record.categories)),
            "collection": " ".join(map(collection_term, record.collections)),
            "words": "\n".join((record.title, record.abstract, record.venue)),
            PAIRS_FIELD: " ".join(
                term for term, count in analyzed.counted[PAIRS_FIELD].items() for _ in range(count)
            ),
            "author": record.names,
            "id": " ".join(record.identifiers),
            "spelling": " ".join(spelling_term(s) for s in record.spellings),
        }
        if record.year:
            fields["year"] = str(record.year)
        if record.date:
            fields["date"] = record.date
        return fields

    def vocabulary_counts(self) -> dict[str, tuple[int, str]]:
        """Surface word → (documents containing it, its stem), for the prefix vocabulary."""
        stem = self.extractor.stem
        return {word: (count, stem(word)) for word, count in self.surface_counts.items()}
