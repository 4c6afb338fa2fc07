"""Evaluating a query tree: document number → score, a whole posting list at a time.

Each clause yields a dict of matching documents and scores (BM25, per field, weighted as in
`DEFAULT_FIELDS`); OR adds, NOT subtracts, and AND evaluates its rarest clause first and scores
the others only on the documents still in the running. Prefixes, wildcards and fuzzy words are
expanded through the vocabulary of written words, with a cap on how much they read. Year clauses
are answered from the side file. Phrases are matched on positions by Whoosh in titles, venues and
names; abstracts keep no positions (see schema.py), so there the documents having every word
are checked against their text.
"""

from __future__ import annotations

import fnmatch
import re
from array import array
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import compress, repeat
from operator import add, mul, truediv

from whoosh import query
from whoosh.searching import Searcher

from tuireader.index.analysis import TermExtractor
from tuireader.index.postings import K1, PostingReader, Postings, bm25, idf
from tuireader.index.querying import ANY_FIELD, TypingPrefix
from tuireader.index.schema import DEFAULT_FIELDS, NAME_FIELDS, POSITIONAL_FIELDS, TEXT_FIELDS
from tuireader.index.vocabulary import Expansion, Vocabulary

Scores = dict[int, float]
NEUTRAL = None  # a clause that constrains nothing (a stop word, an empty group)

TYPING_MAX_TERMS = 16
TYPING_BUDGET = 20_000  # documents' worth of postings a typed prefix may read (4+ letters)
WILDCARD_MAX_TERMS = 128
WILDCARD_BUDGET = 400_000
_PHRASE_FIELDS = ("title", "abstract", "venue", "author")


@dataclass
class IndexView:
    """What evaluation reads: the index's postings and the side file's per-document arrays."""

    postings: PostingReader
    searcher: Searcher
    vocabulary: Vocabulary
    extractor: TermExtractor
    norms: dict[str, list[float]]
    live: list[int]  # document numbers of papers (deleted ones left out)
    years: array[int]
    text_of: Callable[[str, int], str]  # (field, document number) → the text indexed there
    _by_year: dict[int, list[int]] | None = field(default=None, repr=False)

    @property
    def document_count(self) -> int:
        return len(self.live)

    def in_years(self, first: int | None, last: int | None) -> list[int]:
        if self._by_year is None:
            by_year: dict[int, list[int]] = {}
            years = self.years
            for docnum in self.live:
                by_year.setdefault(years[docnum], []).append(docnum)
            self._by_year = by_year
        low = 1 if first is None else max(first, 1)
        high = 65535 if last is None else last
        found: list[int] = []
        for year, docnums in self._by_year.items():
            if low <= year <= high:
                found.extend(docnums)
        return found


@dataclass
class Evaluation:
    scores: Scores
    terms: dict[str, set[str]]  # field → terms that matched (for highlighting)
    year_ranges: list[tuple[int | None, int | None]]
    notices: list[str]


