"""Search at scale: the Whoosh index against SQLite FTS5 on the same synthetic corpus, in one run.

For each size it builds both indexes, times opening ours again, and times three kinds of query,
each as the reader asks them (top 10 with highlights, author + year + venue facets):
- plain: one to three words from a random paper's title;
- typing: the words typed so far, the last one cut to 2–4 letters (a prefix);
- field: `title:word`, `author:family` or `abstract:word year:2015..2024`.
FTS5 gets the same words (stemmed by its Porter tokenizer, prefixes as `pre*`, ranked by bm25,
top 10). Each query set is timed `--repeats` times, each time from an empty posting cache (the
queries of a set share common words, as a user's do); medians of the percentiles are printed,
and our p95 over FTS5's plain p95 as a ratio.

    python benchmarks/search_benchmark.py [SIZE ...] [--queries 100] [--repeats 3]

Sizes default to 10000 and 100000 papers. Each size runs in a fresh interpreter, so its peak
memory is its own.

`--shapes` times every query shape instead, on one size (abstracts with set phrases, see
synthetic.py): bare words, words being typed, fields, phrases (common words among them:
`"state of the art"`, `"of the"`), leading wildcards (`*ing`), trailing ones (`tra*`) and fuzzy
words (`~`). Beside ours, Whoosh used the ordinary way on a plain Whoosh index of the same text
(stemmed title, abstract, venue and names, with positions; its own parser over those fields,
`searcher.search(q, limit=10)`; the first `--whoosh-queries` of each shape, once each: some
take seconds) and FTS5. It prints p50 / p95 / max per shape (wall time, each query the median
of its repeats, caches emptied before each round), our p95 in CPU time too, and our p95 over
Whoosh's. `--keep DIR` keeps the built indexes there for the next run.

    python benchmarks/search_benchmark.py 100000 --shapes [--keep DIR] [--queries 40] [--repeats 3]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks.synthetic import synthetic_library  # noqa: E402
from tuireader.corpus.library import Library  # noqa: E402
from tuireader.corpus.model import Paper  # noqa: E402
from tuireader.index import SearchEngine  # noqa: E402

KINDS = ("plain", "typing", "field")


def _title_words(library: Library, rng: random.Random, count: int) -> list[list[str]]:
    papers = rng.sample(library.papers, count)
    return [re.findall(r"\w+", (paper.title or "").lower()) or ["model"] for paper in papers]


def make_queries(library: Library, count: int, seed: int = 7) -> dict[str, list[str]]:
    rng = random.Random(seed)
    plain = [
        " ".join(rng.sample(w, min(len(w), rng.choice((1, 2, 2, 3)))))
        for w in _title_words(library, rng, count)
    ]
    typing = []
    for words in _title_words(library, rng, count):
        chosen = rng.sample(words, min(len(words), rng.choice((1, 2, 3))))
        chosen[-1] = chosen[-1][: rng.choice((2, 3, 4))]
        typing.append(" ".join(chosen))
    field = []
    for number, words in enumerate(_title_words(library, rng, count)):
        if number % 3 == 0:
            field.append(f"title:{rng.choice(words)}")
        elif number % 3 == 1:
            paper = rng.choice(library.papers)
            field.append(f"author:{(paper.authors[0].family if paper.authors else 'smith').lower()}")
        else:
            field.append(f"abstract:{rng.choice(words)} year:2015..2024")
    return {"plain": plain, "typing": typing, "field": field}


def fts5_query(query: str, kind: str) -> tuple[str, tuple[int, int] | None]:
    """The same query in FTS5's syntax, and a year range to filter on."""
    if kind == "field":
        field, _, rest = query.partition(":")
        word = rest.split()[0]
        column = {"title": "title", "author": "authors", "abstract": "abstract"}[field]
        return f'{column} : "{word}"', ((2015, 2024) if "year:" in query else None)
    words = query.split()
    quoted = [f'"{word}"' for word in words]
    if kind == "typing":
        quoted[-1] = f'"{words[-1]}"*'
    return " ".join(quoted), None


