"""Latency of realistic researcher queries on a real library (written for the ACL Anthology).

Opens (or builds, the first time) the library's cached index, then times each query as the
reader asks it (top 10 with highlights, facets), `--repeats` times, and prints each query's
median, then p50 / p95 / max over the queries and the slowest ones. The posting cache is kept
between repeats, as it is between a user's keystrokes; `--cold` empties it before every query.

    python benchmarks/query_latency.py LIBRARY_FILE [--repeats 5] [--cold] [--slowest 10] [--query Q]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from tuireader.corpus.library import load_library  # noqa: E402
from tuireader.index import SearchEngine  # noqa: E402

QUERIES = (
    # single common words
    "model",
    "language",
    "neural",
    "translation",
    "learning",
    "data",
    "semantic",
    "parsing",
    "evaluation",
    "dialogue",
    # several words
    "neural machine translation",
    "named entity recognition",
    "sentiment analysis twitter",
    "low resource language model",
    "question answering knowledge base",
    "word embeddings bias",
    # prefixes and wildcards
    "trans*",
    "*ing",
    "emb*",
    "multi*",
    "pars*",
    "*lingual",
    "bert*",
    # fuzzy
    "nueral~",
    "translaton~",
    "sentimnet~",
    "embeding~2",
    # phrases
    '"state of the art"',
    '"in this paper we"',
    '"machine translation"',
    '"neural machine translation"',
    '"we propose a"',
    'abstract:"we propose a"',
    'abstract:"state of the art"',
    '"large language models"',
    '"to the best of our knowledge"',
    'title:"machine translation"',
    # authors
    "author:manning",
    "author:smith",
    'author:"noah a. smith"',
    "author:jurafsky",
    "author:zhang",
    # venues
    'venue:"Annual Meeting of the Association for Computational Linguistics"',
    "venue:emnlp",
    "venue:acl",
    'venue:"Findings of the Association for Computational Linguistics"',
    "venue:coling",
    # year ranges
    "year:2015..2020",
    "translation year:2018..2021",
    "year:2019",
    "parsing year:..2000",
    # boolean
    "translation AND NOT neural",
    "bert OR elmo",
    "(parsing OR tagging) AND dependency",
    "summarization NOT abstractive",
    "neural AND (translation OR summarization) year:2017..2020",
    "model NOT language",
    # identifiers (ACL's papers are known by their citation keys and DOIs)
    "id:devlin-etal-2019-bert",
    "id:tao-etal-2019-one",
    "id:10.18653/v1/N19-1423",
)


def _parsed() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("library", type=Path, help="a library file, e.g. the ACL Anthology's BibTeX")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--cold", action="store_true", help="empty the posting cache before each query")
    parser.add_argument("--slowest", type=int, default=10)
    parser.add_argument("--query", action="append", help="time these queries instead")
    return parser.parse_args()


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    arguments = _parsed()
    started = time.perf_counter()
    library = load_library([arguments.library])
    engine = SearchEngine.open(library)
    engine.wait_until_ready()
    print(f"{len(library.papers)} papers, open {time.perf_counter() - started:.1f} s")
    queries = tuple(arguments.query) if arguments.query else QUERIES
    medians: dict[str, float] = {}
    totals: dict[str, int] = {}
    for text in queries:
        times = []
        for _ in range(arguments.repeats):
            if arguments.cold:
                engine.clear_caches()
            start = time.perf_counter()
            results = engine.search(text, limit=10)
            times.append((time.perf_counter() - start) * 1000)
            totals[text] = results.total
        medians[text] = statistics.median(times)
        print(f"{medians[text]:8.1f} ms {totals[text]:7d}  {text}")
    values = list(medians.values())
    print(
        f"\n{len(values)} queries: p50 {_percentile(values, 0.5):.1f} ms, "
        f"p95 {_percentile(values, 0.95):.1f} ms, max {max(values):.1f} ms"
    )
    print("slowest:")
    for text in sorted(medians, key=medians.__getitem__, reverse=True)[: arguments.slowest]:
        print(f"{medians[text]:8.1f} ms  {text}")
    engine.close()


if __name__ == "__main__":
    main()
