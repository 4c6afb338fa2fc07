from __future__ import annotations

import pytest

from tuireader.state import StateStore


@pytest.fixture
def store(tmp_path):
    opened = StateStore.open(tmp_path / "state.sqlite3")
    yield opened
    opened.close()
