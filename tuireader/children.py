"""Child processes that do a share of the work (scanning BibTeX parts, writing index parts).

They are plain interpreters started with `subprocess`, never multiprocessing's workers: the reader
runs under Textual, whose `sys.stderr` has no file descriptor, and multiprocessing's resource
tracker cannot start there.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable


def stop_children(children: Iterable[subprocess.Popen[bytes]]) -> None:
    """End the children still running, wait for all of them and close their pipes."""
    children = list(children)
    for child in children:
        if child.poll() is None:
            child.kill()
    for child in children:
        child.wait()
        for stream in (child.stdin, child.stdout):
            if stream is not None:
                stream.close()
