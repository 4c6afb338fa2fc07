"""Following the library files while the reader runs.

A `Follower` (tuireader.watching) looks at the files' stamps every two seconds in a worker. When
one changed, the library is loaded again (the parse cache reads only the changed files; a large
library is read in a child process, see reading_apart.py) and the index refreshed in place, both
in that worker; the main screen then swaps them in, keeping its
query, filters and cursor, and closes the old index once no search uses it. A failure is told and
the old library stays; the next change (or Ctrl+R) tries again.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from tuireader.app.reading_apart import load_library_apart
from tuireader.index import SearchEngine
from tuireader.watching import POLL_SECONDS, Changes, Follower

if TYPE_CHECKING:
    from tuireader.app.screens.main import MainScreen

FOLLOW_GROUP = "follow"
log = logging.getLogger(__name__)


def start_following(screen: MainScreen, *, interval: float | None = None) -> Follower:
    """Follow the screen's library files from a worker of the screen's; stop it with `stop()`."""
    reader = screen.reader
    follower = Follower(reader.paths, lambda found: reload(screen, found), interval=interval or POLL_SECONDS)
    worker = screen.run_worker(
        lambda: follower.run(lambda: worker.is_cancelled),
        name="Following the library files",
        group=FOLLOW_GROUP,
        thread=True,
        exit_on_error=False,
    )
    return follower


def reload(screen: MainScreen, found: Changes) -> bool:
    """Load the library and its index again and hand them to the screen (called in the worker).
    False when loading failed: the files are then looked at again on the next change."""
    reader = screen.reader
    try:
        # Apart, as at the first open: the reader would otherwise hold a large library as read.
        library = load_library_apart(reader.paths, merge=reader.settings.merge_duplicates)
    except Exception as error:
        reader.call_from_thread(reader.report_failure, "Reloading the library", error)
        return False
    if not library.papers:
        reader.call_from_thread(
            reader.notify,
            "The library files now hold no papers; the list still shows the last ones read",
            title="Library not reloaded",
            severity="warning",
        )
        return True
    try:
        engine: SearchEngine | None = SearchEngine.open(library)
    except Exception as error:
        log.exception("refreshing the search index failed")
        reader.call_from_thread(reader.report_failure, "Refreshing the search index", error)
        engine = None
    old = reader.call_from_thread(screen.swap_library, library, engine, found)
    if old is not None and old is not engine:
        with screen.engine_lock:  # a search still running on it finishes first
            old.close()
    return True
