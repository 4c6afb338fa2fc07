"""Typing in the reader on a real library: keystroke → list drawn, and opening the palette.

The library (the ACL Anthology export by default) is opened in the real app, headless at 160x48,
with its index cached first. Key events go in as the terminal driver sends them; the clock stops
when the screen has composed the first frame after the list shows the results for the new text
(the terminal write itself is left out, as headless apps skip it). The engine's own time for the
same queries, in the same process, is the baseline. Opening the palette is timed to its first
frame, and then to the first hit for a typed author name.

    python benchmarks/typing_benchmark.py [--file anthology+abstracts.bib.gz] [--cache DIR]

`--cache` keeps the index in DIR between runs, so repeated runs time typing without building it.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from textual import events
from textual.command import CommandList, CommandPalette
from textual.widgets import Input

from tuireader.app.app import ReaderApp
from tuireader.app.screens.main import MainScreen
from tuireader.config import Settings
from tuireader.corpus.library import load_library
from tuireader.index import SearchEngine

REPO = Path(__file__).resolve().parent.parent
DEFAULT_FILE = REPO.parent / "shared" / "corpora" / "acl-anthology-2021" / "anthology+abstracts.bib.gz"
QUERIES = ("machine translation", "named entity recognition", "dependency parsing", "bert", "summarization")


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


class FrameClock:
    """Counts the frames the app composes, so a wait can end at the first frame after an event."""

    def __init__(self, app: ReaderApp) -> None:
        self.frames = 0
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


async def _shown(screen: MainScreen, text: str) -> None:
    while not (screen.search_text == text and screen.shown_request == screen.current_request()):
        await asyncio.sleep(0.0005)


async def _session(paths: list[str]) -> tuple[list[float], list[float], float, float]:
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
        await pilot.pause()
        await pilot.press("slash")
        for query in QUERIES:
            for typed, character in enumerate(query, start=1):
                started, cpu = time.perf_counter(), time.thread_time()
                app.post_message(events.Key("space" if character == " " else character, character))
                await _shown(screen, query[:typed])
                await clock.next_frame()
                timings.append(time.perf_counter() - started)
                loop_cpu.append(time.thread_time() - cpu)
            screen.query_one("#search", Input).value = ""
            await _shown(screen, "")
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
        for character in "neubig":
            app.post_message(events.Key(character, character))
        hits = app.screen.query_one(CommandList)
        while not (hits.option_count and "Neubig" in str(hits.get_option_at_index(0).prompt)):
            await asyncio.sleep(0.001)
        palette_hits = time.perf_counter() - started
    return timings, loop_cpu, palette_open, palette_hits


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE)
    parser.add_argument("--cache", type=Path, help="keep the index here between runs")
    args = parser.parse_args()
    if not args.file.exists():
        print(f"typing_benchmark: {args.file} not found (use --file)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as home:
        os.environ["XDG_CACHE_HOME"] = str(args.cache) if args.cache else f"{home}/cache"
        os.environ["XDG_STATE_HOME"] = f"{home}/state"
        library = load_library([str(args.file)])
        with SearchEngine.open(library) as engine:  # builds the index the reader then opens
            engine.wait_until_ready()
            engine_times = []
            for query in QUERIES:
                for end in range(1, len(query) + 1):
                    started = time.perf_counter()
                    engine.search(query[:end], limit=0, page=200)
                    engine_times.append(time.perf_counter() - started)
        ui_times, loop_cpu, palette_open, palette_hits = asyncio.run(_session([str(args.file)]))
    papers, keys = len(library.papers), len(ui_times)
    print(f"{args.file.name}: {papers:,} papers; {keys} keystrokes over {len(QUERIES)} queries")
    print(f"  {'':24}{'p50':>10}{'p95':>10}")
    engine_p50, engine_p95 = _percentile(engine_times, 0.5), _percentile(engine_times, 0.95)
    ui_p50, ui_p95 = _percentile(ui_times, 0.5), _percentile(ui_times, 0.95)
    print(f"  {'engine alone':24}{engine_p50 * 1000:8.1f}ms{engine_p95 * 1000:8.1f}ms")
    print(f"  {'keystroke → list drawn':24}{ui_p50 * 1000:8.1f}ms{ui_p95 * 1000:8.1f}ms")
    print(f"  {'ratio':24}{ui_p50 / engine_p50:9.2f}x{ui_p95 / engine_p95:9.2f}x")
    cpu_p50, cpu_p95 = _percentile(loop_cpu, 0.5), _percentile(loop_cpu, 0.95)
    print(f"  {'event loop CPU':24}{cpu_p50 * 1000:8.1f}ms{cpu_p95 * 1000:8.1f}ms")
    print(f"  mean keystroke {statistics.mean(ui_times) * 1000:.1f} ms")
    print(f"palette: open to first frame {palette_open * 1000:.0f} ms")
    print(f"palette: 'neubig' typed to the author's hit {palette_hits * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