class Evaluator:
    def __init__(self, view: IndexView) -> None:
        self.view = view
        self.terms: dict[str, set[str]] = {}
        self.year_ranges: list[tuple[int | None, int | None]] = []
        self.notices: list[str] = []
        # Inside an AND, the documents the clauses so far have left: later clauses score only these.
        self._within: Scores | None = None

    def run(self, tree: query.Query) -> Evaluation:
        result = self._clause(tree, negated=False)
        if result is NEUTRAL:
            result = {}
        return Evaluation(result, self.terms, self.year_ranges, self.notices)

    # Structure

    def _clause(self, node: query.Query, *, negated: bool) -> Scores | None:
        if isinstance(node, TypingPrefix):
            return self._expansions(node, negated, TYPING_MAX_TERMS, TYPING_BUDGET, typing=True)
        if isinstance(node, query.And):
            return self._and(node.subqueries, negated)
        if isinstance(node, query.Or):
            return self._or(node.subqueries, negated)
        if isinstance(node, query.Not):
            excluded = self._clause(node.query, negated=not negated)
            return NEUTRAL if excluded is NEUTRAL else self._everything_but(excluded)
        if isinstance(node, query.AndNot):
            return self._and([node.a, query.Not(node.b)], negated)
        if isinstance(node, query.AndMaybe):
            required = self._clause(node.a, negated=negated)
            optional = self._clause(node.b, negated=negated)
            if required is NEUTRAL or optional is NEUTRAL:
                return required
            return {d: s + optional.get(d, 0.0) for d, s in required.items()}
        return self._leaf(node, negated)

    def _and(self, children: Iterable[query.Query], negated: bool) -> Scores | None:
        """Required clauses from the (probably) rarest up; each later one is only scored on the
        documents still in the running, which is most of the saving on `common rare` queries."""
        positive = sorted((c for c in children if not isinstance(c, query.Not)), key=self._estimate)
        negative = [c.query for c in children if isinstance(c, query.Not)]
        result: Scores | None = None
        outer = self._within
        for child in positive:
            self._within = result if result is not None else outer
            found = self._clause(child, negated=negated)
            if found is NEUTRAL:
                continue
            if result is None:
                result = found
            else:
                small, large = (result, found) if len(result) <= len(found) else (found, result)
                result = {d: s + large[d] for d, s in small.items() if d in large}
        self._within = result if result is not None else outer
        try:
            clauses = [self._clause(child, negated=not negated) for child in negative]
        finally:
            self._within = outer
        excluded = [scores for scores in clauses if scores is not NEUTRAL]
        if result is None:
            if not excluded:
                return NEUTRAL
            result = self._everything()
        for other in excluded:
            result = {d: s for d, s in result.items() if d not in other}
        return result

    def _estimate(self, node: query.Query) -> float:
        """Roughly how many documents a clause matches, to evaluate rare clauses first."""
        vocabulary = self.view.vocabulary
        if isinstance(node, query.Term) and node.fieldname == ANY_FIELD:
            return vocabulary.documents_with(str(node.text).lower())
        if isinstance(node, query.Or) and all(
            isinstance(c, query.Term | TypingPrefix) for c in node.subqueries
        ):
            return sum(self._estimate(c) for c in node.subqueries)
        if isinstance(node, TypingPrefix):
            return TYPING_BUDGET
        if isinstance(node, query.Term) and node.fieldname != "year":
            return self.view.searcher.doc_frequency(node.fieldname, node.text)
        return float(self.view.document_count)

    def _or(self, children: Iterable[query.Query], negated: bool) -> Scores | None:
        found = [self._clause(child, negated=negated) for child in children]
        return add_scores([scores for scores in found if scores is not NEUTRAL])

    def _everything(self) -> Scores:
        documents = self.view.live if self._within is None else self._within
        return dict.fromkeys(documents, 0.0)

    def _everything_but(self, excluded: Scores) -> Scores:
        documents = self.view.live if self._within is None else self._within
        return {docnum: 0.0 for docnum in documents if docnum not in excluded}

    def _restricted(self, postings: Postings) -> Postings:
        """Postings cut to the documents still in the running (all of them outside an AND)."""
        if self._within is None:
            return postings
        ids, frequencies = postings
        keep = list(map(self._within.__contains__, ids))
        return list(compress(ids, keep)), list(compress(frequencies, keep))

    def _restricted_ids(self, ids: Sequence[int]) -> Sequence[int]:
        """Document numbers cut to those still in the running (all of them outside an AND)."""
        if self._within is None:
            return ids
        return list(filter(self._within.__contains__, ids))

    # Leaves

    def _leaf(self, node: query.Query, negated: bool) -> Scores | None:
        if isinstance(node, query.Term):
            return self._term(node.fieldname, str(node.text), negated, node.boost)
        if isinstance(node, query.Phrase):
            return self._phrase(node.fieldname, [str(w) for w in node.words], negated)
        if isinstance(node, (query.Prefix, query.Wildcard)):
            return self._expansions(node, negated, WILDCARD_MAX_TERMS, WILDCARD_BUDGET, typing=False)
        if isinstance(node, query.FuzzyTerm):
            return self._fuzzy(node, negated)
        if isinstance(node, query.TermRange) and node.fieldname == "year":
            return self._years(_year(node.start, node.startexcl, 1), _year(node.end, node.endexcl, -1))
        if isinstance(node, query.Every):
            return self._everything()
        if node is query.NullQuery or isinstance(node, type(query.NullQuery)):
            return NEUTRAL
        return self._by_whoosh(node)

    def _term(self, field_name: str, text: str, negated: bool, boost: float = 1.0) -> Scores | None:
        if field_name == "year":
            year = int(text) if text.isdigit() else -1
            return self._years(year, year)
        if field_name != ANY_FIELD:
            return self.scored(field_name, text, negated, DEFAULT_FIELDS.get(field_name, 1.0) * boost)
        found = [
            self.scored(name, term, negated, weight * boost)
            for name, weight in DEFAULT_FIELDS.items()
            for term in self._analyzed(name, text)
        ]
        return add_scores(found) if found else NEUTRAL

    def _analyzed(self, field_name: str, word: str) -> list[str]:
        """A bare word as `field_name` indexes it (nothing for a stop word in stemmed fields)."""
        extractor = self.view.extractor
        if field_name in TEXT_FIELDS:
            return [extractor.stem(w) for w in extractor.words(word)]
        if field_name in NAME_FIELDS:
            return [token.term for token in extractor.name_tokens(word)]
        return [word.lower()]

    def scored(self, field_name: str, term: str, negated: bool, weight: float) -> Scores:
        ids, frequencies = self.view.postings.postings(field_name, term)
        if not ids:
            return {}
        if not negated:
            self.terms.setdefault(field_name, set()).add(term)
        factor = weight * idf(self.view.document_count, len(ids))
        norms = self.view.norms.get(field_name)
        if norms is None:
            return _flat_bm25(self._restricted((ids, frequencies)), factor)
        if self._within is None:  # whole lists: their scores are worth keeping for next time
            return self.view.postings.scores(field_name, term, factor, norms)
        return bm25(self._restricted((ids, frequencies)), norms, factor)

    def _constant(self, field_name: str, term: str, negated: bool, weight: float) -> Scores:
        """Every document with the term scores its idf: for expansions, where reading each
        document's frequency and length would cost more than the ranking gains."""
        ids, _ = self.view.postings.postings(field_name, term)
        if not ids:
            return {}
        if not negated:
            self.terms.setdefault(field_name, set()).add(term)
        score = weight * idf(self.view.document_count, len(ids))
        return dict.fromkeys(self._restricted_ids(ids), score)

    def _expansions(
        self, node: query.Query, negated: bool, max_terms: int, budget: int, *, typing: bool
    ) -> Scores | None:
        text = str(node.text).lower()
        field_name = node.fieldname
        if isinstance(node, query.Wildcard) and not isinstance(node, query.Prefix):
            expansions = self._wildcard(text, max_terms)
        else:
            if typing and len(text) < 2:
                return NEUTRAL  # one letter matches too much to say anything
            if typing:
                # Two letters say little: read less for them. And a typed word that is already a
                # common word is mostly looking for itself: its completions get what is left.
                budget = budget * min(len(text), 4) // 4 - self.view.vocabulary.documents_with(text)
                if budget <= 0:
                    return NEUTRAL
            expansions = self.view.vocabulary.expand(text, max_terms=max_terms, budget=budget)
        if not typing and len(expansions) >= max_terms:
            self.notices.append(f"“{node}” matches many words; only the {max_terms} commonest were searched.")
        names = (
            DEFAULT_FIELDS if field_name == ANY_FIELD else {field_name: DEFAULT_FIELDS.get(field_name, 1.0)}
        )
        found: list[Scores] = []
        for name, weight in names.items():
            if name not in TEXT_FIELDS and name not in NAME_FIELDS:
                continue
            merged: Scores = {}
            # Commonest first, so that a document with several completions keeps the rarest one's
            # (highest) score. Inflections share a stem: each term is read once.
            terms = [
                e.stem if name in TEXT_FIELDS else e.word
                for e in sorted(expansions, key=lambda e: -e.documents)
            ]
            # The typed word itself is scored in full by its own term clause beside this one.
            exact = set(self._analyzed(name, text)) if typing else set()
            for term in dict.fromkeys(t for t in terms if t not in exact):
                merged.update(self._constant(name, term, negated, weight))
            found.append(merged)
        return add_scores(found)

    def _wildcard(self, pattern: str, max_terms: int) -> list[Expansion]:
        literal = re.split(r"[*?]", pattern, maxsplit=1)[0]
        matcher = re.compile(fnmatch.translate(pattern)).match
        candidates = self.view.vocabulary.expand(literal, max_terms=1_000_000)
        return [e for e in candidates if matcher(e.word)][:max_terms]

    def _fuzzy(self, node: query.FuzzyTerm, negated: bool) -> Scores | None:
        word = str(node.text).lower()
        similar = self.view.vocabulary.similar(word, node.maxdist, max(node.prefixlength, 1))
        names = DEFAULT_FIELDS if node.fieldname == ANY_FIELD else {node.fieldname: 1.0}
        found = [
            self.scored(name, e.stem if name in TEXT_FIELDS else e.word, negated, weight)
            for name, weight in names.items()
            if name in TEXT_FIELDS or name in NAME_FIELDS
            for e in similar
        ]
        return add_scores(found)

    def _phrase(self, field_name: str, words: list[str], negated: bool) -> Scores | None:
        names = _PHRASE_FIELDS if field_name == ANY_FIELD else (field_name,)
        found: list[Scores] = []
        for name in names:
            terms = [t for w in words for t in self._analyzed(name, w)] if field_name == ANY_FIELD else words
            if not terms:
                continue
            weight = DEFAULT_FIELDS.get(name, 1.0)
            per_term = [self.scored(name, term, negated, weight) for term in terms]
            if len(terms) == 1:
                found.append(per_term[0])
                continue
            if any(not scores for scores in per_term):
                continue
            if name in POSITIONAL_FIELDS:
                matcher = query.Phrase(name, terms, slop=1).matcher(self.view.searcher)
                documents: Iterable[int] = matcher.all_ids()
            else:
                candidates = set.intersection(*(set(scores) for scores in per_term))
                documents = [d for d in candidates if self._has_phrase(name, d, terms)]
            found.append({d: sum(s.get(d, 0.0) for s in per_term) for d in documents})
        if not found:
            return NEUTRAL
        return add_scores(found)

    def _has_phrase(self, field_name: str, docnum: int, terms: list[str]) -> bool:
        """Whether the field's text has the terms in a row (stop words skipped, as indexed)."""
        text = self.view.text_of(field_name, docnum)
        tokens = [token.term for token in self.view.extractor.text_tokens(text)]
        width = len(terms)
        return any(tokens[i : i + width] == terms for i, term in enumerate(tokens) if term == terms[0])

    def _years(self, first: int | None, last: int | None) -> Scores:
        self.year_ranges.append((first, last))
        if self._within is not None and len(self._within) * 4 < self.view.document_count:
            # Few documents left in the running: look their years up rather than list the range.
            low, high = max(first or 1, 1), last or 65535
            years = self.view.years
            return {d: 0.0 for d in self._within if low <= years[d] <= high}
        return dict.fromkeys(self._restricted_ids(self.view.in_years(first, last)), 0.0)

    def _by_whoosh(self, node: query.Query) -> Scores:
        """Any other clause Whoosh can answer (each match scores 1)."""
        try:
            return dict.fromkeys(node.matcher(self.view.searcher).all_ids(), 1.0)
        except Exception:  # a clause on a field the index does not have, for instance
            return {}


def _year(text: object, exclusive: bool, step: int) -> int | None:
    if text is None or not str(text).isdigit():
        return None
    return int(str(text)) + (step if exclusive else 0)


def _flat_bm25(postings: Postings, factor: float) -> Scores:
    """BM25 for short fields without stored lengths (ids): every document of average length."""
    ids, frequencies = postings
    numerators = map(mul, frequencies, repeat(factor * (K1 + 1)))
    return dict(zip(ids, map(truediv, numerators, map(add, frequencies, repeat(K1))), strict=True))


def add_scores(found: list[Scores]) -> Scores | None:
    """OR: the union, scores added (dict operations in C; Python only for shared documents)."""
    if not found:
        return NEUTRAL
    if len(found) == 1:
        return found[0]
    found = sorted(found, key=len, reverse=True)
    result = dict(found[0])
    for other in found[1:]:
        shared = [docnum for docnum in other if docnum in result]
        before = [result[docnum] for docnum in shared]
        result.update(other)
        for docnum, score in zip(shared, before, strict=True):
            result[docnum] += score
    return result
