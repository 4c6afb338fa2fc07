"""The reader in Textual's light theme: a search with its abstract, every label readable (checked
by eye when the snapshot is made; update with `pytest --snapshot-update` after a look change)."""

from __future__ import annotations

from screenshots.make_screenshots import SHOTS
from tests.app.conftest import reader_app


def test_light_theme_search_and_abstract(snap_compare) -> None:
    steps, size = SHOTS["search"]
    assert snap_compare(reader_app(theme="textual-light"), run_before=steps, terminal_size=size)
