"""Shared corpora for the format tests (see tests/conftest.py for when a missing one fails)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import shared_corpus


def corpus(name: str) -> Path:
    return shared_corpus(name)


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path
