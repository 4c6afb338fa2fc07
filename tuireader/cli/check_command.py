"""`check`: what a library gave — papers, records and files — and everything that was skipped."""

from __future__ import annotations

import argparse

from tuireader.cli.common import EXIT_OK, EXIT_UNREADABLE, Command, corpus_paths, emit, load_with_progress
from tuireader.corpus.library import Library


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}" if count == 1 else f"{count:,} {word}s"


def summary(library: Library) -> str:
    read = f"Read {_plural(library.records_read, 'entry')} from {_plural(len(library.files_read), 'file')}"
    read = read.replace("entrys", "entries")
    papers = _plural(len(library.papers), "paper")
    merged = library.records_read - len(library.papers)
    if merged:
        return f"{read}: {papers} after merging {_plural(merged, 'duplicate')}."
    return f"{read}: {papers}."


def run_check(args: argparse.Namespace) -> int:
    library = load_with_progress(corpus_paths(args))
    emit(summary(library))
    if library.merges:
        merged = _plural(len(library.merges), "paper")
        emit(f"\n{merged} merged from several entries (id: key (file:line) + …):")
        for merge in library.merges:
            emit(f"  {merge}")
    if library.problems:
        emit(f"\n{_plural(library.problem_count, 'problem')} (file:line: what was skipped or doubtful):")
        for problem in library.problems:
            emit(f"  {problem}")
    return EXIT_OK if library.papers else EXIT_UNREADABLE


COMMANDS = (
    Command(
        "check",
        "how many papers were read from how many files, and every entry or file that was skipped",
        lambda parser: None,
        run_check,
    ),
)
