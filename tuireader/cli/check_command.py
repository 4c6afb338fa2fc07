"""`check`: what a library gave — papers, records and files — and everything that was skipped."""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from tuireader.cli.common import EXIT_OK, EXIT_UNREADABLE, Command, corpus_paths, emit, load_with_progress
from tuireader.corpus.attachments import matched
from tuireader.corpus.library import Library
from tuireader.corpus.readers.zotero_item import RECORD_FORMAT, attachment_paths
from tuireader.corpus.readers.zotero_prefs import LINKED_PREFIX


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


def per_source(library: Library) -> list[str]:
    """One line per file read: its entries, and for Zotero's items the attachment files found
    and missing; then the documents found beside the library and how many were matched."""
    entries: Counter[str] = Counter()
    found: Counter[str] = Counter()
    missing: Counter[str] = Counter()
    unresolved: Counter[str] = Counter()
    for paper in library.papers:
        for source in paper.sources:
            entries[source.path] += 1
        for record in paper.records:
            if record.format != RECORD_FORMAT or record.source is None:
                continue
            for path in attachment_paths(record):
                (found if Path(path).is_file() else missing)[record.source.path] += 1
                if path.startswith(LINKED_PREFIX):
                    unresolved[record.source.path] += 1
    lines = []
    for shown in library.files_read:
        line = f"- {shown}: {_plural(entries[shown], 'entry').replace('entrys', 'entries')}"
        if found[shown] or missing[shown]:
            line += f"; attachments: {found[shown]:,} found, {missing[shown]:,} missing"
        lines.append(line)
        if unresolved[shown]:
            lines.append(
                f"  {_plural(unresolved[shown], 'linked file')} below Zotero's linked attachment base"
                " folder, which was not found: no Zotero profile's prefs.js sets it"
                " (Zotero: Settings → Advanced → Files and Folders)"
            )
    if library.attachments:
        attached = len(matched(library.papers, library.attachments))
        documents = _plural(len(library.attachments), "document")
        lines.append(f"- {documents} beside the library files, {attached:,} attached to papers by file name")
    return lines


def run_check(args: argparse.Namespace) -> int:
    library = load_with_progress(corpus_paths(args))
    emit(summary(library))
    sources = per_source(library)
    if sources:
        emit("\nRead from each file:")
        for line in sources:
            emit(line)
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
