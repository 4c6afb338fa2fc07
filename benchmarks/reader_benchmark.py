"""Opening a real library in the reader: cold (parse and index) and cached, to first paint.

Each run starts fresh interpreters on one empty cache folder: the first opens the library as a new
user would (nothing cached), the second opens it again unchanged. Each runs the real app headless
(Textual's test driver, 160x48) and records when the list first shows the library's papers, when
the index is ready and a search has been shown, its peak resident memory (the interpreter's own, the
largest index-building child's, and the whole process tree's, sampled every 20 ms), and the CPU
time of the tree (steadier than wall time on a busy machine). Baselines from the same run:
`import textual.app` in a fresh interpreter, and the reader's start on the bundled corpus.

    python benchmarks/reader_benchmark.py [--runs 3] [--file anthology+abstracts.bib.gz]

By default it opens the ACL Anthology export (63,737 entries) from the shared corpora folder.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from processes import run_with_peak

REPO = Path(__file__).resolve().parent.parent
DEFAULT_FILE = REPO.parent / "shared" / "corpora" / "acl-anthology-2021" / "anthology+abstracts.bib.gz"

# Runs in a child interpreter, so that its times start from nothing and its peak memory is its own.
_ONE_OPEN = """
import asyncio, json, os, resource, sys, time
started = float(os.environ["BENCHMARK_STARTED"])  # when the parent started this interpreter
from tuireader.app.app import ReaderApp
from tuireader.app.screens.main import MainScreen
from tuireader.app.widgets.paper_list import PaperList
from tuireader.config import Settings

async def main():
    paths = sys.argv[1:] or None
    app = ReaderApp(paths, settings=Settings(), cursor_blink=False)
    times = {}
    async with app.run_test(size=(160, 48)) as pilot:
        while True:
            screen = app.screen
            if isinstance(screen, MainScreen):
                shown = screen.results is not None and len(screen.query_one(PaperList).ids) > 0
                if shown and "list" not in times:
                    times["list"] = time.time() - started
                if screen.shown_from_index and screen.shown_request == screen.current_request():
                    times["searchable"] = time.time() - started
                    papers = len(screen.library.papers)
                    break
            await asyncio.sleep(0.005)
    return times, papers

times, papers = asyncio.run(main())
own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
print(json.dumps({**times, "papers": papers, "peak_mib": own.ru_maxrss / 1024,
                  "child_peak_mib": children.ru_maxrss / 1024, "cpu": cpu}))
"""


def open_once(paths: list[str], cache_home: str, state_home: str) -> dict[str, float]:
    environment = {
        **os.environ,
        "XDG_CACHE_HOME": cache_home,
        "XDG_STATE_HOME": state_home,
        "BENCHMARK_STARTED": repr(time.time()),
    }
    output, errors, returncode, peak_mib = run_with_peak(
        [sys.executable, "-c", _ONE_OPEN, *paths], environment, REPO
    )
    if returncode:
        raise SystemExit(f"reader_benchmark: an open failed (exit code {returncode})\n{errors}")
    result: dict[str, float] = json.loads(output.strip().splitlines()[-1])
    result["tree_peak_mib"] = peak_mib
    return result


def import_textual() -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import textual.app"], check=True)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE)
    args = parser.parse_args()
    if not args.file.exists():
        print(f"reader_benchmark: {args.file} not found (use --file)", file=sys.stderr)
        return 2
    rows: dict[str, list[dict[str, float]]] = {"bundled": [], "cold": [], "cached": []}
    baseline = []
    for run in range(args.runs):
        with tempfile.TemporaryDirectory() as home:
            cache, state = str(Path(home) / "cache"), str(Path(home) / "state")
            baseline.append(import_textual())
            rows["bundled"].append(open_once([], cache, state))
            rows["cold"].append(open_once([str(args.file)], cache, state))
            rows["cached"].append(open_once([str(args.file)], cache, state))
        latest = "  ".join(f"{name} {runs[-1]['list']:.2f}s" for name, runs in rows.items())
        print(f"run {run + 1}: first paint {latest}", flush=True)

    textual_s = statistics.median(baseline)
    papers = int(rows["cold"][0]["papers"])
    print(f"\n{args.file.name}: {papers:,} papers; medians of {args.runs} runs")
    print(f"baseline: python -c 'import textual.app' {textual_s:.2f} s")
    header = ("open", "first paint", "searchable", "× textual", "peak MiB", "child MiB", "tree MiB", "CPU s")
    print("{:<8} {:>12} {:>11} {:>10} {:>9} {:>10} {:>9} {:>7}".format(*header))
    for name, runs in rows.items():
        paint = statistics.median(r["list"] for r in runs)
        ready = statistics.median(r["searchable"] for r in runs)
        peak = statistics.median(r["peak_mib"] for r in runs)
        child = statistics.median(r["child_peak_mib"] for r in runs)
        tree = statistics.median(r["tree_peak_mib"] for r in runs)
        cpu = statistics.median(r["cpu"] for r in runs)
        ratio = paint / textual_s
        print(
            f"{name:<8} {paint:>11.2f}s {ready:>10.2f}s {ratio:>9.1f}× {peak:>9.0f} {child:>10.0f}"
            f" {tree:>9.0f} {cpu:>7.1f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
