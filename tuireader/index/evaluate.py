"""Evaluating a query tree: document number → score, a whole posting list at a time.

Each clause yields a dict of matching documents and scores (BM25, per field, weighted as in
`DEFAULT_FIELDS`); OR adds, NOT subtracts, and AND evaluates its rarest clause first and scores
the others only on the documents still in the running. Prefixes, wildcards and fuzzy words are
expanded through the vocabulary of written words, with a cap on how much they read. Year clauses
are answered from the side file. A phrase in titles, abstracts and venues is first narrowed to
the documents having each two adjacent words of it (the `pairs` field, where a term stands for
a few pairs); only those are checked against their text, and only the words after each written
form of the phrase's first word are read there. Phrases in names are matched on
positions by Whoosh (a middle name may sit between).
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from itertools import compress, pairwise, repeat
from operator import add, mul, truediv

from whoosh import query
from whoosh.lang import stopwords_for_language
from whoosh.searching import Searcher
from whoosh.support.charset import accent_map

from tuireader.index.analysis import WORD_PATTERN, TermExtractor, pair_term
from tuireader.index.postings import K1, PostingReader, Postings, bm25, idf
from tuireader.index.querying import ANY_FIELD, TypingPrefix
from tuireader.index.results import SearchCancelled
from tuireader.index.schema import (
    DEFAULT_FIELDS,
    LISTED_FIELDS,
    NAME_FIELDS,
    PAIRED_FIELDS,
    PAIRS_FIELD,
    POSITIONAL_FIELDS,
    SEARCHED_AS,
    SURFACE_FIELD,
    TEXT_FIELDS,
)
from tuireader.index.vocabulary import Expansion, Vocabulary

Scores = dict[int, float]
NEUTRAL = None  # a clause that constrains nothing (a stop word, an empty group)

TYPING_MAX_TERMS = 16
TYPING_BUDGET = 20_000  # documents' worth of postings a typed prefix may read (4+ letters)
# Beside other words, a typed prefix's completions are ranked by how often they occur with
# them: that many of the commonest are read, within that many postings.
TYPING_CANDIDATES = 64
TYPING_READ_BUDGET = 400_000
EXPANSION_FACTOR = 0.5  # a completion or a fuzzy variant scores below the word itself
WILDCARD_MAX_TERMS = 128
# Documents' worth of postings a wildcard with no leading letters (`*s`) may read: the commonest
# words are searched until then, and the notice says how many. `*s` alone matches 330,000
# postings at 100,000 papers, 150 ms of reading.
WILDCARD_BUDGET = 150_000
_PHRASE_FIELDS = ("title", "abstract", "venue", "author")
# Fields whose written words the vocabulary holds: a phrase is looked for where a form of its
# first word is.
_WINDOWED_FIELDS = ("title", "abstract", "venue")
_WORD = re.compile(WORD_PATTERN)
_NOT_ASCII = re.compile(r"[^\x00-\x7f]+")
_LEXICON_FIELDS = ("category", "keyword", "collection")  # prefixes and wildcards read the field's own terms


@dataclass
class IndexView:
    """What evaluation reads: the index's postings and the side file's per-document arrays."""

    postings: PostingReader
    searcher: Searcher
    vocabulary: Vocabulary
    extractor: TermExtractor
    norms: Mapping[str, Sequence[float]]
    live: Sequence[int]  # document numbers of papers (deleted ones left out)
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
    phrase_checks: int = 0  # texts read to check a phrase


class Evaluator:
    def __init__(self, view: IndexView, cancelled: Callable[[], bool] | None = None) -> None:
        self.view = view
        # Asked between clauses and while checking phrases, the slow part: a search no longer
        # wanted stops within milliseconds and frees the engine for the next one.
        self._cancelled = cancelled or (lambda: False)
        self.terms: dict[str, set[str]] = {}
        self.year_ranges: list[tuple[int | None, int | None]] = []
        self.notices: list[str] = []
        # Inside an AND, the documents the clauses so far have left: later clauses score only these.
        self._within: Scores | None = None
        self.phrase_checks = 0
        # First term of a phrase → what finds its written forms in a text (see `_phrase_near_forms`)
        self._finders: dict[str, str | re.Pattern[str]] = {}
        self._written: dict[str, re.Pattern[str] | None] = {}

    def run(self, tree: query.Query) -> Evaluation:
        result = self._clause(tree, negated=False)
        if result is NEUTRAL:
            result = {}
        return Evaluation(result, self.terms, self.year_ranges, self.notices, self.phrase_checks)

    # Structure

    def _clause(self, node: query.Query, *, negated: bool) -> Scores | None:
        if self._cancelled():
            raise SearchCancelled
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
            # Last: its completions are then chosen among the other words' documents.
            return float(self.view.document_count) * 2
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
        if isinstance(node, (query.Prefix, query.Wildcard)) and node.fieldname in _LEXICON_FIELDS:
            return self._lexicon_expansions(node, negated)
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
        if not self.view.extractor.words(text):
            # A stop word (or a single letter): never required, in no field (it would otherwise
            # have to be in an author's name or an id, and `state of the art` would find nothing).
            return NEUTRAL
        if field_name != ANY_FIELD:
            weight = DEFAULT_FIELDS.get(field_name, 1.0) * boost
            names = SEARCHED_AS.get(field_name, (field_name,))
            return add_scores([self.scored(name, text, negated, weight) for name in names])
        word = self.view.extractor.fold(text.lower())
        if self._mostly_a_name(word):
            # `Manning` is not "man": a word written mostly in bylines is not stemmed.
            found = [
                self.scored(SURFACE_FIELD, word, negated, DEFAULT_FIELDS["title"] * boost),
                self.scored("author", word, negated, DEFAULT_FIELDS["author"] * boost),
            ]
            return add_scores(found)
        found = [
            self.scored(name, term, negated, weight * boost)
            for name, weight in DEFAULT_FIELDS.items()
            for term in self._analyzed(name, text)
        ]
        return add_scores(found) if found else NEUTRAL

    def _mostly_a_name(self, word: str) -> bool:
        stems = self._analyzed("title", word)
        if not stems or stems[0] == word:
            return False
        postings = self.view.postings
        return len(postings.postings("author", word)[0]) > len(postings.postings(SURFACE_FIELD, word)[0])

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

    def _expansions(
        self, node: query.Query, negated: bool, max_terms: int, budget: int, *, typing: bool
    ) -> Scores | None:
        text = self.view.extractor.fold(str(node.text).lower())
        vocabulary = self.view.vocabulary
        if isinstance(node, query.Wildcard) and not isinstance(node, query.Prefix):
            expansions, capped = vocabulary.matching(text, max_terms, budget)
        elif typing:
            if len(text) < 2:
                return NEUTRAL  # one letter matches too much to say anything
            expansions, capped = self._completions(text, budget)
        else:
            expansions = vocabulary.expand(text, max_terms=max_terms + 1)
            capped = len(expansions) > max_terms
            expansions = expansions[:max_terms]
        if capped:
            shown = ", ".join(e.word for e in expansions[:3])
            self.notices.append(
                f"“{node.text}” matches many words; only {len(expansions)} were searched ({shown}, …)."
            )
        exact = self._live_documents_with(text) if typing else 0
        # The typed word itself is scored in full by its own term clause beside this one.
        own_stems = set(self._analyzed("title", text)) if typing else set()
        chosen = [e for e in expansions if not (typing and (e.word == text or e.stem in own_stems))]
        return self._scored_forms(node.fieldname, chosen, negated, exact)

    def _lexicon_expansions(self, node: query.Query, negated: bool) -> Scores | None:
        """`cat:cs.*`, `keyword:pars*`: the field's own terms that match, each scored as itself
        (these fields' words are not in the vocabulary of written words)."""
        field_name = str(node.fieldname)
        pattern = str(node.text).lower()
        if isinstance(node, query.Prefix):
            pattern += "*"
        reader = self.view.searcher.reader()
        terms = [term for term in reader.lexicon(field_name) if fnmatchcase(term.decode(), pattern)]
        if len(terms) > WILDCARD_MAX_TERMS:
            self.notices.append(
                f"“{node}” matches many values; only the first {WILDCARD_MAX_TERMS} were searched."
            )
        found = [
            self.scored(field_name, term.decode(), negated, DEFAULT_FIELDS.get(field_name, 1.0))
            for term in terms[:WILDCARD_MAX_TERMS]
        ]
        return add_scores(found) or {}

    def _completions(self, prefix: str, budget: int) -> tuple[list[Expansion], bool]:
        """The completions of a word being typed. Beside other words, those found most often
        with them (`coreference res` → resolution, not the commoner "results"); alone, the
        commonest, within a budget of postings to read. Also whether some were left out."""
        vocabulary = self.view.vocabulary
        within = self._within
        if within is None:
            # Two letters say little: read less for them. And a typed word that is already a
            # common word is mostly looking for itself: its completions get what is left.
            budget = budget * min(len(prefix), 4) // 4 - vocabulary.documents_with(prefix)
            if budget <= 0:
                return [], vocabulary.count_starting(prefix) > 1
            found = vocabulary.expand(prefix, max_terms=TYPING_MAX_TERMS, budget=budget)
            return found, vocabulary.count_starting(prefix) > len(found)
        candidates = vocabulary.expand(prefix, max_terms=TYPING_CANDIDATES, budget=TYPING_READ_BUDGET)
        together: list[tuple[int, Expansion]] = []
        for expansion in candidates:
            if self._cancelled():
                raise SearchCancelled
            shared = 0
            for name in (SURFACE_FIELD, *NAME_FIELDS):
                ids = self.view.postings.document_ids(name, expansion.word)
                shared += sum(map(within.__contains__, ids))
            if shared:
                together.append((shared, expansion))
        together.sort(key=lambda pair: -pair[0])
        chosen = [expansion for _, expansion in together[:TYPING_MAX_TERMS]]
        left_out = len(together) > TYPING_MAX_TERMS or vocabulary.count_starting(prefix) > len(candidates)
        return chosen, left_out

    def _scored_forms(
        self, field_name: str, forms: Sequence[Expansion], negated: bool, exact_documents: int
    ) -> Scores | None:
        """Documents having any of these written forms (prefix, wildcard and fuzzy matches).
        Each scores below what the word itself would: half its field weight times its idf,
        no more than the idf of the word typed (so `BERT` ranks BERT above BERTweet)."""
        if field_name == ANY_FIELD:
            fields = {
                SURFACE_FIELD: DEFAULT_FIELDS["abstract"],
                **{n: DEFAULT_FIELDS[n] for n in NAME_FIELDS},
            }
        elif field_name in TEXT_FIELDS:
            fields = {SURFACE_FIELD: DEFAULT_FIELDS.get(field_name, 1.0)}
        elif field_name in NAME_FIELDS:
            fields = {field_name: DEFAULT_FIELDS.get(field_name, 1.0)}
        else:
            return {}
        count = self.view.document_count
        ceiling = idf(count, exact_documents) if exact_documents else None
        found: list[Scores] = []
        for name, weight in fields.items():
            merged: Scores = {}
            for form in sorted(forms, key=lambda e: -e.documents):
                # A leading wildcard reads up to WILDCARD_MAX_TERMS lists: stop between them.
                if self._cancelled():
                    raise SearchCancelled
                ids = self.view.postings.document_ids(name, form.word)
                if field_name != ANY_FIELD and name == SURFACE_FIELD:
                    ids = self._in_field(field_name, form, ids)
                if not ids:
                    continue
                if not negated:
                    if name == SURFACE_FIELD:
                        for text_field in TEXT_FIELDS if field_name == ANY_FIELD else (field_name,):
                            self.terms.setdefault(text_field, set()).add(form.stem)
                    else:
                        self.terms.setdefault(name, set()).add(form.word)
                value = idf(count, len(ids))
                if ceiling is not None:
                    value = min(value, ceiling)
                # Pairs straight into the dict, no dict of each list made first: a leading
                # wildcard merges some 300,000 postings.
                merged.update(zip(self._restricted_ids(ids), repeat(EXPANSION_FACTOR * weight * value)))
            found.append(merged)
        return add_scores(found)

    def _live_documents_with(self, word: str) -> int:
        """Papers having the written word (the vocabulary's counts may include deleted ones)."""
        postings = self.view.postings
        return max(len(postings.document_ids(name, word)) for name in (SURFACE_FIELD, *NAME_FIELDS))

    def _in_field(self, field_name: str, form: Expansion, ids: Sequence[int]) -> Sequence[int]:
        """Of the documents having the written form somewhere, those whose `field_name` has its
        stem (`title:gen*` wants the word in the title)."""
        in_field = self.view.postings.document_ids(field_name, form.stem)
        if not in_field:
            return []
        present = set(in_field)
        return [d for d in ids if d in present]

    def _fuzzy(self, node: query.FuzzyTerm, negated: bool) -> Scores | None:
        word = self.view.extractor.fold(str(node.text).lower())
        distance = min(max(int(node.maxdist), 1), 2)
        similar = self.view.vocabulary.similar(word, distance)
        if len(similar) > WILDCARD_MAX_TERMS:
            similar = sorted(similar, key=lambda e: -e.documents)[:WILDCARD_MAX_TERMS]
            self.notices.append(
                f"“{node}” is close to many words; only the {WILDCARD_MAX_TERMS} commonest were searched."
            )
        exact = self._live_documents_with(word)
        own = [e for e in similar if e.word == word]
        scores = self._scored_forms(node.fieldname, [e for e in similar if e.word != word], negated, exact)
        if own:
            found = self._term(node.fieldname, word, negated)
            scores = add_scores([s for s in (scores, found) if s is not NEUTRAL])
        return scores

    def _phrase(self, field_name: str, words: list[str], negated: bool) -> Scores | None:
        names = _PHRASE_FIELDS if field_name == ANY_FIELD else SEARCHED_AS.get(field_name, (field_name,))
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
            if name in PAIRED_FIELDS:
                documents: Iterable[int] = self._paired_phrase(name, terms, per_term)
            elif name in POSITIONAL_FIELDS:
                # In names, a middle name or initial may sit between (`Noah D. Goodman`).
                slop = 2 if name in NAME_FIELDS else 1
                matcher = query.Phrase(name, terms, slop=slop).matcher(self.view.searcher)
                documents = matcher.all_ids()
            else:
                documents = self._checked_phrase(name, terms, set.intersection(*map(set, per_term)))
            found.append({d: sum(s.get(d, 0.0) for s in per_term) for d in documents})
        if not found:
            return NEUTRAL
        return add_scores(found)

    def _paired_phrase(self, field_name: str, terms: list[str], per_term: list[Scores]) -> list[int]:
        """Documents whose `field_name` has the terms in a row: of those having every adjacent
        pair of them, the ones whose text has them in a row."""
        code = PAIRED_FIELDS[field_name]
        postings = self.view.postings
        lists = [postings.document_ids(PAIRS_FIELD, pair_term(code, a, b)) for a, b in pairwise(terms)]
        lists.sort(key=len)
        # A term stands for a few pairs: its other papers mostly lack a word of the phrase. And
        # the terms' scores are cut to the documents still in the running.
        candidates = lists[0]
        for scores in per_term:
            candidates = [d for d in candidates if d in scores]
        for other in lists[1:]:
            if not candidates:
                break
            present = set(other)
            candidates = [d for d in candidates if d in present]
        return self._checked_phrase(field_name, terms, candidates)

    def _checked_phrase(self, field_name: str, terms: list[str], candidates: Iterable[int]) -> list[int]:
        """Those of the candidates whose text has the terms in a row. Many papers share a venue's
        text: each text is checked once."""
        documents: list[int] = []
        known: dict[str, bool] = {}
        for count, docnum in enumerate(candidates):
            if count % 64 == 0 and self._cancelled():
                raise SearchCancelled
            text = self.view.text_of(field_name, docnum)
            found = known.get(text)
            if found is None:
                found = known[text] = self._has_phrase(field_name, text, terms)
            if found:
                documents.append(docnum)
        return documents

    def _has_phrase(self, field_name: str, text: str, terms: list[str]) -> bool:
        """Whether the text has the terms in a row (stop words skipped, as indexed)."""
        self.phrase_checks += 1
        if field_name in _WINDOWED_FIELDS:
            written = self._written_phrase(terms) if text.isascii() else None
            if written is not None and written_in(written, text):
                return True
            folded = _folded_in_place(text)
            forms = self.view.vocabulary.forms_of(terms[0]) if folded is not None else []
            if folded is not None and forms:
                return self._phrase_near_forms(text, folded, terms, forms)
        values = text.split("\n") if field_name in LISTED_FIELDS else [text]
        width = len(terms)
        first = terms[0]
        extractor = self.view.extractor
        for value in values:
            tokens = extractor.stems(extractor.words(value))
            start = 0
            while first in tokens[start:]:  # list search in C; most texts have the first term once
                start = tokens.index(first, start)
                if tokens[start : start + width] == terms:
                    return True
                start += 1
        return False

    def _written_phrase(self, terms: list[str]) -> re.Pattern[str] | None:
        """An expression finding, in an ASCII text, the phrase as most texts write it: written
        forms of the terms with only stop words and single letters between. One search in C
        where checking word by word cost some 30 microseconds a paper; what it finds, the word
        by word check would find too (so it may answer yes; only that check may answer no)."""
        key = " ".join(terms)
        if key not in self._written:
            self._written[key] = _written_phrase(self.view.extractor, self.view.vocabulary, terms)
        return self._written[key]

    def _phrase_near_forms(self, text: str, folded: str, terms: list[str], forms: list[str]) -> bool:
        """`_has_phrase` reading only the few words after each place where a written form of
        the first term starts in `folded` (the text lower-cased and accent-folded, character
        for character): tokenising and stemming whole abstracts was most of a common phrase's
        time."""
        finder = self._finders.get(terms[0])
        if finder is None:
            prefix = _common_start(forms)
            if len(prefix) >= 2:
                finder = self._finders[terms[0]] = prefix
            else:
                alternatives = "|".join(map(re.escape, sorted(forms, key=len, reverse=True)))
                finder = self._finders[terms[0]] = re.compile(f"(?=(?:{alternatives}))")
        if isinstance(finder, str):
            places: Iterable[int] = _places(folded, finder)
        else:
            places = (m.start() for m in finder.finditer(folded))
        extractor = self.view.extractor
        width = len(terms)
        for place in places:
            if place and _inside_word(text[place - 1]):
                continue
            # A word may run back over a dot between digits (`3.5`): tokenise from the start of
            # the run of word characters and dots, where the whole text's tokens also start.
            start = place
            while start and (text[start - 1] == "." or _inside_word(text[start - 1])):
                start -= 1
            matched = 0
            for match in _WORD.finditer(text, start):
                if match.start() < place:
                    continue
                if match.start() > place and not matched:
                    break  # no word starts at the place
                word = extractor.fold(match.group().lower())
                if len(word) < 2 or extractor.is_stop_word(word):
                    if matched:
                        continue
                    break
                if extractor.stem(word) != terms[matched]:
                    break
                matched += 1
                if matched == width:
                    return True
        return False

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


# A word ends where the tokenizer's would (`WORD_PATTERN`: a dot before a digit joins); between
# two words, anything no word is made of.
_WORD_END = r"(?![\w*]|\.\d)"
_BETWEEN_WORDS = r"[^\w*]+"


def _written_phrase(
    extractor: TermExtractor, vocabulary: Vocabulary, terms: list[str]
) -> re.Pattern[str] | None:
    """See `Evaluator._written_phrase` (None when a term has no known written form)."""
    alternatives = []
    for term in terms:
        forms = vocabulary.forms_of(term)
        if not forms or not all(form.isascii() for form in forms):
            return None
        alternatives.append("(?:" + "|".join(map(re.escape, sorted(forms, key=len, reverse=True))) + ")")
    # Only words the extractor skips may sit between (single letters and digits, stop words).
    skipped = [w for w in stopwords_for_language("en") if extractor.is_stop_word(w) and w.isascii()]
    skipped.sort(key=len, reverse=True)
    skip = "(?:" + "|".join(map(re.escape, skipped)) + r"|\w)" + _WORD_END
    between = _BETWEEN_WORDS + "(?:" + skip + _BETWEEN_WORDS + ")*"
    # Run over the lower-cased text, beginning with the first word's letters (a lookbehind there
    # would keep the expression engine from skipping to them); where it starts is checked after.
    phrase = between.join(alternative + _WORD_END for alternative in alternatives)
    return re.compile(phrase, re.ASCII)


def written_in(written: re.Pattern[str], text: str) -> bool:
    """Whether `_written_phrase`'s expression finds the phrase in the ASCII text, at the start
    of a word: not inside one, nor after a dot (`3.5` is one word)."""
    lowered = text.lower()
    for match in written.finditer(lowered):
        place = match.start()
        if not place or not (_inside_word(lowered[place - 1]) or lowered[place - 1] == "."):
            return True
    return False


def _folded_in_place(text: str) -> str | None:
    """The text lower-cased and accent-folded with every character in its place, as the index
    folds each word (None when lower-casing changes a length, or a final sigma its letter)."""
    if text.isascii():
        return text.lower()
    lowered = text.lower()
    if len(lowered) != len(text) or "\u03a3" in text:
        return None
    # Only the runs of other letters need folding (the map's ASCII entries are capitals).
    return _NOT_ASCII.sub(_fold_run, lowered)


def _fold_run(match: re.Match[str]) -> str:
    return match.group().translate(accent_map)


def _inside_word(character: str) -> bool:
    """Whether a word of the index can go on through this character (as `\\w` or `*`)."""
    return character.isalnum() or character in "_*"


def _common_start(words: list[str]) -> str:
    """The longest start all the words share (that of the first and last in sorted order)."""
    first, last = min(words), max(words)
    length = 0
    for a, b in zip(first, last, strict=False):
        if a != b:
            break
        length += 1
    return first[:length]


def _places(text: str, prefix: str) -> Iterator[int]:
    """Where `prefix` starts in `text`, each place (`str.find`, in C)."""
    place = text.find(prefix)
    while place >= 0:
        yield place
        place = text.find(prefix, place + 1)


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
