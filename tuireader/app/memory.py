"""Keeping the cycle collector's long passes out of the way of typing.

The library's papers, the index's tables and the app's widgets live as long as the reader does, yet
each full pass of the cycle collector walks them all again: over half a second at 60,000 papers
(measured under the typing benchmark), and the screen stops mid-keystroke while it runs. Once they
exist they are frozen, out of the collector's sight; refcounting still frees a frozen object that
nothing refers to, so a library read again does not stay in memory for that. What a search leaves
behind (its results and facet counts) still makes full passes take tens of milliseconds, so they
wait for a pause in typing (`collect_when_idle`) instead of falling on whichever keystroke is due.
"""

from __future__ import annotations

import gc

# Below this, a full pass is too short to see; tests and small libraries keep the usual collector.
LARGE_LIBRARY = 5_000
# As many passes of the middle generation as the collector's own default waits for a full pass.
FULL_PASS_AFTER = 10
_HELD = 1 << 30  # a full-pass threshold never reached: the collector does not start one itself


def settle_long_lived(papers: int) -> bool:
    """Freeze every object alive now and leave full passes to `collect_when_idle`; True when it did."""
    if papers < LARGE_LIBRARY:
        return False
    gc.freeze()
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, _HELD)
    return True


def collect_when_idle() -> bool:
    """A full pass, when one is held back and due; True when it ran."""
    if gc.get_threshold()[2] != _HELD or gc.get_count()[2] < FULL_PASS_AFTER:
        return False
    gc.collect()
    return True