def percentiles(times: Sequence[float]) -> tuple[float, float]:
    ordered = sorted(times)
    return ordered[len(ordered) // 2] * 1e3, ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] * 1e3


def timed(run: Callable[[str], object], queries: Sequence[str]) -> list[float]:
    times = []
    for query in queries:
        started = time.perf_counter()
        run(query)
        times.append(time.perf_counter() - started)
    return times


def folder_size(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def build_fts5(library: Library, path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, check_same_thread=False)
    connection.execute(
        "CREATE VIRTUAL TABLE papers USING fts5(title, authors, abstract, venue, year UNINDEXED, "
        "tokenize='porter unicode61')"
    )
    connection.executemany(
        "INSERT INTO papers (rowid, title, authors, abstract, venue, year) VALUES (?, ?, ?, ?, ?, ?)",
        (
            (
                number,
                paper.title or "",
                "; ".join(a.natural_name for a in paper.authors),
                paper.abstract.text,
                paper.venue or "",
                paper.year or 0,
            )
            for number, paper in enumerate(library.papers)
        ),
    )
    connection.commit()
    return connection


def fts5_search(connection: sqlite3.Connection, query: str, kind: str) -> list[int]:
    match, years = fts5_query(query, kind)
    if years:
        sql = "SELECT rowid FROM papers WHERE papers MATCH ? AND year BETWEEN ? AND ? ORDER BY rank LIMIT 10"
        return [row[0] for row in connection.execute(sql, (match, *years))]
    sql = "SELECT rowid FROM papers WHERE papers MATCH ? ORDER BY rank LIMIT 10"
    return [row[0] for row in connection.execute(sql, (match,))]


def measure(size: int, query_count: int, repeats: int, workers: int | None) -> dict[str, object]:
    library = synthetic_library(size)
    queries = make_queries(library, query_count)
    fingerprint = f"synthetic {size} 0"
    figures: dict[str, object] = {"papers": size}
    work = Path(tempfile.mkdtemp(prefix="tuireader-bench-"))
    try:
        started = time.perf_counter()
        engine = SearchEngine.open(
            library, cache_dir=work / "whoosh", workers=workers, fingerprint=fingerprint
        )
        figures["build_s"] = time.perf_counter() - started
        figures["index_mb"] = folder_size(engine.folder) / 1e6
        engine.close()
        opens, readies, opens_hashing = [], [], []
        for _ in range(repeats):
            started = time.perf_counter()
            engine = SearchEngine.open(library, cache_dir=work / "whoosh", fingerprint=fingerprint)
            opens.append(time.perf_counter() - started)
            engine.wait_until_ready()
            readies.append(time.perf_counter() - started)
            engine.close()
            started = time.perf_counter()
            engine = SearchEngine.open(library, cache_dir=work / "whoosh")  # every paper hashed
            opens_hashing.append(time.perf_counter() - started)
            engine.wait_until_ready()
            engine.close()
        figures["open_s"] = statistics.median(opens)
        figures["ready_s"] = statistics.median(readies)
        figures["open_hashing_s"] = statistics.median(opens_hashing)
        engine = SearchEngine.open(library, cache_dir=work / "whoosh", fingerprint=fingerprint)
        started = time.perf_counter()
        engine.search(queries["plain"][0], limit=10)  # a first search, while the warm-up runs
        figures["first_search_ms"] = (time.perf_counter() - started) * 1e3
        engine.wait_until_ready()

        started = time.perf_counter()
        connection = build_fts5(library, work / "fts5.db")
        figures["fts5_build_s"] = time.perf_counter() - started
        figures["fts5_mb"] = (work / "fts5.db").stat().st_size / 1e6

        for kind in KINDS:
            ours, theirs = [], []
            for _ in range(repeats):
                engine.clear_caches()  # each round starts cold: no posting list decoded yet
                ours.append(percentiles(timed(lambda q: engine.search(q, limit=10), queries[kind])))
                theirs.append(
                    percentiles(timed(lambda q, k=kind: fts5_search(connection, q, k), queries[kind]))
                )
            figures[f"{kind}_ms"] = tuple(statistics.median(p[i] for p in ours) for i in (0, 1))
            figures[f"fts5_{kind}_ms"] = tuple(statistics.median(p[i] for p in theirs) for i in (0, 1))
        connection.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    figures["peak_rss_mb"] = own
    figures["worker_peak_rss_mb"] = workers_rss
    return figures


SHAPES = ("words", "typing", "field", "phrase", "leading *", "trailing *", "fuzzy")
# Phrases of common words: the slow ones, since the papers having all their words are many.
COMMON_PHRASES = (
    '"state of the art"',
    '"in this paper we"',
    '"of the"',
    '"we propose a"',
    '"the results show that"',
    '"to the best of our knowledge"',
    'abstract:"in this paper we"',
)
LEADING_WILDCARDS = ("*ing", "*tion", "*ed", "*ation", "*er", "*s", "*ion", "*al")


def shape_queries(library: Library, count: int, seed: int = 11) -> dict[str, list[str]]:
    """`count` queries of each shape (the fixed common ones first)."""
    base = make_queries(library, count, seed)
    rng = random.Random(seed)
    titles = [words for words in _title_words(library, rng, count * 3) if len(words) >= 2]
    phrase = list(COMMON_PHRASES)
    for words in titles:
        if len(phrase) >= count:
            break
        start = rng.randrange(len(words) - 1)
        phrase.append('"' + " ".join(words[start : start + rng.choice((2, 2, 3))]) + '"')
    long_words = [w for words in titles for w in words if len(w) >= 6]
    leading = list(LEADING_WILDCARDS)
    leading += ["*" + word[-rng.choice((3, 4)) :] for word in rng.sample(long_words, count)]
    trailing = [word[: rng.choice((3, 4, 5))] + "*" for word in rng.sample(long_words, count)]
    fuzzy = []
    for word in rng.sample(long_words, count):
        at = rng.randrange(1, len(word))
        fuzzy.append(word[:at] + rng.choice("aeioulnrst") + word[at + 1 :] + "~")
    return {
        "words": base["plain"],
        "typing": base["typing"],
        "field": base["field"],
        "phrase": phrase[:count],
        "leading *": leading[:count],
        "trailing *": trailing,
        "fuzzy": fuzzy,
    }


def whoosh_query_text(query: str, shape: str) -> str:
    """The query in Whoosh's own syntax (ours is a superset of it)."""
    if shape == "typing":
        return query + "*"  # as the reader does with the last word, but Whoosh's way
    return query.replace("year:2015..2024", "year:[2015 TO 2024]")


def build_plain_whoosh(library: Library, folder: Path) -> None:
    """A Whoosh index of the same text, made the way its documentation shows."""
    from whoosh import fields, index
    from whoosh.analysis import StemmingAnalyzer

    folder.mkdir(parents=True, exist_ok=True)
    schema = fields.Schema(
        number=fields.STORED(),
        title=fields.TEXT(analyzer=StemmingAnalyzer()),
        abstract=fields.TEXT(analyzer=StemmingAnalyzer()),
        venue=fields.TEXT(analyzer=StemmingAnalyzer()),
        author=fields.TEXT(),
        year=fields.NUMERIC(int),
    )
    created = index.create_in(str(folder), schema)
    writer = created.writer(limitmb=256)
    for number, paper in enumerate(library.papers):
        writer.add_document(**_plain_fields(number, paper))
    writer.commit()


def _plain_fields(number: int, paper: Paper) -> dict[str, object]:
    return {
        "number": number,
        "title": paper.title or "",
        "abstract": paper.abstract.text,
        "venue": paper.venue or "",
        "author": "; ".join(a.natural_name for a in paper.authors),
        "year": paper.year or 0,
    }


def _spread(times: Sequence[float]) -> tuple[float, float, float]:
    """p50, p95 and max, in milliseconds."""
    ordered = sorted(times)
    at95 = min(len(ordered) - 1, int(len(ordered) * 0.95))
    return ordered[len(ordered) // 2] * 1e3, ordered[at95] * 1e3, ordered[-1] * 1e3


def _per_query(
    run: Callable[[str], object], queries: Sequence[str], repeats: int, reset: Callable[[], None]
) -> tuple[list[float], list[float]]:
    """Each query's median wall and thread-CPU time over `repeats` rounds, each round from `reset`."""
    walls: list[list[float]] = [[] for _ in queries]
    cpus: list[list[float]] = [[] for _ in queries]
    for _ in range(repeats):
        reset()
        for number, query in enumerate(queries):
            wall, cpu = time.perf_counter(), time.thread_time()
            run(query)
            cpus[number].append(time.thread_time() - cpu)
            walls[number].append(time.perf_counter() - wall)
    return [statistics.median(w) for w in walls], [statistics.median(c) for c in cpus]


def measure_shapes(
    size: int, query_count: int, repeats: int, keep: Path | None, whoosh_queries: int
) -> dict[str, object]:
    from whoosh import index, qparser

    library = synthetic_library(size, stock_phrases=True)
    queries = shape_queries(library, query_count)
    work = keep or Path(tempfile.mkdtemp(prefix="tuireader-bench-"))
    figures: dict[str, object] = {"papers": size}
    try:
        fingerprint = f"synthetic {size} 0 stock phrases"
        engine = SearchEngine.open(library, cache_dir=work / "ours", fingerprint=fingerprint)
        engine.wait_until_ready()
        engine.wait_until_checked()
        plain = work / f"whoosh-{size}"
        if not index.exists_in(str(plain)):
            build_plain_whoosh(library, plain)
        searcher = index.open_dir(str(plain)).searcher()
        parser = qparser.MultifieldParser(["title", "abstract", "author", "venue"], searcher.schema)
        parser.add_plugin(qparser.FuzzyTermPlugin())
        connection = sqlite3.connect(work / f"fts5-{size}.db", check_same_thread=False)
        if not connection.execute("SELECT name FROM sqlite_master WHERE name = 'papers'").fetchone():
            connection.close()
            connection = build_fts5(library, work / f"fts5-{size}.db")

        def ours(text: str) -> object:
            return engine.search(text, limit=10)

        def ours_bare(text: str) -> object:
            return engine.search(text, limit=10, with_facets=False)

        for shape in SHAPES:
            print(f"timing {shape}…", file=sys.stderr, flush=True)
            texts = queries[shape]
            whoosh_texts = {q: parser.parse(whoosh_query_text(q, shape)) for q in texts}
            wall, cpu = _per_query(ours, texts, repeats, engine.clear_caches)
            figures[f"ours {shape}"] = _spread(wall)
            figures[f"ours cpu {shape}"] = _spread(cpu)
            figures[f"ours slowest {shape}"] = texts[wall.index(max(wall))]
            figures[f"bare {shape}"] = _spread(_per_query(ours_bare, texts, repeats, engine.clear_caches)[0])
            if whoosh_queries > 0:  # 0: ours and FTS5 only
                wall, _ = _per_query(
                    lambda q, parsed=whoosh_texts: searcher.search(parsed[q], limit=10),
                    texts[:whoosh_queries],
                    1,
                    lambda: None,
                )
                figures[f"whoosh {shape}"] = _spread(wall)
            if shape in ("words", "typing", "field"):
                kind = {"words": "plain"}.get(shape, shape)
                run = lambda q, k=kind: fts5_search(connection, q, k)  # noqa: E731
                figures[f"fts5 {shape}"] = _spread(_per_query(run, texts, repeats, lambda: None)[0])
        connection.close()
        searcher.close()
        engine.close()
    finally:
        if keep is None:
            shutil.rmtree(work, ignore_errors=True)
    return figures


def print_shapes(figures: dict[str, object]) -> None:
    def spread(key: str) -> str:
        value = figures.get(key)
        if value is None:
            return "-"
        p50, p95, top = value  # type: ignore[misc]
        return f"{p50:.1f}/{p95:.1f}/{top:.0f}"

    print(f"{figures['papers']:,} papers; p50/p95/max per shape, ms (wall; a query's time: its median)")
    header = ("ours", "ours cpu", "no facets", "Whoosh", "FTS5", "p95 vs Whoosh")
    print(f"{'shape':<12}" + "".join(f"{h:>22}" for h in header))
    for shape in SHAPES:
        ours, theirs = figures[f"ours {shape}"], figures.get(f"whoosh {shape}")
        ratio = ours[1] / theirs[1] if theirs and theirs[1] else float("inf")  # type: ignore[index]
        cells = [spread(f"{k} {shape}") for k in ("ours", "ours cpu", "bare", "whoosh", "fts5")]
        print(f"{shape:<12}" + "".join(f"{c:>22}" for c in cells) + f"{ratio:>21.2f}x")
    for shape in SHAPES:
        print(f"slowest {shape}: {figures[f'ours slowest {shape}']}")


def _row(label: str, values: Sequence[str]) -> str:
    return f"{label:<38}" + "".join(f"{value:>16}" for value in values)


def print_table(results: list[dict[str, object]]) -> None:
    def ms(value: object) -> str:
        p50, p95 = value  # type: ignore[misc]
        return f"{p50:.1f} / {p95:.1f}"

    print(_row("papers", [f"{r['papers']:,}" for r in results]))
    print(
        _row(
            "build, papers/s (FTS5)",
            [f"{r['papers'] / r['build_s']:,.0f} ({r['papers'] / r['fts5_build_s']:,.0f})" for r in results],
        )
    )
    print(_row("index size, MB (FTS5)", [f"{r['index_mb']:.0f} ({r['fts5_mb']:.0f})" for r in results]))
    print(
        _row(
            "open, s (every paper hashed)",
            [f"{r['open_s']:.2f} ({r['open_hashing_s']:.2f})" for r in results],
        )
    )
    print(_row("warm-up done after open, s", [f"{r['ready_s']:.2f}" for r in results]))
    print(_row("first search during warm-up, ms", [f"{r['first_search_ms']:.0f}" for r in results]))
    for kind in KINDS:
        print(_row(f"{kind} query p50 / p95, ms", [ms(r[f"{kind}_ms"]) for r in results]))
        print(_row(f"  FTS5 {kind}, p50 / p95, ms", [ms(r[f"fts5_{kind}_ms"]) for r in results]))
    for kind in KINDS:
        print(
            _row(
                f"{kind} p95 / FTS5 plain p95",
                [f"{r[f'{kind}_ms'][1] / r['fts5_plain_ms'][1]:.1f}x" for r in results],
            )
        )  # type: ignore[index]
    print(
        _row(
            "peak RSS, MB (build workers)",
            [f"{r['peak_rss_mb']:.0f} ({r['worker_peak_rss_mb']:.0f})" for r in results],
        )
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("sizes", nargs="*", type=int, default=[10_000, 100_000], help="papers per corpus")
    parser.add_argument("--queries", type=int, default=100, help="queries of each kind (default 100)")
    parser.add_argument("--repeats", type=int, default=3, help="timings of each query set (default 3)")
    parser.add_argument("--workers", type=int, default=None, help="build processes (default: one per core)")
    parser.add_argument("--shapes", action="store_true", help="time every query shape beside Whoosh's")
    parser.add_argument("--keep", type=Path, help="with --shapes: keep the indexes in this folder")
    parser.add_argument("--whoosh-queries", type=int, default=20, help="with --shapes: of each shape (20)")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # a child run: one size, JSON out
    args = parser.parse_args(argv)
    if args.shapes:
        for size in args.sizes:
            print_shapes(measure_shapes(size, args.queries, args.repeats, args.keep, args.whoosh_queries))
        return 0
    if args.one:
        print(json.dumps(measure(args.one, args.queries, args.repeats, args.workers)))
        return 0
    results = []
    for size in args.sizes:
        command = [sys.executable, str(Path(__file__).resolve()), "--one", str(size)]
        command += ["--queries", str(args.queries), "--repeats", str(args.repeats)]
        if args.workers:
            command += ["--workers", str(args.workers)]
        print(f"measuring {size:,} papers…", file=sys.stderr, flush=True)
        output = subprocess.run(command, capture_output=True, text=True, check=True, env=os.environ).stdout
        results.append(json.loads(output.strip().splitlines()[-1]))
    print(
        f"cores: {len(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else os.cpu_count()}, "
        f"Python {sys.version.split()[0]}, SQLite {sqlite3.sqlite_version}"
    )
    print_table(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
