"""Scanning a large BibTeX file on every core.

bibtexparser's splitter reads a character at a time: the 55 MB ACL Anthology takes it seconds
on one core. A file of more than PARALLEL_CHARS characters is cut where a block starts, as the
splitter itself would end a block (`bibtex_scan.cut`), into parts that cost about the same to
scan (`balanced_cut`); each part is scanned by a child interpreter, and the parts are joined in
order (`bibtex_scan.joined`). Lines are counted from the start of the file in each child, and
keys are compared across parts once joined, so the scan equals the one made whole. Macros and
crossref parents are looked up only after every file is scanned, so a part may use what another defines.

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

import bisect
import gc
import itertools
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
# Scanning a line costs about as much as scanning this many characters more (measured on the ACL
# Anthology, whose newer entries have more fields, a line each): cut to equal sizes, one part
# took half as long again as the other.
_LINE_CHARS = 150
_PIECES_PER_PART = 32  # the finer, the nearer to equal costs; each piece is joined again once
_READ_BYTES = 1 << 20
# A child's pipe holds this much where the system lets it be sized (64 KiB otherwise): a child
# sending its result waits less for this process to take it.
_PIPE_BYTES = 1 << 20
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
    count = min(MOST_CHILDREN, usable_cores()) if children is None else children
    # Children started first start up (a fifth of a second) while the file is read and unpacked.
    started = [_child() for _ in range(count)] if count > 1 and _likely_parted(file) else []
    try:
        text, read_problems = read_text(file)
        if count < 2 or len(text) <= PARALLEL_CHARS:
            stop_children(started)
            return scan(text, file.shown, on_progress, earlier=read_problems)
        parts = balanced_cut(text, count)
        del text  # the parts leave memory as they are handed over
        try:
            scanned = _scanned_by_children(parts, file.shown, on_progress, started)
        except (PartFailed, OSError, ValueError, EOFError):
            text, read_problems = read_text(file)
            return scan(text, file.shown, on_progress, earlier=read_problems)
        return joined(scanned, file.shown, read_problems)
    finally:
        stop_children(started)


def _likely_parted(file: LibraryFile) -> bool:
    """Whether the file's text is likely to be longer than PARALLEL_CHARS: gzip makes BibTeX
    about four times smaller."""
    return file.size > PARALLEL_CHARS or (file.size > PARALLEL_CHARS // 4 and file.path.suffix == ".gz")


def balanced_cut(text: str, count: int) -> list[tuple[int, str]]:
    """`text` in at most `count` parts that cost about the same to scan, each with the 0-based
    number of its first line; cut only where `cut` cuts, so the parts scan as the whole would."""
    pieces = cut(text, count * _PIECES_PER_PART)
    # Each piece's lines are known from where the next one starts.
    lines = [line for line, _ in pieces[1:]] + [pieces[-1][0] + pieces[-1][1].count("\n")]
    costs = [
        len(piece) + _LINE_CHARS * (end - line) for (line, piece), end in zip(pieces, lines, strict=True)
    ]
    reached = list(itertools.accumulate(costs, initial=0))
    bounds = [0]
    for number in range(1, count):
        target = reached[-1] * number / count
        at = bisect.bisect_left(reached, target)
        if target - reached[at - 1] < reached[at] - target:  # the piece before ends nearer
            at -= 1
        bounds.append(max(at, bounds[-1]))
    bounds.append(len(pieces))
    parts: list[tuple[int, str]] = []
    for start, end in reversed(list(itertools.pairwise(bounds))):
        if start < end:  # joined from the end, each piece let go once joined
            group = pieces[start:end]
            del pieces[start:]
            parts.append((group[0][0], "".join(piece for _, piece in group)))
    parts.reverse()
    return parts


def _scanned_by_children(
    parts: list[tuple[int, str]],
    path: str,
    on_progress: Callable[[float], None] | None,
    started: list[subprocess.Popen[bytes]] | None = None,
) -> list[ScannedPart]:
    """Each part scanned by a child of its own (those `started` first); `parts` is emptied as
    they are handed over."""
    payloads: list[Any] = [(path, first_line, text) for first_line, text in parts]
    parts.clear()
    with children_working("scan", payloads, started) as children:
        progress = Monotonic(on_progress)
        # The parts are of a cost and scanned side by side: the one waited for shows how far all are.
        return [_scanned_part(child_result(child, progress)) for child in children]


@contextmanager
def children_working(
    job: str, payloads: list[Any], started: list[subprocess.Popen[bytes]] | None = None
) -> Iterator[list[subprocess.Popen[bytes]]]:
    """A child per payload, each given its own and doing `job` with it (see `child_main`): those
    `started` before, waiting for their payload, then new ones; those left over are stopped.
    `payloads` is emptied as they are handed over. Leaving stops any child still running."""
    children: list[subprocess.Popen[bytes]] = []
    with ExitStack() as cleanup:
        cleanup.callback(stop_children, children)
        children.extend(started or ())
        stop_children(children[len(payloads) :])
        del children[len(payloads) :]
        while len(children) < len(payloads):
            children.append(_child())
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


def _child() -> subprocess.Popen[bytes]:
    """A child interpreter, waiting for its job on its stdin (see `child_main`)."""
    return subprocess.Popen(
        [sys.executable, "-c", _CHILD],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        close_fds=True,
    )


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
    for event, value in ChildStream(child).rest():
        if event == "progress":
            progress(value)
        elif event == "batch" and on_batch is not None:
            on_batch(value)
        elif event == "done":
            return marshal.loads(value)
    raise PartFailed("a child process ended without its result")


ChildEvent = tuple[str, Any]  # ("progress", fraction), ("batch", marshalled), ("done", marshalled)


class ChildStream:
    """A child's events, read from its stdout by the caller's own thread: `ready` takes those come
    so far without waiting, so that the caller can go on with its own work between two looks (a
    reading thread would get the interpreter lock only between the caller's steps, and the child
    would wait on a full pipe meanwhile); `rest` waits for them to the end."""

    def __init__(self, child: subprocess.Popen[bytes]) -> None:
        assert child.stdout is not None
        self.child = child
        self._descriptor = child.stdout.fileno()  # read directly: a buffered reader would keep some
        self._buffer = bytearray()
        self._ended = False  # the child closed its end
        self.finished = False  # its result came

    def ready(self) -> list[ChildEvent]:
        os.set_blocking(self._descriptor, False)
        try:
            while not self._ended:
                chunk = os.read(self._descriptor, _READ_BYTES)
                self._ended = not chunk
                self._buffer += chunk
        except BlockingIOError:
            pass
        return list(self._parsed())

    def rest(self) -> Iterator[ChildEvent]:
        os.set_blocking(self._descriptor, True)
        while True:
            yield from self._parsed()
            if self.finished:
                return
            chunk = os.read(self._descriptor, _READ_BYTES)
            if not chunk:
                raise PartFailed(f"a child process stopped unexpectedly (exit code {self.child.wait()})")
            self._buffer += chunk

    def _parsed(self) -> Iterator[ChildEvent]:
        buffer = self._buffer
        while not self.finished:
            end = buffer.find(b"\n")
            if end < 0:
                return
            event, _, detail = buffer[:end].decode("ascii", "replace").partition(" ")
            if event == "progress":
                del buffer[: end + 1]
                yield event, float(detail)
            elif event in ("batch", "done"):
                stop = end + 1 + int(detail)
                if len(buffer) < stop:
                    return
                with memoryview(buffer) as view:
                    blob = bytes(view[end + 1 : stop])
                del buffer[:stop]
                self.finished = event == "done"
                yield event, blob
            else:
                raise PartFailed(f"a child process stopped unexpectedly (exit code {self.child.wait()})")


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
    _widen(out.fileno())

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


def _widen(descriptor: int) -> None:
    try:
        import fcntl

        fcntl.fcntl(descriptor, fcntl.F_SETPIPE_SZ, _PIPE_BYTES)
    except (ImportError, AttributeError, OSError):  # not on this system, or not allowed so large
        pass
