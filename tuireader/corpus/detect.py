"""Choosing a reader by looking at a file's content, never its name."""

from __future__ import annotations

from tuireader.corpus.readers import arxiv_listing, publication_list
from tuireader.corpus.readers.base import Reader

# Most specific first: the first reader whose sniffer accepts the text reads it.
READERS: tuple[Reader, ...] = (
    arxiv_listing.READER,
    publication_list.READER,
)

SNIFF_CHARS = 64 * 1024


def detect(head: str) -> Reader | None:
    """The reader for a file that starts with `head`, or None for an unknown format."""
    return next((reader for reader in READERS if reader.sniff(head)), None)
