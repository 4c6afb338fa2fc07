"""`search`, `related` and `index`: the search engine from the command line.

Library text reaches the terminal only through `visible_controls` (plain output), `literal` (Rich
output) or escaped JSON; highlighting is applied by Rich around text that has already been made inert.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.text import Text

from tuireader.cli.common import (
    EXIT_NOT_FOUND,
    EXIT_OK,
    EXIT_UNREADABLE,
    Command,
    add_json_option,
    emit,
    emit_json,
    open_library,
)
from tuireader.corpus.library import Library
from tuireader.corpus.serialise import short_byline
from tuireader.index import SORTS, Hit, SearchEngine, SearchResults, TextSpan
from tuireader.safe_text import literal, visible_controls

_FACETS_SHOWN = 5
_YEAR_RANGE = re.compile(r"^(\d{4})?(\.\.)?(\d{4})?$")


class IndexProgress:
    """A progress bar on stderr while an index is built, with the rate in papers per second.
    It appears only on a terminal, and only once building takes a moment."""

    def __init__(self, *, always: bool = False) -> None:
        self._always = always
        self._started = time.monotonic()
        self._bar: Progress | None = None
        self._task: TaskID | None = None
        self.last = (0, 0)

    def __call__(self, done: int, total: int) -> None:
        self.last = (done, total)
        if self._bar is None:
            if not sys.stderr.isatty() or (not self._always and time.monotonic() - self._started < 0.5):
                return
            self._bar = Progress(
                TextColumn("Indexing"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("papers  {task.fields[rate]}"),
                TimeElapsedColumn(),
                console=Console(file=sys.stderr),
                transient=True,
            )
            self._bar.start()
            self._task = self._bar.add_task("index", total=total, rate="")
        assert self._task is not None
        elapsed = max(time.monotonic() - self._started, 1e-6)
        self._bar.update(self._task, completed=done, total=total, rate=f"{done / elapsed:,.0f}/s")

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()


def _open_engine(library: Library, *, rebuild: bool = False, always_show: bool = False) -> SearchEngine:
    bar = IndexProgress(always=always_show)
    try:
        engine = SearchEngine.open(library, progress=bar, rebuild=rebuild)
    finally:
        bar.close()
    if engine.notice:
        print(f"tuireader: {visible_controls(engine.notice)}", file=sys.stderr)
    return engine


def parse_years(text: str) -> tuple[int | None, int | None]:
    """`2023`, `2020..2024`, `2020..` or `..2024`."""
    match = _YEAR_RANGE.match(text.strip())
    if not match or not (match.group(1) or match.group(3)):
        raise argparse.ArgumentTypeError(f"“{text}” is not a year or a range such as 2020..2024")
    first = int(match.group(1)) if match.group(1) else None
    last = int(match.group(3)) if match.group(3) else None
    if not match.group(2):
        last = first
    return first, last


def _resolve_authors(library: Library, names: Sequence[str]) -> list[str] | None:
    """Person keys for typed names; None (after saying why) when one names nobody or several."""
    keys = []
    for name in names:
        people = library.people.find(name)
        if len(people) != 1:
            if people:
                listed = "; ".join(person.name for person in people)
                problem = f"“{name}” could be any of: {listed}. Give more of the name."
            else:
                problem = f"no author “{name}” in this library (see `tuireader authors`)"
            print(f"tuireader: {visible_controls(problem)}", file=sys.stderr)
            return None
        keys.append(people[0].key)
    return keys


def _highlighted(text: str, spans: Sequence[TextSpan], style: str = "bold reverse") -> Text:
    """`text` made inert piece by piece, the matched pieces styled."""
    result = Text()
    position = 0
    for span in spans:
        result.append_text(literal(text[position : span.start]))
        result.append_text(literal(text[span.start : span.end], style))
        position = span.end
    result.append_text(literal(text[position:]))
    return result


def _hit_json(library: Library, hit: Hit) -> dict[str, Any]:
    paper = library.get(hit.paper_id)
    return {
        "id": hit.paper_id,
        "title": paper.title if paper else None,
        "year": paper.year if paper else None,
        "score": round(hit.score, 4),
        "matched_fields": list(hit.matched_fields),
        "title_spans": [[s.start, s.end] for s in hit.title_spans],
        "fragments": [
            {"text": f.text, "start": f.start, "spans": [[s.start, s.end] for s in f.spans]}
            for f in hit.fragments
        ],
    }


def _results_json(library: Library, results: SearchResults) -> dict[str, Any]:
    return {
        "query": results.query,
        "total": results.total,
        "notice": results.notice,
        "suggestions": list(results.suggestions),
        "sort": results.sort,
        "results": [_hit_json(library, hit) for hit in results.hits],
        "facets": {
            "authors": [{"name": p.name, "key": p.key, "count": n} for p, n in results.author_facets],
            "years": [{"year": year, "count": n} for year, n in results.year_facets],
            "venues": [{"venue": venue, "count": n} for venue, n in results.venue_facets],
            "categories": [{"category": name, "count": n} for name, n in results.category_facets],
            "keywords": [{"keyword": name, "count": n} for name, n in results.keyword_facets],
        },
    }


def _print_hits(console: Console, library: Library, hits: Sequence[Hit]) -> None:
    width = max((len(hit.paper_id) for hit in hits), default=0)
    for rank, hit in enumerate(hits, 1):
        paper = library.get(hit.paper_id)
        if paper is None:
            continue
        year = str(paper.year) if paper.year else "----"
        line = literal(f"{rank:>3}. {hit.paper_id:<{width}}  {year}  ")
        line.append_text(literal(short_byline(paper)[:24].ljust(24) + "  ", "dim"))
        line.append_text(
            _highlighted(paper.title, hit.title_spans) if paper.title else literal(paper.display_title)
        )
        console.print(line, soft_wrap=True)
        for fragment in hit.fragments:
            before = "…" if fragment.start > 0 else ""
            after = "…" if fragment.end < len(paper.abstract.text) else ""
            excerpt = Text("       " + before)
            excerpt.append_text(_highlighted(fragment.text.replace("\n", " "), fragment.spans))
            excerpt.append(after)
            console.print(excerpt, style="italic", soft_wrap=True)


def _facet_line(label: str, pairs: Sequence[tuple[str, int]]) -> str:
    shown = ", ".join(f"{name} ({count})" for name, count in pairs[:_FACETS_SHOWN])
    more = f", … {len(pairs) - _FACETS_SHOWN} more" if len(pairs) > _FACETS_SHOWN else ""
    return f"{label}: {shown}{more}"


def run_search(args: argparse.Namespace) -> int:
    library = open_library(args)
    if library is None:
        return EXIT_UNREADABLE
    authors = _resolve_authors(library, args.author or [])
    if authors is None:
        return EXIT_NOT_FOUND
    engine = _open_engine(library)
    limit = args.limit if args.limit > 0 else None
    results = engine.search(
        args.query, authors=authors, years=args.year, sort=args.sort, limit=limit, typing=False
    )
    if args.json:
        emit_json(_results_json(library, results))
        return EXIT_OK
    if results.notice:
        print(f"tuireader: {visible_controls(results.notice)}", file=sys.stderr)
    console = Console(highlight=False)
    _print_hits(console, library, results.hits)
    shown = len(results.hits)
    emit(f"{results.total:,} papers match" + (f"; the first {shown} shown" if shown < results.total else ""))
    if results.suggestions:
        emit("Did you mean: " + ", ".join(results.suggestions) + "?")
    if results.author_facets:
        emit(_facet_line("Authors", [(p.name, n) for p, n in results.author_facets]))
    if results.year_facets:
        emit(_facet_line("Years", [(str(y), n) for y, n in results.year_facets]))
    if results.venue_facets:
        emit(_facet_line("Venues", results.venue_facets))
    if results.category_facets:
        emit(_facet_line("Categories", results.category_facets))
    if results.keyword_facets:
        emit(_facet_line("Keywords", results.keyword_facets))
    return EXIT_OK


def run_related(args: argparse.Namespace) -> int:
    library = open_library(args)
    if library is None:
        return EXIT_UNREADABLE
    paper = library.get(args.id)
    if paper is None:
        print(
            f"tuireader: no paper with id “{visible_controls(args.id)}” (see `tuireader list`)",
            file=sys.stderr,
        )
        return EXIT_NOT_FOUND
    hits = _open_engine(library).related(paper.id, limit=args.limit)
    if args.json:
        emit_json({"id": paper.id, "related": [_hit_json(library, hit) for hit in hits]})
    else:
        _print_hits(Console(highlight=False), library, hits)
    return EXIT_OK


def run_index(args: argparse.Namespace) -> int:
    library = open_library(args)
    if library is None:
        return EXIT_UNREADABLE
    started = time.perf_counter()
    engine = _open_engine(library, rebuild=args.rebuild, always_show=True)
    elapsed = time.perf_counter() - started
    count = engine.paper_count
    if engine.action == "opened":
        message = f"The index of {count:,} papers is up to date (checked in {elapsed:.2f} s)"
    else:
        verb = "Built" if engine.action == "built" else "Refreshed"
        rate = count / max(elapsed, 1e-9)
        message = f"{verb} the index of {count:,} papers in {elapsed:.1f} s ({rate:,.0f} papers/s)"
    print(f"{message}\n  {visible_controls(str(engine.folder))}", file=sys.stderr)
    return EXIT_OK


def _configure_search(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("query", help='the query, e.g. jailbreak, "red teaming", title:defense year:2023..')
    parser.add_argument(
        "--author", action="append", metavar="NAME", help="papers by this author (repeatable)"
    )
    parser.add_argument(
        "--year", type=parse_years, metavar="RANGE", help="a year or a range: 2023, 2020..2024"
    )
    parser.add_argument(
        "--sort", choices=SORTS, default="relevance", help="result order (default: relevance)"
    )
    parser.add_argument(
        "--limit", type=int, default=20, metavar="N", help="results to show; 0 for all (default 20)"
    )
    add_json_option(parser)


def _configure_related(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id", help="a paper id as `tuireader list` prints it")
    parser.add_argument("--limit", type=int, default=10, metavar="N", help="papers to show (default 10)")
    add_json_option(parser)


def _configure_index(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--rebuild", action="store_true", help="build from scratch even if up to date")


COMMANDS: tuple[Command, ...] = (
    Command(
        "search", "search the library (ranked, with highlights and facets)", _configure_search, run_search
    ),
    Command("related", "papers most like a given one", _configure_related, run_related),
    Command("index", "build or refresh the search index, with a progress bar", _configure_index, run_index),
)
