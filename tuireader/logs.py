"""The log file: where every failure's traceback goes, whatever the user was shown.

It lives in the user state folder (`~/.local/state/tuireader/tuireader.log` on Linux), rotated at
1 MB. Child processes (the index build's) append their stderr to it, so nothing they print reaches
the terminal the reader draws on.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from platformdirs import user_state_dir

_MAX_BYTES = 1_000_000
_KEPT = 2
_handler: logging.handlers.RotatingFileHandler | None = None
_FORMAT = "%(asctime)s %(process)d %(threadName)s %(levelname)s %(name)s: %(message)s"


def log_path() -> Path:
    return Path(user_state_dir("tuireader")) / "tuireader.log"


def start_logging() -> Path | None:
    """Send tuireader's log records (INFO and up) to the log file; None when it cannot be opened."""
    global _handler
    path = log_path()
    logger = logging.getLogger("tuireader")
    if _handler is not None:
        if _handler.baseFilename == str(path):
            return path
        logger.removeHandler(_handler)  # the state folder moved (tests give each their own)
        _handler.close()
        _handler = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=_MAX_BYTES, backupCount=_KEPT, encoding="utf-8", delay=True
        )
    except OSError:
        return None
    handler.setFormatter(logging.Formatter(_FORMAT))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    _handler = handler
    return path


@contextmanager
def open_log_for_children() -> Iterator[IO[Any] | None]:
    """The log file opened for appending, for a child process's stderr (None: discard it)."""
    try:
        path = log_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        stream = path.open("ab")
    except OSError:
        yield None
        return
    with stream:
        os.set_inheritable(stream.fileno(), False)
        yield stream
