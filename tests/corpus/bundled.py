"""The two bundled documents, and their text line by line as the tests read it."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import SEEDS

PUBLICATION_LIST = SEEDS / "000_6aaa16a7ea1c6332.txt"
ARXIV_LISTING = SEEDS / "003_0b352b470a721aad.txt"
SHARED_PAPER = "2501.18837"  # Constitutional Classifiers: in both documents


def line(path: Path, number: int) -> str:
    """Line `number` (1-based) of a bundled document, as written there."""
    return path.read_text(encoding="utf-8").splitlines()[number - 1]


def byline_pairs(text: str) -> list[tuple[str, str]]:
    """`Family, Given, Family, Given` split by hand, to check the reader against."""
    parts = [part.strip() for part in text.split(",")]
    return list(zip(parts[::2], parts[1::2], strict=True))
