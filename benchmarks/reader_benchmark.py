"""Opening a real library in the reader: cold (parse and index) and cached, to first paint.

Each run starts fresh interpreters on one empty cache folder: the first opens the library as a new
user would (nothing cached), the second opens it again unchanged. Each runs the real app headless
(Textual's test driver, 160x48) and records when the list first shows the library's papers, when
the index is ready and a search has been shown, its peak resident memory (the interpreter's own, the
largest index-building child's, and the whole process tree's, sampled every 20 ms), and the CPU
time of the tree (steadier than wall time on a busy machine). Baselines from the same run:
`import textual.app` in a fresh interpreter, and the reader's start on the bundled corpus.

    python benchmarks/reader_benchmark.py [--runs 3] [--file anthology+abstracts.bib.gz]
    python benchmarks/reader_benchmark.py --cached-only [--runs 5] [--home FOLDER]

By default it opens the ACL Anthology export (63,737 entries) from the shared corpora folder.
`--cached-only` skips the cold opens: it makes the cache once (in FOLDER, kept between runs of the
benchmark when given; bringing it up to date there is quick), then alternates the bundled corpus's
start and the cached open, so that both see the same load on the machine.

The package is compiled to bytecode first, as an installed program has it: an interpreter told
not to write bytecode (PYTHONDONTWRITEBYTECODE) would otherwise compile every changed module from
source at each start, a tenth of a second that no user waits for.
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


def compile_package() -> None:
    """Bytecode for every module of the package, written even where the environment forbids it."""
    environment = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    command = [sys.executable, "-m", "compileall", "-q", str(REPO / "tuireader")]
    subprocess.run(command, env=environment, cwd=REPO, check=True, stdout=subprocess.DEVNULL)


def _homes(cache_home: str, state_home: str) -> dict[str, str]:
    # Personal state too: a user's own database would make runs differ from one another.
    data_home = str(Path(state_home).parent / "data")
    return {"XDG_CACHE_HOME": cache_home, "XDG_STATE_HOME": state_home, "XDG_DATA_HOME": data_home}


def open_once(paths: list[str], cache_home: str, state_home: str) -> dict[str, float]:
    environment = {**os.environ, **_homes(cache_home, state_home), "BENCHMARK_STARTED": repr(time.time())}
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


def prepare_cache(path: Path, cache_home: str, state_home: str) -> None:
    """Read and index the library (or bring its cache up to date) without timing it."""
    environment = {**os.environ, **_homes(cache_home, state_home)}
    command = [sys.executable, "-m", "tuireader", "--corpus", str(path), "index"]
    subprocess.run(command, env=environment, cwd=REPO, check=True, stdout=subprocess.DEVNULL)


def cached_only(path: Path, runs: int, home: Path | None) -> int:
    """Bundled and cached opens alternated, on a cache made (or brought up to date) first."""
    with tempfile.TemporaryDirectory() as temporary:
        folder = home or Path(temporary)
        cache, state = str(folder / "cache"), str(folder / "state")
        prepare_cache(path, cache, state)
        baseline = [import_textual()]
        rows: dict[str, list[dict[str, float]]] = {"bundled": [], "cached": []}
        for run in range(runs):
            rows["bundled"].append(open_once([], cache, state))
            rows["cached"].append(open_once([str(path)], cache, state))
            baseline.append(import_textual())
            bundled, cached = rows["bundled"][-1]["list"], rows["cached"][-1]["list"]
            print(f"run {run + 1}: first paint bundled {bundled:.2f}s  cached {cached:.2f}s", flush=True)
    searchable = [row for row in rows["cached"] if row["searchable"] - row["list"] < 0.5]
    if len(searchable) < len(rows["cached"]):
        print("note: some cached opens were not searchable at once (the index was not current)")
    print(f"\n{path.name}: medians of {runs} alternated runs")
    print(f"baseline: python -c 'import textual.app' {statistics.median(baseline):.2f} s")
    print("{:<8} {:>12} {:>11} {:>9} {:>7}".format("open", "first paint", "searchable", "peak MiB", "CPU s"))
    for name, measured in rows.items():
        paint = statistics.median(r["list"] for r in measured)
        ready = statistics.median(r["searchable"] for r in measured)
        peak = statistics.median(r["peak_mib"] for r in measured)
        cpu = statistics.median(r["cpu"] for r in measured)
        print(f"{name:<8} {paint:>11.2f}s {ready:>10.2f}s {peak:>9.0f} {cpu:>7.2f}")
    ratios = [c["list"] / b["list"] for b, c in zip(rows["bundled"], rows["cached"], strict=True)]
    print(f"cached / bundled first paint: median {statistics.median(ratios):.2f}× (run by run)")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE)
    parser.add_argument("--cached-only", action="store_true", help="no cold opens (see above)")
    parser.add_argument("--home", type=Path, help="with --cached-only: keep the cache in this folder")
    args = parser.parse_args()
    if not args.file.exists():
        print(f"reader_benchmark: {args.file} not found (use --file)", file=sys.stderr)
        return 2
    compile_package()
    if args.cached_only:
        return cached_only(args.file, args.runs, args.home)
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
