"""What every subcommand shares: the `--corpus` option, loading with reported problems, output."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tuireader.corpus.library import Library, load_library
from tuireader.safe_text import visible_controls

EXIT_OK = 0
EXIT_NOT_FOUND = 1
EXIT_UNREADABLE = 2


@dataclass(frozen=True, slots=True)
class Command:
    """One subcommand: its name, one line of help, its options, and what it does."""

    name: str
    help: str
    configure: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]


def add_corpus_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--corpus",
        action="append",
        metavar="PATH",
        help="a library file or folder (repeatable); the bundled corpus when omitted",
    )


def add_json_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")


def corpus_paths(args: argparse.Namespace) -> list[str] | None:
    paths = list(getattr(args, "corpus", None) or []) + list(getattr(args, "paths", None) or [])
    return paths or None


def report_problems(library: Library) -> None:
    for problem in library.problems:
        print(f"tuireader: {visible_controls(str(problem))}", file=sys.stderr)


def open_library(args: argparse.Namespace) -> Library | None:
    """The library the arguments name, problems on stderr; None (after saying so) if it is empty."""
    library = load_library(corpus_paths(args))
    report_problems(library)
    if not library.papers:
        print("tuireader: no papers could be read", file=sys.stderr)
        return None
    return library


def emit(text: str) -> None:
    print(visible_controls(text))


def emit_json(value: Any) -> None:
    # ensure_ascii keeps C1 control characters escaped too, so JSON is always inert on a terminal.
    print(json.dumps(value, indent=2, ensure_ascii=True))
