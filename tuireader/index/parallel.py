"""Writing the parts of a full build in child processes, one per core.

The children are plain interpreters running `part_process_main`, not multiprocessing's
workers. The reader builds under Textual, which replaces `sys.stderr` with an object that has no
file descriptor, and multiprocessing's resource tracker then fails to start ("bad value(s) in
fds_to_keep"): the build died before its first paper, and the reader waited for it forever. A
plain child also keeps its stderr away from the terminal the reader draws on: it goes to the log.

The protocol is a pickle of the part's records on the child's stdin, one line per event on its
stdout (`added N`, then `done` or `failed MESSAGE`), and the part's result pickled beside its
segments. A child whose parent has gone (killed, or quit while indexing) stops at its next report.
"""

from __future__ import annotations

import gc
import os
import pickle
import selectors
import subprocess
import sys
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from tuireader.children import stop_children

if TYPE_CHECKING:
    from tuireader.index.build import PartResult
    from tuireader.index.documents import IndexRecord

RESULT_FILE = "part-result.pickle"
_POLL_SECONDS = 0.5
_CHILD = "from tuireader.index.parallel import part_process_main; part_process_main()"


class PartFailed(RuntimeError):
    pass


def write_parts_in_children(
    folders: Sequence[Path],
    parts: Sequence[Sequence[IndexRecord]],
    *,
    added: Callable[[int], None],
    written: Callable[[int], None],
    tick: Callable[[], None],
    stderr: IO[Any] | None = None,
) -> list[PartResult]:
    """Each part written into its folder by a child; `added(n)` as papers are analysed,
    `written(number)` as parts finish, `tick()` every half second (it may raise to cancel)."""
    children: list[subprocess.Popen[bytes]] = []
    with ExitStack() as cleanup:
        cleanup.callback(stop_children, children)
        for folder in folders:
            folder.mkdir()
            children.append(
                subprocess.Popen(
                    [sys.executable, "-c", _CHILD, str(folder), str(os.getpid())],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=stderr if stderr is not None else subprocess.DEVNULL,
                    close_fds=True,
                )
            )
        for child, part in zip(children, parts, strict=True):
            assert child.stdin is not None
            try:
                pickle.dump(list(part), child.stdin, protocol=pickle.HIGHEST_PROTOCOL)
                child.stdin.close()
            except BrokenPipeError:
                raise PartFailed("an indexing process stopped before it was given its papers") from None
        _follow(children, added=added, written=written, tick=tick)
    results = []
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
                    elif event == "done":
                        finished.add(number)
                        written(number)
                    else:
                        raise PartFailed(f"indexing failed: {detail}")


def part_process_main() -> None:
    """A child's whole life: `python -c … FOLDER PARENT_PID`, the records on stdin."""
    from tuireader.index.build import write_part

    # A part's records and postings live until it ends: the cycle collector would walk them
    # again and again and find nothing to free.
    gc.disable()
    folder, parent = sys.argv[1], int(sys.argv[2])
    records = pickle.load(sys.stdin.buffer)
    out = sys.stdout

    def report(count: int) -> None:
        if os.getppid() != parent:  # the reader quit or was killed: stop writing
            raise SystemExit(1)
        out.write(f"added {count}\n")
        out.flush()

    try:
        result = write_part(Path(folder), records, report)
        with (Path(folder) / RESULT_FILE).open("wb") as stream:
            pickle.dump(result, stream, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as error:
        message = f"{type(error).__name__}: {error}".replace("\n", " ")
        out.write(f"failed {message}\n")
        out.flush()
        raise
    out.write("done\n")
    out.flush()
