"""Running a measured child interpreter: its output and the peak memory of its whole process tree."""

from __future__ import annotations

import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path


def tree_rss_kib(pid: int) -> int:
    """The resident memory of `pid` and all its descendants, 0 once it has gone."""
    total = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            # Every thread's children: the reader starts its worker processes from threads.
            children = [
                child
                for task in Path(f"/proc/{current}/task").iterdir()
                for child in (task / "children").read_text().split()
            ]
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
        pending.extend(int(child) for child in children)
    return total


def run_with_peak(
    command: Sequence[str], environment: Mapping[str, str], folder: Path
) -> tuple[str, str, int, float]:
    """Run `command` to its end: stdout, stderr, exit code, and the tree's peak resident MiB,
    sampled every 20 ms from /proc where there is one."""
    process = subprocess.Popen(
        list(command),
        env=dict(environment),
        cwd=folder,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    peak = [0]

    def sample() -> None:
        while process.poll() is None:
            peak[0] = max(peak[0], tree_rss_kib(process.pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output, errors = process.communicate()
    sampler.join()
    return output, errors, process.returncode, peak[0] / 1024
