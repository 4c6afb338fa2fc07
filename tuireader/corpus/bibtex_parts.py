"""Scanning a large BibTeX file on every core.

bibtexparser's splitter reads a character at a time: the 55 MB ACL Anthology takes it seconds
on one core. A file of more than PARALLEL_CHARS characters is cut where a block starts, as the
splitter itself would end a block (`bibtex_scan.cut`); each part is scanned by a child
interpreter, and the parts are joined in order (`bibtex_scan.joined`). Lines are counted from the
start of the file in each child, and keys are compared across parts once joined, so the scan
equals the one made whole. Macros and crossref parents are looked up only after every file is
scanned, so a part may use what another defines.

The children are plain interpreters started by `subprocess`, not multiprocessing's workers: the
reader loads its library under Textual, whose `sys.stderr` has no file descriptor, and
multiprocessing's resource tracker cannot start without one. A child that fails costs time, not
papers: the file is then read again and scanned here.

Protocol: (job, parent's pid, payload) marshalled on the child's stdin, the payload of a "scan" job
being the part's path, first line and text; on its stdout `progress FRACTION` lines, `batch LENGTH`
lines each followed by a marshalled share of the result sent early, then `done LENGTH` and the
marshalled rest. Evaluating entries (`bibtex_evaluation`) uses the same children.
"""

from __future__ import annotations

import gc
import marshal
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

from tuireader.children import stop_children
from tuireader.corpus.files import LibraryFile, read_text
from tuireader.corpus.model import Problem
from tuireader.corpus.problem_log import ProblemLog
from tuireader.corpus.readers.bibtex_scan import (
    BibScan,
    RawEntry,
    RawString,
    ScannedPart,
    cut,
    joined,
    scan,
    scan_part,
)

# Below this a child's start (a fifth of a second) and the copies outweigh what it saves.
PARALLEL_CHARS = 4 * 1024 * 1024
# Each child holds its part several times over while splitting it.
MOST_CHILDREN = 4
_CHILD = "from tuireader.corpus.bibtex_parts import child_main; child_main()"


class PartFailed(RuntimeError):
    pass


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on every system
        return os.cpu_count() or 1


def scan_file(
    file: LibraryFile,
    on_progress: Callable[[float], None] | None = None,
    *,
    children: int | None = None,
) -> BibScan:
    """The file's entries, `@string`s and problems; one of more than PARALLEL_CHARS characters
    is scanned by `children` child processes (one per core when None). OSError is the caller's."""
    text, read_problems = read_text(file)
    count = min(MOST_CHILDREN, usable_cores()) if children is None else children
    if count < 2 or len(text) <= PARALLEL_CHARS:
        return scan(text, file.shown, on_progress, earlier=read_problems)
    parts = cut(text, count)
    del text  # the parts leave memory as they are handed over
    try:
        scanned = _scanned_by_children(parts, file.shown, on_progress)
    except (PartFailed, OSError, ValueError, EOFError):
        text, read_problems = read_text(file)
        return scan(text, file.shown, on_progress, earlier=read_problems)
    return joined(scanned, file.shown, read_problems)


def _scanned_by_children(
    parts: list[tuple[int, str]], path: str, on_progress: Callable[[float], None] | None
) -> list[ScannedPart]:
    """Each part scanned by a child of its own; `parts` is emptied as they are handed over."""
    payloads: list[Any] = [(path, first_line, text) for first_line, text in parts]
    parts.clear()
    with children_working("scan", payloads) as children:
        progress = Monotonic(on_progress)
        # The parts are of a size and scanned side by side: the one waited for shows how far all are.
        return [_scanned_part(child_result(child, progress)) for child in children]


@contextmanager
def children_working(job: str, payloads: list[Any]) -> Iterator[list[subprocess.Popen[bytes]]]:
    """A child per payload, each given its own and doing `job` with it (see `child_main`);
    `payloads` is emptied as they are handed over. Leaving stops any child still running."""
    children: list[subprocess.Popen[bytes]] = []
    with ExitStack() as cleanup:
        cleanup.callback(stop_children, children)
        for _ in payloads:
            children.append(
                subprocess.Popen(
                    [sys.executable, "-c", _CHILD],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.DEVNULL,
                    close_fds=True,
                )
            )
        payloads.reverse()
        for child in children:
            payload = payloads.pop()
            assert child.stdin is not None
            try:
                child.stdin.write(marshal.dumps((job, os.getpid(), payload)))
                child.stdin.close()
            except BrokenPipeError:
                raise PartFailed("a child process stopped before it was given its part") from None
            del payload
        yield children


class Monotonic:
    def __init__(self, callback: Callable[[float], None] | None) -> None:
        self.callback = callback
        self.reported = 0.0

    def __call__(self, fraction: float) -> None:
        if self.callback is not None and fraction > self.reported:
            self.reported = fraction
            self.callback(fraction)


def child_result(
    child: subprocess.Popen[bytes],
    progress: Callable[[float], None],
    on_batch: Callable[[bytes], None] | None = None,
) -> Any:
    """What the child sends when done (marshal data), passing on its progress as it comes, and
    any batch of its result it sends before (still marshalled) to `on_batch`."""
    assert child.stdout is not None
    while True:
        line = child.stdout.readline()
        event, _, detail = line.decode("ascii", "replace").strip().partition(" ")
        if event == "progress":
            progress(float(detail))
        elif event == "batch" and on_batch is not None:
            on_batch(_blob(child, int(detail)))
        elif event == "done":
            return marshal.loads(_blob(child, int(detail)))
        else:
            raise PartFailed(f"a child process stopped unexpectedly (exit code {child.wait()})")


def _blob(child: subprocess.Popen[bytes], length: int) -> bytes:
    assert child.stdout is not None
    blob = child.stdout.read(length)
    if len(blob) != length:
        raise PartFailed("a child process stopped while sending its result")
    return blob


def _scanned_part(sent: Any) -> ScannedPart:
    entries, strings, problems, unlisted = sent
    return ScannedPart(
        [RawEntry(*entry) for entry in entries],
        [RawString(*string) for string in strings],
        ProblemLog((Problem(*problem) for problem in problems), unlisted=unlisted),
    )


def _scan_job(payload: Any, report: Callable[[float], None]) -> Any:
    path, first_line, text = payload
    part = scan_part(text, path, first_line, report)
    del text, payload
    return (
        [(e.entry_type, e.key, e.line, e.fields, e.raw) for e in part.entries],
        [(s.name, s.value, s.line) for s in part.strings],
        [(p.path, p.message, p.line) for p in part.problems],
        part.problems.unlisted,
    )


def child_main() -> None:
    """A child's whole life: its job and payload on stdin, progress and then its result on stdout."""
    gc.disable()  # a short life that keeps nearly everything it makes: see library._collector_paused
    job, parent, payload = marshal.loads(sys.stdin.buffer.read())
    out = sys.stdout.buffer

    def report(fraction: float) -> None:
        if os.getppid() != parent:  # the reader quit or was killed: nobody waits for this part
            raise SystemExit(1)
        out.write(f"progress {fraction:.3f}\n".encode())
        out.flush()

    def send(value: Any) -> None:
        blob = marshal.dumps(value)
        out.write(f"batch {len(blob)}\n".encode())
        out.write(blob)
        out.flush()

    if job == "scan":
        result = _scan_job(payload, report)
    else:
        from tuireader.corpus.bibtex_evaluation import evaluate_job  # it needs this module's children

        result = evaluate_job(payload, report, send)
    del payload
    blob = marshal.dumps(result)
    del result
    out.write(f"done {len(blob)}\n".encode())
    out.write(blob)
    out.flush()
