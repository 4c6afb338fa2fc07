"""Typing in the reader on a library file: keystroke → list drawn, and opening the palette.

The library (the ACL Anthology export by default, or `--papers N` synthetic papers written as a
BibTeX file) is opened in the real app, headless at 160x48, with its index cached first. Key events
go in as the terminal driver sends them; the clock stops when the screen has composed the first
frame after the list shows the results for the new text (the terminal write itself is left out, as
headless apps skip it). The engine's own time for the same queries, in the same process, is the
baseline; so is its time without facets, which the reader counts only once typing pauses (that
second pass reads posting lists the first left cached). Opening the palette is timed to its first
frame, and then to the first hit for a typed author name.

    python benchmarks/typing_benchmark.py [--file anthology+abstracts.bib.gz] [--cache DIR]
    python benchmarks/typing_benchmark.py --papers 100000 [--cache DIR]

`--cache` keeps the index (and the synthetic library file) in DIR between runs, so repeated runs
time typing without building them. Synthetic queries are made of the library's own title words,
from common to rare, as long as the ACL ones; the palette looks for its most prolific author.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gzip
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import synthetic_papers
from textual import events
from textual.command import CommandList, CommandPalette
from textual.widgets import Input

from tuireader.app.app import ReaderApp
from tuireader.app.screens.main import MainScreen, SearchRequest
from tuireader.cite.bibtex import format_bibtex_many
from tuireader.config import Settings
from tuireader.corpus.library import Library, load_library
from tuireader.index import SearchEngine, SearchResults

REPO = Path(__file__).resolve().parent.parent
DEFAULT_FILE = REPO.parent / "shared" / "corpora" / "acl-anthology-2021" / "anthology+abstracts.bib.gz"
QUERIES = ("machine translation", "named entity recognition", "dependency parsing", "bert", "summarization")
PALETTE_AUTHOR = "Neubig"
# Ranks, among the synthetic library's title words, of the words each query is made of: frequent
# words have long posting lists (the slow shape), rare ones narrow the results to a few.
SYNTHETIC_QUERY_RANKS = ((3, 40), (10, 150, 900), (25, 300), (2,), (60,))


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


class FrameClock:
    """Counts the frames the app composes, so a wait can end at the first frame after an event."""

    def __init__(self, app: ReaderApp) -> None:
        self.frames = 0
        self.results_shown_at = 0  # frames composed before the list last showed new results
        self.results = asyncio.Event()  # set whenever the list shows new results
        self.drawn = asyncio.Event()
        display = app._display

        def counting(screen: object, renderable: object) -> None:
            display(screen, renderable)  # type: ignore[arg-type]
            if renderable is not None:
                self.frames += 1
                self.drawn.set()

        app._display = counting  # type: ignore[method-assign]

    async def next_frame(self) -> None:
        self.drawn.clear()
        await self.drawn.wait()

    def watch_results(self, screen: MainScreen) -> None:
        """Note the frame count whenever `screen` shows new results. Waiting for "the next frame"
        once the results are seen to be shown would wait forever when that frame came in between."""
        show = screen._show_results

        def noting(request: SearchRequest, results: SearchResults, *rest: Any) -> None:
            show(request, results, *rest)
            if screen.shown_request is request and screen.results is results:
                self.results_shown_at = self.frames
                self.results.set()

        screen._show_results = noting  # type: ignore[assignment]

    async def frame_after_results(self) -> None:
        while self.frames <= self.results_shown_at:
            self.drawn.clear()
            await self.drawn.wait()

    async def shown(self, screen: MainScreen, text: str) -> None:
        """Until the bar holds `text` and the list shows the results for it. The loop waits idle, as
        in a terminal: polling it would contend with the search worker for the interpreter."""
        while not (screen.search_text == text and screen.shown_request == screen.current_request()):
            self.results.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.results.wait(), 0.05)


def synthetic_file(folder: Path, papers: int) -> Path:
    """A BibTeX file of `papers` synthetic papers in `folder`, written once and then reused, so that
    its index stays cached."""
    path = folder / f"synthetic-{papers}.bib.gz"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".part")
        with gzip.open(partial, "wt", encoding="utf-8", compresslevel=1) as out:
            out.write(format_bibtex_many(synthetic_papers(papers, seed=1, stock_phrases=True)))
        partial.replace(path)
    return path


def synthetic_queries(library: Library) -> tuple[tuple[str, ...], str]:
    """Queries of the library's title words, and the family name of its most prolific author."""
    words = Counter(word.casefold() for paper in library.papers for word in (paper.title or "").split())
    ranked = [word for word, _ in words.most_common() if len(word) > 3]
    queries = tuple(" ".join(ranked[rank] for rank in ranks) for ranks in SYNTHETIC_QUERY_RANKS)
    authors = Counter(author.family for paper in library.papers for author in paper.authors)
    return queries, authors.most_common(1)[0][0] or ""


