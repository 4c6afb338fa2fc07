"""Writing the parts of a full build in child processes, one per core.

The children are plain interpreters running `part_process_main`, not multiprocessing's
workers. The reader builds under Textual, which replaces `sys.stderr` with an object that has no
file descriptor, and multiprocessing's resource tracker then fails to start ("bad value(s) in
fds_to_keep"): the build died before its first paper, and the reader waited for it forever. A
plain child also keeps its stderr away from the terminal the reader draws on: it goes to the log.

The protocol is the part's records on the child's stdin, as a series of pickled lists of at
most `_BATCH` records (the child holds only the records of the segment it is writing, and starts
on the first batch instead of the whole part); one line per event on its stdout (`added N` papers
analysed, `written N` papers' worth of postings written, then `done` or `failed MESSAGE`); and
the part's result pickled beside its segments. A child is told its segments' sizes (in papers)
on its command line. A child whose parent has gone (killed, or quit while indexing) stops at its
next report.
"""

from __future__ import annotations

import gc
import os
import pickle
import selectors
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from tuireader.children import stop_children

if TYPE_CHECKING:
    from tuireader.index.build import PartResult
    from tuireader.index.documents import IndexRecord

RESULT_FILE = "part-result.pickle"
_POLL_SECONDS = 0.5
_BATCH = 2_000  # records a pickle: small enough for a child to start at once, large enough to be cheap
_CHILD = "from tuireader.index.parallel import part_process_main; part_process_main()"


class PartFailed(RuntimeError):
    pass


def write_parts_in_children(
    folders: Sequence[Path],
    records: Sequence[IndexRecord],
    parts: Sequence[Sequence[range]],
    *,
    added: Callable[[int], None],
    written: Callable[[int], None],
    tick: Callable[[], None],
    stderr: IO[Any] | None = None,
) -> list[PartResult]:
    """Each part of `records` (consecutive ranges of positions, one a segment) written into its
    folder by a child; `records` is only sliced, a batch at a time; `added(n)` as papers are analysed,
    `written(n)` as their postings are written, `tick()` every half second (it may raise to
    cancel)."""
    children: list[subprocess.Popen[bytes]] = []
    feeders: list[_Feeder] = []
    with ExitStack() as cleanup:
        cleanup.callback(stop_children, children)
        for folder, part in zip(folders, parts, strict=True):
            folder.mkdir()
            sizes = ",".join(str(len(segment)) for segment in part)
            children.append(
                subprocess.Popen(
                    [sys.executable, "-c", _CHILD, str(folder), str(os.getpid()), sizes],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=stderr if stderr is not None else subprocess.DEVNULL,
                    close_fds=True,
                )
            )
        # One thread a child, so that a child still reading its first batches never waits for
        # another's to be sent.
        for child, part in zip(children, parts, strict=True):
            assert child.stdin is not None
            span = range(part[0].start, part[-1].stop)
            feeders.append(_Feeder(child.stdin, in_batches(records, span)))
        try:
            _follow(children, added=added, written=written, tick=tick)
        except PartFailed:
            for feeder in feeders:  # a child cut short by its feeder's failure: say what failed
                feeder.finish(wait=1.0)
            raise
        for feeder in feeders:
            feeder.finish()
    results: list[PartResult] = []
    for folder in folders:
        result_file = folder / RESULT_FILE
        with result_file.open("rb") as stream:
            results.append(pickle.load(stream))
        result_file.unlink()
    return results


def _follow(
    children: list[subprocess.Popen[bytes]],
    *,
    added: Callable[[int], None],
    written: Callable[[int], None],
    tick: Callable[[], None],
) -> None:
    # Read with os.read, not readline: a buffered reader can hold a line the selector no longer sees.
    pending = [b""] * len(children)
    with selectors.DefaultSelector() as selector:
        for number, child in enumerate(children):
            assert child.stdout is not None
            selector.register(child.stdout.fileno(), selectors.EVENT_READ, number)
        finished: set[int] = set()
        while len(finished) < len(children):
            tick()
            for key, _ in selector.select(timeout=_POLL_SECONDS):
                number = key.data
                chunk = os.read(key.fd, 65536)
                if not chunk:
                    selector.unregister(key.fd)
                    code = children[number].wait()
                    if number not in finished:
                        raise PartFailed(f"an indexing process stopped unexpectedly (exit code {code})")
                    continue
                *lines, pending[number] = (pending[number] + chunk).split(b"\n")
                for line in lines:
                    event, _, detail = line.decode("utf-8", "replace").partition(" ")
                    if event == "added":
                        added(int(detail))
                    elif event == "written":
                        written(int(detail))
                    elif event == "done":
                        finished.add(number)
                    else:
                        raise PartFailed(f"indexing failed: {detail}")


def in_batches(records: Sequence[IndexRecord], span: range) -> Iterator[list[IndexRecord]]:
    """The records at the positions in `span`, sliced `_BATCH` at a time: a sequence that makes its
    records when sliced holds only one batch of them."""
    for start in range(span.start, span.stop, _BATCH):
        yield list(records[start : min(start + _BATCH, span.stop)])


class _Feeder:
    """Sends a part's records to its child in batches, from a thread of its own."""

    def __init__(self, stream: IO[bytes], batches: Iterator[list[IndexRecord]]) -> None:
        self.stream = stream
        self.batches = batches
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="index-feeder", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            with self.stream:
                for batch in self.batches:
                    pickle.dump(batch, self.stream, protocol=pickle.HIGHEST_PROTOCOL)
                # The end, said: a stream cut short must fail the child, not end its part early.
                pickle.dump(None, self.stream)
        except BrokenPipeError:
            pass  # the child stopped: its exit is reported as its failure
        except BaseException as error:  # told by finish(), in the caller's thread
            self.error = error

    def finish(self, wait: float | None = None) -> None:
        """Raise what stopped the sending, once it has ended (or `wait` seconds have passed)."""
        self.thread.join(wait)
        if self.error is not None:
            raise PartFailed(f"the papers could not be sent to an indexing process ({self.error})")


def _received(stream: IO[bytes]) -> Iterator[IndexRecord]:
    """The records sent by a `_Feeder`, read batch by batch until it says they end."""
    while True:
        batch: list[IndexRecord] | None = pickle.load(stream)
        if batch is None:
            return
        yield from batch
        del batch


def part_process_main() -> None:
    """A child's whole life: `python -c … FOLDER PARENT_PID SIZES`, the records on stdin."""
    from tuireader.index.build import write_part

    # A part's records and postings live until it ends: the cycle collector would walk them
    # again and again and find nothing to free.
    gc.disable()
    folder, parent = sys.argv[1], int(sys.argv[2])
    sizes = [int(size) for size in sys.argv[3].split(",")]
    out = sys.stdout

    def report(event: str, count: int) -> None:
        if os.getppid() != parent:  # the reader quit or was killed: stop writing
            raise SystemExit(1)
        out.write(f"{event} {count}\n")
        out.flush()

    try:
        result = write_part(
            Path(folder),
            _received(sys.stdin.buffer),
            lambda count: report("added", count),
            lambda count: report("written", count),
            sizes,
        )
        with (Path(folder) / RESULT_FILE).open("wb") as stream:
            pickler = pickle.Pickler(stream, protocol=pickle.HIGHEST_PROTOCOL)
            # Without the memo: it held every object pickled, adding a fifth to the child's peak.
            pickler.fast = True
            pickler.dump(result)
    except Exception as error:
        message = f"{type(error).__name__}: {error}".replace("\n", " ")
        out.write(f"failed {message}\n")
        out.flush()
        raise
    out.write("done\n")
    out.flush()
