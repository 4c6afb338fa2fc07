"""What every subcommand shares: the `--corpus` option, loading with reported problems, output."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from types import TracebackType
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TaskID, TextColumn, TimeRemainingColumn

from tuireader.cli import options

# The command modules take these from here, with the rest of what they share.
from tuireader.cli.options import EXIT_NOT_FOUND as EXIT_NOT_FOUND
from tuireader.cli.options import EXIT_OK as EXIT_OK
from tuireader.cli.options import EXIT_UNREADABLE as EXIT_UNREADABLE
from tuireader.cli.options import Command as Command
from tuireader.cli.options import add_corpus_option as add_corpus_option
from tuireader.config import Settings, load_settings
from tuireader.corpus.library import Library, LoadProgress, load_library
from tuireader.safe_text import visible_controls


def add_json_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")


# The config file as the running command read it: one read (and one warning about it) a command.
_read_settings: dict[int, Settings] = {}


def command_settings() -> Settings:
    """The config file's settings, read at most once per command; a problem with it said once."""
    command = options.commands_started
    if command not in _read_settings:
        settings, problem = load_settings()
        if problem:
            print(f"tuireader: {visible_controls(problem)}", file=sys.stderr)
        _read_settings.clear()
        _read_settings[command] = settings
    return _read_settings[command]


def corpus_paths(args: argparse.Namespace) -> list[str] | None:
    """Paths given on the command line, else the config file's libraries, else None (bundled)."""
    paths = list(getattr(args, "corpus", None) or []) + list(getattr(args, "paths", None) or [])
    if paths:
        return paths
    # `~` is expanded, and an unknown user named, when read
    return list(command_settings().libraries) or None


def report_problems(library: Library) -> None:
    for problem in library.problems:
        print(f"tuireader: {visible_controls(str(problem))}", file=sys.stderr)


# A bar appears only when loading is both big and slow, so a cached start never flashes one.
LARGE_LIBRARY_BYTES = 4 * 1024 * 1024
SHOW_AFTER_SECONDS = 0.5


class LoadProgressBar:
    """A transient progress bar on stderr for `load_library(progress=...)`."""

    def __init__(self) -> None:
        self._started = time.monotonic()
        self._progress: Progress | None = None
        self._task: TaskID | None = None

    def __enter__(self) -> LoadProgressBar:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self._progress is not None:
            self._progress.stop()

    def update(self, progress: LoadProgress) -> None:
        if self._progress is None:
            slow = time.monotonic() - self._started >= SHOW_AFTER_SECONDS
            if progress.bytes_total < LARGE_LIBRARY_BYTES or not slow:
                return
            self._progress = Progress(
                TextColumn("[bold]{task.description}"),
                BarColumn(),
                DownloadColumn(),
                TimeRemainingColumn(),
                console=Console(file=sys.stderr),
                transient=True,
            )
            self._progress.start()
            self._task = self._progress.add_task("Reading", total=progress.bytes_total)
        assert self._task is not None
        description = "Merging duplicates" if progress.stage == "merging" else "Reading"
        self._progress.update(
            self._task,
            completed=progress.bytes_done,
            description=f"{description} ({progress.files_done:,}/{progress.files_total:,} files)",
        )


def load_with_progress(paths: Sequence[str] | None) -> Library:
    """Load a library; a large one shows a progress bar on stderr when stderr is a terminal."""
    merge = command_settings().merge_duplicates
    if not sys.stderr.isatty():
        return load_library(paths, merge=merge)
    with LoadProgressBar() as bar:
        return load_library(paths, progress=bar.update, merge=merge)


def open_library(args: argparse.Namespace) -> Library | None:
    """The library the arguments name, problems on stderr; None (after saying so) if it is empty."""
    library = load_with_progress(corpus_paths(args))
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
