"""Shared corpora for the format tests; a test whose corpus is absent is skipped, not failed."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import SHARED_CORPORA


def corpus(name: str) -> Path:
    folder = SHARED_CORPORA / name
    if not folder.is_dir():
        pytest.skip(f"shared corpus {name} is not here")
    return folder


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path
