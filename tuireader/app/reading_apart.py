"""Reading a large library in a child process, so that the reader never holds it as read.

A library just read holds every paper, and what reading it left behind: about 380 MiB for the
63,700 papers of the ACL Anthology. Python does not give that memory back once the objects are
freed (a few long-lived objects pin what surrounds them), so the reader would carry it through
the index build that follows, beside the build's own processes. Read apart, a child keeps the
library in the cache and ends; the reader then opens it from there, as every later start does,
with papers rebuilt as they are asked for. While every paper is at hand, the child also counts
the whole library's facets (kept beside the index, see browse.py), so the first list rebuilds
no paper.

Protocol: the child's argument is a JSON object (paths, merge, the parent's pid); it writes one
line per event on its stdout: `progress` and the load's progress as a JSON list, then `done`. Its
stderr goes to the log. A child whose parent has gone stops at its next report.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import astuple

from tuireader.children import stop_children
from tuireader.corpus.attachments import is_attachment
from tuireader.corpus.cache import default_folder
from tuireader.corpus.files import library_files
from tuireader.corpus.library import Library, LoadProgress, ProgressCallback, kept_library, load_library
from tuireader.logs import open_log_for_children

log = logging.getLogger(__name__)

# Bytes of library files: below this, a child's start (a fifth of a second) outweighs the memory kept.
READ_APART_FROM = 4 * 1024 * 1024
_CHILD = "from tuireader.app.reading_apart import child_main; child_main()"


def load_library_apart(
    paths: Sequence[str] | None,
    *,
    progress: ProgressCallback | None = None,
    merge: bool = True,
    apart_from: int | None = None,
) -> Library:
    """`load_library`'s library; a large one not already in the cache is read by a child process
    and opened from the cache it leaves (see above). `progress` may raise to stop it."""
    if paths is None:
        return load_library(paths, progress=progress, merge=merge)
    kept = kept_library(paths, merge=merge)
    if kept is not None:
        return kept
    files, _ = library_files(paths)
    size = sum(file.size for file in files if not is_attachment(file))
    if size < (READ_APART_FROM if apart_from is None else apart_from) or not _cache_writable():
        return load_library(paths, progress=progress, merge=merge)
    if _read_in_child(paths, progress, merge):
        kept = kept_library(paths, merge=merge)
        if kept is not None:
            return kept
        log.info("the library read apart is not in the cache (it cannot be written?); reading it here")
    return load_library(paths, progress=progress, merge=merge)


def _cache_writable() -> bool:
    """Whether the child can leave the library in the cache: if not, reading it apart would only
    mean reading it twice."""
    folder = default_folder()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return os.access(folder, os.W_OK)


def _read_in_child(paths: Sequence[str], progress: ProgressCallback | None, merge: bool) -> bool:
    """Whether a child read the library to its end; its failures are logged, not raised: the
    library is then read here."""
    request = json.dumps({"paths": [str(path) for path in paths], "merge": merge, "parent": os.getpid()})
    with open_log_for_children() as stderr:
        child = subprocess.Popen(
            [sys.executable, "-c", _CHILD, request],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=stderr if stderr is not None else subprocess.DEVNULL,
            close_fds=True,
        )
        try:
            assert child.stdout is not None
            for line in child.stdout:
                event, _, detail = line.decode("utf-8", "replace").rstrip("\n").partition(" ")
                if event == "progress" and progress is not None:
                    progress(LoadProgress(*json.loads(detail)))
                elif event == "done":
                    return child.wait() == 0
            log.error("reading the library in a child process failed (exit code %s)", child.wait())
            return False
        finally:
            stop_children([child])


def child_main() -> None:
    """A child's whole life: `python -c … REQUEST`."""
    from tuireader.index.browse import browse

    request = json.loads(sys.argv[1])
    parent = request["parent"]

    def report(progress: LoadProgress) -> None:
        if os.getppid() != parent:  # the reader quit or was killed
            raise SystemExit(1)
        sys.stdout.write(f"progress {json.dumps(astuple(progress))}\n")
        sys.stdout.flush()

    # The paths as the reader was given them: they name the files in the cache, and to the user.
    library = load_library(request["paths"], progress=report, merge=request["merge"])
    browse(library)  # the whole library's counts, kept for the reader's first list
    sys.stdout.write("done\n")
    sys.stdout.flush()
    # Everything is written: the interpreter's own ending would free the library object by
    # object (a third of a second at 63,700 papers) while the reader waits.
    os._exit(0)
