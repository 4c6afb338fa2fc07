"""Choosing a reader by looking at a file's content, never its name."""

from __future__ import annotations

from tuireader.corpus.readers import (
    arxiv_listing,
    arxiv_metadata,
    bbt_json,
    bibtex,
    csl_json,
    publication_list,
    ris,
)
from tuireader.corpus.readers.base import Reader

# Most specific first: the first reader whose sniffer accepts the text reads it. The structured
# formats announce themselves in their first lines; the two plain-text ones are looser.
READERS: tuple[Reader, ...] = (
    bbt_json.READER,
    arxiv_metadata.READER,
    csl_json.READER,
    ris.READER,
    bibtex.READER,
    arxiv_listing.READER,
    publication_list.READER,
)

SNIFF_CHARS = 64 * 1024


def detect(head: str) -> Reader | None:
    """The reader for a file that starts with `head`, or None for an unknown format."""
    return next((reader for reader in READERS if _claims(reader, head)), None)


def _claims(reader: Reader, head: str) -> bool:
    # A sniffer is a guess about text that may be anything at all: one that cannot make sense of
    # a head (too deeply nested to parse, say) does not claim it, and the next one is asked.
    try:
        return reader.sniff(head)
    except Exception:
        return False
