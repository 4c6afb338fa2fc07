"""Loading a large BibTeX library: parse time, memory, and the cached second start.

Each run starts two fresh interpreters on one empty cache folder: the first parses the file and
fills the cache, the second starts again with the file unchanged. Per run it records both wall
times, the CPU time of each interpreter and its children (steadier than wall time on a busy
machine) and of the interpreter alone (the children's work beside it is off its path), each
interpreter's peak resident memory, and the peak of the whole process tree (the interpreter and
the children it starts to scan and evaluate a large file, summed while they run, sampled every
20 ms from /proc where there is one); the medians over the runs are printed.

    python benchmarks/load_benchmark.py [--runs 3] [--file anthology+abstracts.bib.gz]

By default it reads the ACL Anthology export (63,737 entries, gzip) from the shared corpora
folder beside the repository.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path

from processes import run_with_peak

REPO = Path(__file__).resolve().parent.parent
DEFAULT_FILE = REPO.parent / "shared" / "corpora" / "acl-anthology-2021" / "anthology+abstracts.bib.gz"

# Runs in a child interpreter, so that its peak memory is its own.
_ONE_START = """
import json, resource, sys, time
started = time.perf_counter()
from tuireader.corpus.library import load_library
library = load_library([sys.argv[1]])
seconds = time.perf_counter() - started
own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
own_cpu = own.ru_utime + own.ru_stime
cpu = own_cpu + children.ru_utime + children.ru_stime
print(json.dumps({"seconds": seconds, "peak_mib": own.ru_maxrss / 1024, "cpu": cpu, "own_cpu": own_cpu,
                  "records": library.records_read, "papers": len(library.papers),
                  "problems": len(library.problems)}))
"""


def one_start(file: Path, cache_home: str) -> dict[str, float]:
    environment = {**os.environ, "XDG_CACHE_HOME": cache_home}
    output, _, returncode, peak_mib = run_with_peak(
        [sys.executable, "-c", _ONE_START, str(file)], environment, REPO
    )
    if returncode:
        raise SystemExit(f"load_benchmark: the measured start failed (exit code {returncode})")
    result = json.loads(output.strip().splitlines()[-1])
    result["tree_peak_mib"] = peak_mib
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE)
    args = parser.parse_args()
    if not args.file.exists():
        print(f"load_benchmark: {args.file} not found (use --file)", file=sys.stderr)
        return 2
    firsts, seconds = [], []
    for run in range(1, args.runs + 1):
        with tempfile.TemporaryDirectory(prefix="tuireader-bench-") as cache_home:
            first = one_start(args.file, cache_home)
            second = one_start(args.file, cache_home)
        firsts.append(first)
        seconds.append(second)
        print(
            f"run {run}: first {first['seconds']:.1f} s, {first['cpu']:.1f} s CPU "
            f"({first['own_cpu']:.1f} s in the interpreter) "
            f"({first['peak_mib']:.0f} MiB peak, "
            f"{first['tree_peak_mib']:.0f} MiB with its children), "
            f"cached {second['seconds']:.1f} s ({second['peak_mib']:.0f} MiB peak)",
            flush=True,
        )
    first_time = statistics.median(r["seconds"] for r in firsts)
    cached_time = statistics.median(r["seconds"] for r in seconds)
    records = firsts[0]["records"]
    print(f"\n{args.file.name}: {records:,} entries read, {firsts[0]['papers']:,} papers after merging")
    print(f"first start (parse):   {first_time:.1f} s, median of {args.runs} runs")
    print(f"  CPU, whole tree:     {statistics.median(r['cpu'] for r in firsts):.1f} s")
    own_cpu = statistics.median(r["own_cpu"] for r in firsts)
    print(f"  CPU, interpreter:    {own_cpu:.1f} s (its children's work is beside it)")
    print(f"  per 10,000 entries:  {first_time / records * 10_000:.2f} s")
    print(f"  peak RSS:            {statistics.median(r['peak_mib'] for r in firsts):.0f} MiB")
    print(f"  process tree peak:   {statistics.median(r['tree_peak_mib'] for r in firsts):.0f} MiB (sampled)")
    print(f"second start (cached): {cached_time:.1f} s, {cached_time / first_time:.0%} of the first")
    print(f"  peak RSS:            {statistics.median(r['peak_mib'] for r in seconds):.0f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