async def _session(
    paths: list[str], queries: tuple[str, ...], author: str
) -> tuple[list[float], list[float], float, float]:
    app = ReaderApp(paths, settings=Settings(), cursor_blink=False)
    timings: list[float] = []
    # The event loop's own CPU time per keystroke: unlike the wall time, other programs on a busy
    # machine leave it alone.
    loop_cpu: list[float] = []
    async with app.run_test(size=(160, 48)) as pilot:
        clock = FrameClock(app)
        while not (isinstance(app.screen, MainScreen) and app.screen.shown_from_index):
            await asyncio.sleep(0.01)
        screen = app.screen
        clock.watch_results(screen)
        await pilot.pause()
        await pilot.press("slash")
        for query in queries:
            for typed, character in enumerate(query, start=1):
                started, cpu = time.perf_counter(), time.thread_time()
                app.post_message(events.Key("space" if character == " " else character, character))
                await clock.shown(screen, query[:typed])
                await clock.frame_after_results()
                timings.append(time.perf_counter() - started)
                loop_cpu.append(time.thread_time() - cpu)
            screen.query_one("#search", Input).value = ""
            await clock.shown(screen, "")
            await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        started = time.perf_counter()
        app.post_message(events.Key("ctrl+p", None))
        while not isinstance(app.screen, CommandPalette):
            await asyncio.sleep(0.0005)
        await clock.next_frame()
        palette_open = time.perf_counter() - started
        started = time.perf_counter()
        for character in author.casefold():
            app.post_message(events.Key(character, character))
        hits = app.screen.query_one(CommandList)
        while not (hits.option_count and author in str(hits.get_option_at_index(0).prompt)):
            await asyncio.sleep(0.001)
        palette_hits = time.perf_counter() - started
    return timings, loop_cpu, palette_open, palette_hits


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE)
    parser.add_argument("--papers", type=int, help="type in this many synthetic papers instead")
    parser.add_argument("--cache", type=Path, help="keep the index here between runs")
    args = parser.parse_args()
    if args.papers is None and not args.file.exists():
        print(f"typing_benchmark: {args.file} not found (use --file)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as home:
        os.environ["XDG_CACHE_HOME"] = str(args.cache) if args.cache else f"{home}/cache"
        os.environ["XDG_STATE_HOME"] = f"{home}/state"
        os.environ["XDG_DATA_HOME"] = f"{home}/data"  # no session of an earlier run to start from
        path, author = args.file, PALETTE_AUTHOR
        queries: tuple[str, ...] = QUERIES
        if args.papers is not None:
            path = synthetic_file(Path(os.environ["XDG_CACHE_HOME"]), args.papers)
        library = load_library([str(path)])
        if args.papers is not None:
            queries, author = synthetic_queries(library)
            print(f"queries: {', '.join(queries)}; palette: {author}")
        with SearchEngine.open(library) as engine:  # builds the index the reader then opens
            engine.wait_until_ready()
            engine_times, bare_times = [], []
            for query in queries:
                for end in range(1, len(query) + 1):
                    started = time.perf_counter()
                    engine.search(query[:end], limit=0, page=200)
                    engine_times.append(time.perf_counter() - started)
            for query in queries:  # as the reader searches while typing (facets follow a pause)
                for end in range(1, len(query) + 1):
                    started = time.perf_counter()
                    engine.search(query[:end], limit=0, page=200, with_facets=False)
                    bare_times.append(time.perf_counter() - started)
        ui_times, loop_cpu, palette_open, palette_hits = asyncio.run(_session([str(path)], queries, author))
    papers, keys = len(library.papers), len(ui_times)
    print(f"{path.name}: {papers:,} papers; {keys} keystrokes over {len(queries)} queries")
    print(f"  {'':24}{'p50':>10}{'p95':>10}")
    engine_p50, engine_p95 = _percentile(engine_times, 0.5), _percentile(engine_times, 0.95)
    ui_p50, ui_p95 = _percentile(ui_times, 0.5), _percentile(ui_times, 0.95)
    print(f"  {'engine alone':24}{engine_p50 * 1000:8.1f}ms{engine_p95 * 1000:8.1f}ms")
    bare_p50, bare_p95 = _percentile(bare_times, 0.5), _percentile(bare_times, 0.95)
    print(f"  {'engine, no facets':24}{bare_p50 * 1000:8.1f}ms{bare_p95 * 1000:8.1f}ms")
    print(f"  {'keystroke → list drawn':24}{ui_p50 * 1000:8.1f}ms{ui_p95 * 1000:8.1f}ms")
    print(f"  {'ratio':24}{ui_p50 / engine_p50:9.2f}x{ui_p95 / engine_p95:9.2f}x")
    cpu_p50, cpu_p95 = _percentile(loop_cpu, 0.5), _percentile(loop_cpu, 0.95)
    print(f"  {'event loop CPU':24}{cpu_p50 * 1000:8.1f}ms{cpu_p95 * 1000:8.1f}ms")
    print(f"  mean keystroke {statistics.mean(ui_times) * 1000:.1f} ms")
    print(f"palette: open to first frame {palette_open * 1000:.0f} ms")
    print(f"palette: {author.casefold()!r} typed to the author's hit {palette_hits * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
