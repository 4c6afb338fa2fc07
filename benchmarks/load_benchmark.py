"""Loading a large BibTeX library: parse time, memory, and the cached second start.

Each run starts two fresh interpreters on one empty cache folder: the first parses the file and
fills the cache, the second starts again with the file unchanged. Per run it records both wall
times, each interpreter's peak resident memory, and the peak of the whole process tree (the
interpreter and the children it starts to scan a large file, summed while they run, sampled every
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
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_FILE = REPO.parent / "shared" / "corpora" / "acl-anthology-2021" / "anthology+abstracts.bib.gz"

# Runs in a child interpreter, so that its peak memory is its own.
_ONE_START = """
import json, resource, sys, time
started = time.perf_counter()
from tuireader.corpus.library import load_library
library = load_library([sys.argv[1]])
seconds = time.perf_counter() - started
peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": seconds, "peak_mib": peak_kib / 1024, "records": library.records_read,
                  "papers": len(library.papers), "problems": len(library.problems)}))
"""


def _tree_rss_kib(pid: int) -> int:
    """The resident memory of `pid` and all its descendants, 0 once it has gone."""
    total = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
        pending.extend(int(child) for child in children)
    return total


def one_start(file: Path, cache_home: str) -> dict[str, float]:
    environment = {**os.environ, "XDG_CACHE_HOME": cache_home}
    process = subprocess.Popen(
        [sys.executable, "-c", _ONE_START, str(file)],
        env=environment,
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    peak = [0]

    def sample() -> None:
        while process.poll() is None:
            peak[0] = max(peak[0], _tree_rss_kib(process.pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output, _ = process.communicate()
    sampler.join()
    if process.returncode:
        raise SystemExit(f"load_benchmark: the measured start failed (exit code {process.returncode})")
    result = json.loads(output.strip().splitlines()[-1])
    result["tree_peak_mib"] = peak[0] / 1024
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
            f"run {run}: first {first['seconds']:.1f} s ({first['peak_mib']:.0f} MiB peak, "
            f"{first['tree_peak_mib']:.0f} MiB with its children), "
            f"cached {second['seconds']:.1f} s ({second['peak_mib']:.0f} MiB peak)",
            flush=True,
        )
    first_time = statistics.median(r["seconds"] for r in firsts)
    cached_time = statistics.median(r["seconds"] for r in seconds)
    records = firsts[0]["records"]
    print(f"\n{args.file.name}: {records:,} entries read, {firsts[0]['papers']:,} papers after merging")
    print(f"first start (parse):   {first_time:.1f} s, median of {args.runs} runs")
    print(f"  per 10,000 entries:  {first_time / records * 10_000:.2f} s")
    print(f"  peak RSS:            {statistics.median(r['peak_mib'] for r in firsts):.0f} MiB")
    print(f"  process tree peak:   {statistics.median(r['tree_peak_mib'] for r in firsts):.0f} MiB (sampled)")
    print(f"second start (cached): {cached_time:.1f} s, {cached_time / first_time:.0%} of the first")
    print(f"  peak RSS:            {statistics.median(r['peak_mib'] for r in seconds):.0f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
