"""How much the reader adds on top of Python, Textual and the search engine.

1. Start-up to first full paint on the bundled corpus, as a ratio to `python -c "import textual.app"`
   timed in the same run.
2. Keystroke to updated list (p50/p95) in a synthetic library, as a ratio to the engine's own time
   for the same queries, measured in the same process.

    python benchmarks/ui_benchmark.py [--papers 60000] [--runs 5]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import synthetic_library
from textual import events
from textual.widgets import Input

from tuireader.app.app import ReaderApp
from tuireader.app.screens.main import MainScreen
from tuireader.config import Settings
from tuireader.index import SearchEngine

FIRST_PAINT_SCRIPT = """
import asyncio
from tuireader.app.app import ReaderApp
from tuireader.app.screens.main import MainScreen
from tuireader.config import Settings

async def main():
    app = ReaderApp(settings=Settings())
    async with app.run_test(size=(160, 48)) as pilot:
        while not (isinstance(app.screen, MainScreen) and app.screen.shown_request is not None):
            await asyncio.sleep(0.002)
        await pilot.pause()

asyncio.run(main())
"""


def _wall_time(arguments: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(arguments, check=True, env=env, capture_output=True)
    return time.perf_counter() - started


def measure_start_up(runs: int) -> None:
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "XDG_CACHE_HOME": f"{home}/cache", "XDG_CONFIG_HOME": f"{home}/config"}
        _wall_time([sys.executable, "-c", FIRST_PAINT_SCRIPT], env)  # builds the index once
        reader, textual = [], []
        for _ in range(runs):
            textual.append(_wall_time([sys.executable, "-c", "import textual.app"], env))
            reader.append(_wall_time([sys.executable, "-c", FIRST_PAINT_SCRIPT], env))
    reader_median, textual_median = statistics.median(reader), statistics.median(textual)
    print(f"start-up to first full paint (bundled corpus, index cached), median of {runs}:")
    print(f"  tuireader            {reader_median * 1000:8.0f} ms")
    print(f"  import textual.app   {textual_median * 1000:8.0f} ms")
    print(f"  ratio                {reader_median / textual_median:8.2f}x")


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


QUERIES = ("neural network training", "language model evaluation", "graph learning robust", "attention")


def _watch_results(screen: MainScreen) -> asyncio.Event:
    """An event set whenever the screen shows results; waiting on it leaves the loop idle, as a
    real terminal session would be, instead of polling against the search worker for the GIL."""
    shown = asyncio.Event()
    show = screen._show_results

    def show_and_signal(*args: object) -> None:
        show(*args)  # type: ignore[arg-type]
        shown.set()

    screen._show_results = show_and_signal  # type: ignore[method-assign]
    return shown


async def _wait_shown(screen: MainScreen, shown: asyncio.Event, text: str) -> None:
    """Until the bar holds `text` and the list shows the results for it."""
    while screen.search_text != text or screen.shown_request != screen.current_request():
        shown.clear()
        await shown.wait()


async def _keystrokes(app: ReaderApp) -> list[float]:
    """Key events go in as the terminal driver sends them (Pilot's `press` would also wait for the
    whole app to go idle); the clock stops when the list shows the results for the new text."""
    timings: list[float] = []
    async with app.run_test(size=(160, 48)) as pilot:
        while not (isinstance(app.screen, MainScreen) and app.screen.shown_request is not None):
            await asyncio.sleep(0.01)
        screen = app.screen
        shown = _watch_results(screen)
        await pilot.press("slash")
        for query in QUERIES:
            for typed, character in enumerate(query, start=1):
                started = time.perf_counter()
                key = "space" if character == " " else character
                app.post_message(events.Key(key, character))
                await _wait_shown(screen, shown, query[:typed])
                timings.append(time.perf_counter() - started)
            screen.query_one("#search", Input).value = ""  # clear the bar for the next query
            await _wait_shown(screen, shown, "")
    return timings


def measure_keystrokes(papers: int) -> None:
    print(f"\nbuilding a synthetic library of {papers:,} papers and its index…")
    library = synthetic_library(papers, seed=1)
    engine = SearchEngine.open(library)

    engine_times: list[float] = []
    for query in QUERIES:
        for end in range(1, len(query) + 1):
            started = time.perf_counter()
            engine.search(query[:end], limit=0)
            engine_times.append(time.perf_counter() - started)

    app = ReaderApp(settings=Settings())
    app.load = lambda: app._show_library(library, MainScreen(library, engine))  # type: ignore[method-assign]
    ui_times = asyncio.run(_keystrokes(app))
    print(f"keystroke to updated list, {len(ui_times)} keystrokes over {len(QUERIES)} queries:")
    print(f"  {'':22}{'p50':>10}{'p95':>10}")
    engine_p50, engine_p95 = _percentile(engine_times, 0.5), _percentile(engine_times, 0.95)
    ui_p50, ui_p95 = _percentile(ui_times, 0.5), _percentile(ui_times, 0.95)
    print(f"  {'engine alone':22}{engine_p50 * 1000:8.1f}ms{engine_p95 * 1000:8.1f}ms")
    print(f"  {'keystroke → list':22}{ui_p50 * 1000:8.1f}ms{ui_p95 * 1000:8.1f}ms")
    print(f"  {'ratio':22}{ui_p50 / engine_p50:9.2f}x{ui_p95 / engine_p95:9.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--papers", type=int, default=60_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    measure_start_up(args.runs)
    with tempfile.TemporaryDirectory() as home:
        os.environ["XDG_CACHE_HOME"] = f"{home}/cache"
        measure_keystrokes(args.papers)


if __name__ == "__main__":
    main()
