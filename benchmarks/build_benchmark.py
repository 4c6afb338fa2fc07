"""Building the index of a large library: the full build alone, without reading the library.

The library is read once; its index records are handed to fresh interpreters, each timing
`build_generation` into an empty temporary folder (its worker processes included), so no run
inherits another's caches. With `--baseline SOURCE` (a copy of the source tree at another
revision) the runs alternate between that tree and this one, so both meet the same load;
medians of wall time, CPU time (the interpreter and its children), papers/s and peak memory
are printed: the building interpreter's own peak (its records included) and the largest peak of
one of its worker processes (Linux's `ru_maxrss` for children is that of the largest).

    python benchmarks/build_benchmark.py [--runs 3] [--file anthology+abstracts.bib.gz]
        [--baseline SOURCE] [--workers N] [--records PICKLE]

`--records` reuses the records a previous run kept (`--keep-records PICKLE`), without reading the
library again.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_FILE = REPO.parent / "shared" / "corpora" / "acl-anthology-2021" / "anthology+abstracts.bib.gz"

# Runs in a child interpreter whose import path starts at the tree being measured.
_ONE_BUILD = """
import json, pickle, resource, sys, tempfile, time
from pathlib import Path
from tuireader.index.build import build_generation
with open(sys.argv[1], "rb") as stream:
    records = pickle.load(stream)
loaded = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
workers = int(sys.argv[2]) or None
with tempfile.TemporaryDirectory() as folder:
    started = time.perf_counter()
    build_generation(Path(folder), records, workers=workers)
    seconds = time.perf_counter() - started
own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
print(json.dumps({
    "seconds": seconds,
    "cpu": cpu,
    "papers": len(records),
    "parent_peak_mib": own.ru_maxrss / 1024,
    "parent_build_mib": (own.ru_maxrss - loaded) / 1024,
    "child_peak_mib": children.ru_maxrss / 1024,
}))
"""


def one_build(source: Path, records_file: Path, workers: int) -> dict[str, float]:
    environment = {**os.environ, "PYTHONPATH": str(source)}
    done = subprocess.run(
        [sys.executable, "-c", _ONE_BUILD, str(records_file), str(workers)],
        env=environment,
        cwd=source,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise SystemExit(f"build_benchmark: a build failed in {source}:\n{done.stderr}")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def summary(runs: list[dict[str, float]]) -> dict[str, float]:
    seconds = statistics.median(run["seconds"] for run in runs)
    return {
        "seconds": round(seconds, 2),
        "cpu": round(statistics.median(run["cpu"] for run in runs), 2),
        "papers_per_second": round(runs[0]["papers"] / seconds),
        **{
            name: round(statistics.median(run[name] for run in runs))
            for name in ("parent_peak_mib", "parent_build_mib", "child_peak_mib")
            if all(name in run for run in runs)
        },
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE)
    parser.add_argument("--baseline", type=Path, help="another source tree, measured alternately")
    parser.add_argument("--workers", type=int, default=0, help="processes (default: one per core)")
    parser.add_argument("--records", type=Path, help="index records kept by --keep-records")
    parser.add_argument("--keep-records", type=Path, help="keep the library's index records there")
    arguments = parser.parse_args()

    from tuireader.corpus.library import load_library
    from tuireader.index.documents import record_of

    if arguments.records:
        with arguments.records.open("rb") as stream:
            records = pickle.load(stream)
    else:
        records = [record_of(paper) for paper in load_library([arguments.file]).papers]
    if arguments.keep_records:
        with arguments.keep_records.open("wb") as stream:
            pickle.dump(records, stream, protocol=pickle.HIGHEST_PROTOCOL)
    sources = {"current": REPO}
    if arguments.baseline:
        sources = {"baseline": arguments.baseline.resolve(), **sources}
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in sources}
    with tempfile.TemporaryDirectory() as folder:
        records_file = Path(folder) / "records.pickle"
        with records_file.open("wb") as stream:
            pickle.dump(records, stream, protocol=pickle.HIGHEST_PROTOCOL)
        for number in range(arguments.runs):
            for name, source in sources.items():
                result = one_build(source, records_file, arguments.workers)
                runs[name].append(result)
                print(f"run {number + 1} {name}: {json.dumps(result)}", file=sys.stderr)
    report = {"papers": len(records), **{name: summary(found) for name, found in runs.items()}}
    if "baseline" in report:
        report["seconds_ratio"] = round(report["current"]["seconds"] / report["baseline"]["seconds"], 3)
        report["cpu_ratio"] = round(report["current"]["cpu"] / report["baseline"]["cpu"], 3)
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
