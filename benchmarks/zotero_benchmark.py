"""Reading a Zotero database of 10,000 items, cold and cached, beside the same items as CSL-JSON.

The database is built from Zotero's published schema (the shared corpora's zotero-schema folder),
filled with synthetic items: journal articles, book sections and theses with two to six
creators, tags, a note, a stored PDF attachment and a collection each. The same items are written
as the CSL-JSON export Zotero would make. Each format is loaded once with an empty cache (cold:
the database is copied and queried, the JSON parsed) and once more with the cache filled.

    python benchmarks/zotero_benchmark.py [--items 10000] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.formats import zotero_db  # noqa: E402
from tuireader.corpus.cache import ParseCache  # noqa: E402
from tuireader.corpus.library import load_library, readers_version  # noqa: E402

SCHEMA = REPO.parent / "shared" / "corpora" / "zotero-schema"
_WORDS = "attention graph neural sparse learning model data robust causal inference language vision".split()
_FAMILIES = "Smith Chen Garcia Müller Rossi Kowalski Tanaka Okafor Silva Novak Dubois Larsen".split()
_GIVEN = "Ana Bo Chidi Dmitri Eva Farid Greta Hiro Ines Jonas Kaya Lior".split()
_KINDS = (("journalArticle", "article-journal"), ("bookSection", "chapter"), ("thesis", "thesis"))


def synthetic_items(count: int, seed: int = 7) -> list[dict[str, object]]:
    rng = random.Random(seed)
    items = []
    for number in range(count):
        kind, csl_type = _KINDS[number % len(_KINDS)]
        year = rng.randint(1990, 2024)
        creators = [(rng.choice(_GIVEN), rng.choice(_FAMILIES)) for _ in range(rng.randint(2, 6))]
        items.append(
            {
                "kind": kind,
                "csl_type": csl_type,
                "title": " ".join(rng.choice(_WORDS) for _ in range(rng.randint(4, 10))).capitalize(),
                "container": f"Journal of {rng.choice(_WORDS).capitalize()}",
                "year": year,
                "date": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                "doi": f"10.{1000 + number % 9000}/bench.{number}",
                "abstract": " ".join(rng.choice(_WORDS) for _ in range(rng.randint(60, 160))),
                "creators": creators,
                "tags": sorted({rng.choice(_WORDS) for _ in range(3)}),
                "key": f"item{number}",
            }
        )
    return items


def build_database(folder: Path, items: list[dict[str, object]]) -> Path:
    connection, schema = zotero_db.create(folder / "zotero.sqlite", SCHEMA)
    writer = zotero_db.Writer(connection, schema)
    for item in items:
        fields = {
            "title": str(item["title"]),
            "publicationTitle": str(item["container"]),
            "date": str(item["date"]),
            "DOI": str(item["doi"]),
            "abstractNote": str(item["abstract"]),
            "citationKey": str(item["key"]),
        }
        creators = [("author", given, family, 0) for given, family in item["creators"]]  # type: ignore[attr-defined]
        writer.add(
            str(item["kind"]),
            fields,
            creators,
            tags=item["tags"],  # type: ignore[arg-type]
            notes=[f"<p>Read for {item['key']}</p>"],
            attachments=[("imported_file", "application/pdf", f"storage:{item['key']}.pdf")],
            collections=[f"Project / {item['container']!s}"],
        )
    connection.commit()
    connection.close()
    return folder / "zotero.sqlite"


def csl_export(path: Path, items: list[dict[str, object]]) -> Path:
    exported = [
        {
            "id": item["key"],
            "type": item["csl_type"],
            "title": item["title"],
            "container-title": item["container"],
            "issued": {"date-parts": [[int(part) for part in str(item["date"]).split("-")]]},
            "DOI": item["doi"],
            "abstract": item["abstract"],
            "author": [{"family": family, "given": given} for given, family in item["creators"]],  # type: ignore[attr-defined]
            "keyword": ", ".join(item["tags"]),  # type: ignore[arg-type]
        }
        for item in items
    ]
    path.write_text(json.dumps(exported, indent=2, ensure_ascii=False), encoding="utf-8")
    return path


def timed_loads(path: Path, runs: int) -> tuple[float, float, int]:
    """Median seconds cold (empty cache) and cached (second start), and the papers read."""
    cold, cached = [], []
    papers = 0
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as folder:
            cache = ParseCache(Path(folder), readers_version())
            started = time.perf_counter()
            library = load_library([path], cache=cache)
            cold.append(time.perf_counter() - started)
            papers = len(library.papers)
            started = time.perf_counter()
            again = load_library([path], cache=cache)
            _ = [paper.title for paper in again.papers]  # every paper rebuilt, as a full list shows them
            cached.append(time.perf_counter() - started)
    return statistics.median(cold), statistics.median(cached), papers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    items = synthetic_items(args.items)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "Zotero").mkdir()
        started = time.perf_counter()
        database = build_database(root / "Zotero", items)
        built = time.perf_counter() - started
        export = csl_export(root / "export.json", items)
        print(f"{args.items:,} items; database {database.stat().st_size / 1e6:.1f} MB built in {built:.1f} s")
        print(f"CSL-JSON export {export.stat().st_size / 1e6:.1f} MB")
        print(f"{'source':<18}{'papers':>8}{'cold s':>9}{'cached s':>10}")
        for name, path in (("Zotero database", database), ("CSL-JSON", export)):
            cold, cached, papers = timed_loads(path, args.runs)
            print(f"{name:<18}{papers:>8,}{cold:>9.2f}{cached:>10.2f}")


if __name__ == "__main__":
    main()
