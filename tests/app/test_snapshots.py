"""SVG snapshots of the reader's main states (update with `pytest --snapshot-update` after a look change)."""

from __future__ import annotations

import pytest

from screenshots.make_screenshots import SHOTS
from tests.app.conftest import reader_app


@pytest.mark.parametrize("name", list(SHOTS))
def test_snapshot(snap_compare, name: str) -> None:
    steps, size = SHOTS[name]
    assert snap_compare(reader_app(), run_before=steps, terminal_size=size)
