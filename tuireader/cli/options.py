"""What the entry point needs before it knows the command: exit codes, the shared option, the
Command record. Only argparse: `tuireader --version` and `--help` must start in a blink."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass

EXIT_OK = 0
EXIT_NOT_FOUND = 1
EXIT_UNREADABLE = 2

# Counted by the entry point, so that what a command reads once is read again by the next one
# run in the same process (tests, scripts calling `main`).
commands_started = 0


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
