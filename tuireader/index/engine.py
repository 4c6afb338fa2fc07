"""The search engine the CLI and the reader use: open once, then search, highlight, find related.

Thread safety: `open` may run in a worker thread, and every other method may then be called
from any thread. Whoosh's readers share file positions, so the parts that read the index run one
at a time under a lock; a search abandoned by its caller simply finishes and is dropped, having
changed nothing. Highlighting reads no index files and never waits for that lock.

Damage: opening checks the index (see location.py), all but its large segment files' contents,
which are checksummed in the background once the engine is open. Damage found there, or met by a
search decoding a posting list, is never a silent "no results": the search raises
`IndexDamaged` (one line for the user), every later one too, and the generation is marked so
that the next open rebuilds it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from tuireader.corpus.library import Library
from tuireader.corpus.model import Paper
from tuireader.corpus.names import Person
from tuireader.index.analysis import TermExtractor
from tuireader.index.documents import identifiers, keyword_text, spelling_term
from tuireader.index.evaluate import Evaluation, Evaluator, IndexView, Scores
from tuireader.index.facets import FACET_LIMIT, Facets
from tuireader.index.highlight import Highlighter
from tuireader.index.location import IndexDamaged, damaged_files, forget_generation, read_manifest
from tuireader.index.opening import OpenedIndex, checked_later, open_current_index, prepare_index
from tuireader.index.ordering import SORTS, Orderings
from tuireader.index.postings import LengthNorms, PostingReader
from tuireader.index.querying import QueryReader, bare_words
from tuireader.index.related import related_scores, telling_terms
from tuireader.index.results import Highlights, Hit, QueryTerms, RankedIds, SearchCancelled, SearchResults

log = logging.getLogger(__name__)
SUGGEST_BELOW = 3  # matches: fewer, and close words are suggested for the query's rare words
SUGGESTIONS_KEPT = 5
# The warm-up waits this long for the first search to end, at most: started at once, it took the
# interpreter's lock from that search and from the first paint, tripling both.
WARM_UP_AFTER_FIRST_SEARCH = 2.0
# And then this long, for the caller to show the first results: started as the search ended, it
# held the interpreter's lock half the time while the reader drew them, making the first list of a
# cached 60,000-paper library a tenth of a second later. Someone waiting for it cuts the pause.
WARM_UP_PAUSE = 0.3


class SearchEngine:
    def __init__(self, library: Library, opened: OpenedIndex) -> None:
        self.library = library
        self.action = opened.action
        self.notice = opened.notice  # e.g. where the index had to go: worth telling the user
        self.folder: Path = opened.folder
        self._whoosh = opened.whoosh
        self._side = opened.side
        self._manifest = opened.manifest
        self._in_use = opened.in_use
        self._searcher = opened.whoosh.searcher()
        self._lock = threading.Lock()
        self._closed = False
        self._damage: str | None = None
        self._docnum_of: dict[str, int] | None = None
        keys = opened.side.keys
        live: Sequence[int] = range(len(keys))  # most indexes have nothing deleted
        deleted: list[int] = []
        if not all(keys):
            live = [docnum for docnum, key in enumerate(keys) if key]
            deleted = [docnum for docnum, key in enumerate(keys) if not key]
        extractor = TermExtractor()
        # Only what the first list needs is made here; the rest when first used, or by the warm-up.
        self._norms = LengthNorms(opened.side.lengths, live if deleted else None)
        self._view = IndexView(
            postings=PostingReader(self._searcher.reader(), deleted=deleted),
            searcher=self._searcher,
            vocabulary=opened.vocabulary,
            extractor=extractor,
            norms=self._norms,
            live=live,
            years=opened.side.years,
            text_of=self._text_of,
        )
        self._facets = Facets(opened.side, live)
        self._orderings = Orderings(opened.side, library)
        self._queries = QueryReader()
        self._highlighter = Highlighter(extractor, opened.vocabulary)
        # Tables the first searches would otherwise build (or do without), made in the background
        # while the caller gets on with it: about half a second at 100,000 papers.
        self._ready = threading.Event()
        self._checked = threading.Event()
        self._searched = threading.Event()  # the first search is over (or someone waits for the warm-up)
        self._hurried = threading.Event()  # someone waits for the warm-up: no pause
        threading.Thread(target=self._warm_up, name="tuireader-index-warm-up", daemon=True).start()

    def _warm_up(self) -> None:
        self._searched.wait(WARM_UP_AFTER_FIRST_SEARCH)
        self._hurried.wait(WARM_UP_PAUSE)
        try:
            self._norms.warm_up()
            vocabulary = self._view.vocabulary
            self._view.extractor.learn(vocabulary.words, vocabulary.stems)
            self._highlighter.warm_up()
            vocabulary.warm_up()
            self._view.in_years(None, None)
            self._facets.warm_up()
            self._orderings.warm_up()
        except Exception:  # only speed is lost: searches build what they need themselves
            log.exception("warming up the search engine failed")
        finally:
            self._ready.set()
        try:
            self._check_large_files()
        finally:
            self._checked.set()

    def _check_large_files(self) -> None:
        """Checksum the segment files opening only checked by size. A generation's files are
        never rewritten, so a difference is damage, unless the generation is gone meanwhile
        (removed for a newer one once this process's engines were done with it)."""
        names = checked_later(self._manifest)
        if not names:
            return
        try:
            damaged = damaged_files(self.folder, self._manifest, names)
        except Exception:
            log.info("checking the index files failed", exc_info=True)
            return
        if damaged and not self._closed and read_manifest(self.folder) == self._manifest:
            self._mark_damaged(f"not as written: {', '.join(damaged)}")

    def clear_caches(self) -> None:
        """Forget cached posting lists (for measuring searches from cold)."""
        with self._lock:
            self._view.postings.clear_cache()

    def wait_until_ready(self, timeout: float | None = None) -> bool:
        """Wait for the background warm-up (searches work before it ends, some more slowly)."""
        self._searched.set()  # no reason left to hold it back
        self._hurried.set()
        return self._ready.wait(timeout)

    def wait_until_checked(self, timeout: float | None = None) -> bool:
        """Wait for the background check of the large index files (after the warm-up)."""
        return self._checked.wait(timeout)

    @classmethod
    def open(
        cls,
        library: Library,
        *,
        progress: Callable[[int, int], None] | None = None,
        cache_dir: Path | None = None,
        workers: int | None = None,
        fingerprint: str | None = None,
        rebuild: bool = False,
    ) -> SearchEngine:
        """The library's index, reused, refreshed or built.

        `progress(done, total)` counts papers while building. `cache_dir` replaces the user
        cache folder's `index/`; `workers` the number of build processes (default: one per
        core). A library read from files is known unchanged by its files; one made in memory
        can say so with a `fingerprint` that changes whenever its content does (otherwise every
        paper is hashed and compared). `rebuild` ignores the existing index."""
        opened = prepare_index(
            library,
            progress=progress,
            root=cache_dir,
            workers=workers,
            fingerprint=fingerprint,
            rebuild=rebuild,
        )
        return cls(library, opened)

    @classmethod
    def open_if_current(cls, library: Library, *, cache_dir: Path | None = None) -> SearchEngine | None:
        """The library's index when it needs no work at all (see `open_current_index`), else None."""
        opened = open_current_index(library, root=cache_dir)
        return None if opened is None else cls(library, opened)

    def author_counts(self) -> list[tuple[str, Person, int]]:
        """Every person of the library with their paper count, most papers first, then by name,
        and their folded name: counted from the side file, not from the library's bylines."""
        return self._facets.everyone()

    def close(self) -> None:
        """Close the index files (an engine replaced by a newer one should be closed)."""
        with self._lock:
            if not self._closed:
                self._closed = True
                self._view.postings.close()
                self._searcher.close()
                if self._in_use is not None:
                    self._in_use.close()

    # Damage

    def _mark_damaged(self, reason: str) -> None:
        if self._damage is None:
            # Info, not error: the user hears of it from the search that raises, in one line.
            log.info("the index at %s is damaged: %s", self.folder, reason)
            self._damage = reason
            try:
                forget_generation(self.folder, self._manifest.generation)
            except OSError:
                log.info("marking the index at %s for rebuilding failed", self.folder, exc_info=True)

    def _damaged_error(self) -> IndexDamaged:
        return IndexDamaged(
            f"the search index in {self.folder} is damaged ({self._damage}); "
            "it is rebuilt the next time the library is opened"
        )

    @contextmanager
    def _reading(self) -> Iterator[None]:
        """Around everything that reads the index: damage becomes `IndexDamaged`."""
        if self._damage is not None:
            raise self._damaged_error()
        try:
            yield
        except SearchCancelled:
            raise
        except Exception as error:  # Whoosh says "damaged" with bare Exceptions, among others
            if self._closed:
                raise
            log.info("a search failed reading the index at %s", self.folder, exc_info=True)
            self._mark_damaged(f"{type(error).__name__}: {error}".splitlines()[0])
            raise self._damaged_error() from error

    def __enter__(self) -> SearchEngine:
        return self

    def __exit__(self, *exception: object) -> None:
        self.close()

    @property
    def paper_count(self) -> int:
        return self._view.document_count

    # Searching

    def search(
        self,
        query: str,
        *,
        authors: Sequence[str] = (),
        years: tuple[int | None, int | None] | None = None,
        venues: Sequence[str] = (),
        sort: str = "relevance",
        limit: int | None = 50,
        with_facets: bool = True,
        page: int = 0,
        cancelled: Callable[[], bool] | None = None,
        typing: bool = True,
    ) -> SearchResults:
        """Papers matching `query` (blank: all), by all of `authors` (person keys), within
        `years` (inclusive; None for an open end), at any of `venues` (as the venue facets name
        them). Never raises on a bad query: see `notice`.

        `limit` hits come with highlights; `ids` has its first `max(limit, page)` ranked at once,
        so a list can show its first screen without sorting every match. `cancelled()` is asked
        as the search goes: when it says so, the search stops with `SearchCancelled`. While
        `typing`, a last word with no space after it is being typed and also matches as a prefix;
        a query given whole (the command line's) means its words as they are."""
        if sort not in SORTS:
            raise ValueError(f"sort must be one of {', '.join(SORTS)}")
        with self._lock, self._reading():  # Whoosh's parser caches stems unsynchronised: inside
            parsed = self._queries.read(query, typing=typing)
            evaluator = Evaluator(self._view, cancelled)
            evaluation = evaluator.run(parsed.tree) if parsed.tree is not None else None
            allowed = self._allowed(authors, years, venues)
        scores = self._filtered(evaluation, allowed)
        notices = [parsed.notice] if parsed.notice else []
        if evaluation is not None:
            notices += evaluation.notices
        terms = (
            QueryTerms({f: frozenset(t) for f, t in evaluation.terms.items()}) if evaluation else QueryTerms()
        )
        first = self._orderings.first(scores, sort, len(scores) if limit is None else max(limit, page))
        orderings = self._orderings
        ids = RankedIds(first, scores, lambda: orderings.full(scores, sort), self._side.keys)
        year_ranges = evaluation.year_ranges if evaluation else []
        with_hits = first if limit is None else first[:limit]
        hits = [self._hit(docnum, scores[docnum], terms, year_ranges) for docnum in with_hits]
        results = SearchResults(
            query=query,
            total=len(scores),
            ids=ids,
            hits=hits,
            notice=" ".join(notices) or None,
            terms=terms,
            sort=sort,
            suggestions=self._suggestions(parsed.tree) if len(scores) < SUGGEST_BELOW else (),
            phrase_checks=evaluation.phrase_checks if evaluation else 0,
            facets_counted=with_facets,
        )
        if with_facets:
            self._fill_facets(results, scores)
        self._searched.set()
        return results

    def _fill_facets(self, results: SearchResults, matched: Collection[int]) -> None:
        author_facets, year_facets, venue_facets = self._facets.summary(matched, FACET_LIMIT)
        results.author_facets.extend(author_facets)
        results.year_facets.extend(year_facets)
        results.venue_facets.extend(venue_facets)
        results.category_facets.extend(self._facets.listed("category", matched, FACET_LIMIT))
        results.keyword_facets.extend(self._facets.listed("keyword", matched, FACET_LIMIT))
        results.collection_facets.extend(self._facets.listed("collection", matched, FACET_LIMIT))

    def with_facets(self, results: SearchResults) -> SearchResults:
        """Results searched `with_facets=False`, with their facets counted now (a copy: the
        results given are left as they are). Counting facets is most of a search's time at
        100,000 papers: a reader can show the list first and count them once typing pauses."""
        ids = results.ids
        if results.facets_counted or not isinstance(ids, RankedIds) or ids.keys is not self._side.keys:
            return results  # counted already, or not this engine's (a library read again)
        counted = replace(
            results,
            author_facets=[],
            year_facets=[],
            venue_facets=[],
            category_facets=[],
            keyword_facets=[],
            collection_facets=[],
            facets_counted=True,
        )
        self._fill_facets(counted, ids.matched)
        return counted

    def _suggestions(self, tree: object) -> tuple[str, ...]:
        """Close common words for the query's rare bare words (reads only the vocabulary)."""
        vocabulary = self._view.vocabulary
        found: list[str] = []
        for word in bare_words(tree):
            if vocabulary.documents_with(word) < SUGGEST_BELOW:
                found.extend(w for w in vocabulary.suggestions(word) if w not in found)
        return tuple(found[:SUGGESTIONS_KEPT])

    def _allowed(
        self, authors: Sequence[str], years: tuple[int | None, int | None] | None, venues: Sequence[str]
    ) -> set[int] | None:
        """Documents the filters allow (None: no filter). Called under the lock."""
        allowed: set[int] | None = self._facets.venue_documents(set(venues)) if venues else None
        for key in authors:
            documents = self._documents_of(key)
            allowed = documents if allowed is None else allowed & documents
        if years is not None and years != (None, None):
            in_years = set(self._view.in_years(*years))
            allowed = in_years if allowed is None else allowed & in_years
        return allowed

    def _documents_of(self, person_key: str) -> set[int]:
        """Documents by this person under any spelling (under the lock: reads postings)."""
        documents: set[int] = set()
        for number in self._facets.spellings_of(person_key):
            spelling = self._side.spellings[number]
            documents.update(self._view.postings.postings("spelling", spelling_term(spelling))[0])
        return documents

    def _filtered(self, evaluation: Evaluation | None, allowed: set[int] | None) -> Scores:
        """Deleted documents are in neither: no posting list gives them (see postings.py)."""
        if evaluation is None:
            documents = self._view.live if allowed is None else sorted(allowed)
            return dict.fromkeys(documents, 0.0)
        scores = evaluation.scores
        if allowed is not None:
            scores = {d: s for d, s in scores.items() if d in allowed}
        return scores

    # Highlights

    def _terms_for(self, query: str | SearchResults | QueryTerms) -> QueryTerms:
        if isinstance(query, QueryTerms):
            return query
        if isinstance(query, SearchResults):
            return query.terms
        return self.search(query, limit=0, with_facets=False).terms

    def highlights(self, paper_id: str, query: str | SearchResults | QueryTerms) -> Highlights:
        """Where the query matched the full title and full abstract of one paper."""
        paper = self.library.get(paper_id)
        if paper is None:
            return Highlights((), ())
        terms = self._terms_for(query)
        return Highlights(
            self._highlighter.text_spans(paper.title or "", terms.of("title")),
            self._highlighter.text_spans(paper.abstract.text, terms.of("abstract")),
        )

    def _hit(
        self, docnum: int, score: float, terms: QueryTerms, year_ranges: list[tuple[int | None, int | None]]
    ) -> Hit:
        key = self._side.keys[docnum]
        paper = self.library.get(key)
        if paper is None:
            return Hit(key, score, (), (), ())
        title_spans = self._highlighter.text_spans(paper.title or "", terms.of("title"))
        abstract_spans = self._highlighter.text_spans(paper.abstract.text, terms.of("abstract"))
        matched = self._matched_fields(paper, terms, year_ranges, bool(title_spans), bool(abstract_spans))
        fragments = self._highlighter.fragments(paper.abstract.text, abstract_spans)
        return Hit(paper.id, score, title_spans, fragments, matched)

    def _matched_fields(
        self,
        paper: Paper,
        terms: QueryTerms,
        year_ranges: list[tuple[int | None, int | None]],
        in_title: bool,
        in_abstract: bool,
    ) -> tuple[str, ...]:
        matched = []
        if in_title:
            matched.append("title")
        if in_abstract:
            matched.append("abstract")
        names = " ; ".join(author.natural_name for author in paper.authors)
        if self._highlighter.name_spans(names, terms.of("author")):
            matched.append("author")
        if self._highlighter.text_spans(paper.venue or "", terms.of("venue") | terms.of("venue_name")):
            matched.append("venue")
        if terms.of("category") & {category.lower() for category in paper.categories}:
            matched.append("category")
        if self._highlighter.text_spans(keyword_text(paper.keywords), terms.of("keyword")):
            matched.append("keyword")
        if terms.of("id") & set(identifiers(paper)):
            matched.append("id")
        if paper.year and any(
            (low is None or paper.year >= low) and (high is None or paper.year <= high)
            for low, high in year_ranges
        ):
            matched.append("year")
        return tuple(matched)

    # Related papers

    def related(self, paper_id: str, limit: int = 10) -> list[Hit]:
        """The papers most like this one (empty when it is unknown)."""
        paper = self.library.get(paper_id)
        if paper is None:
            return []
        keys = self._facets.person_keys(self._side.spelling_numbers(paper.authors))
        with self._lock, self._reading():
            evaluator = Evaluator(self._view)
            terms = telling_terms(evaluator, paper)
            shared = [self._documents_of(key) for key in keys]
            scores = related_scores(evaluator, terms, shared)
        own = self._docnum(paper.id)
        if own is not None:
            scores.pop(own, None)
        query_terms = QueryTerms({"title": frozenset(terms), "abstract": frozenset(terms)})
        best = self._orderings.first(scores, "relevance", limit)
        return [self._hit(docnum, scores[docnum], query_terms, []) for docnum in best]

    def _text_of(self, field_name: str, docnum: int) -> str:
        if field_name == "venue_name":
            return self._side.venue_names[self._side.venue_of[docnum]]
        paper = self.library.get(self._side.keys[docnum])
        if paper is None:
            return ""
        if field_name == "abstract":
            return paper.abstract.text
        if field_name == "title":
            return paper.title or ""
        if field_name == "keyword":
            return keyword_text(paper.keywords)
        return paper.venue or "" if field_name == "venue" else ""

    def _docnum(self, key: str) -> int | None:
        if self._docnum_of is None:
            self._docnum_of = {k: d for d, k in enumerate(self._side.keys) if k}
        return self._docnum_of.get(key)
