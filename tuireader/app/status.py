"""The main screen's status line, as one plain function of what the screen shows."""

from __future__ import annotations

from collections.abc import Mapping

from tuireader.state import StateFilter


def status_line(
    *,
    shown: int | None,
    papers: int,
    files: int,
    indexing: str,
    sort: str,
    authors: tuple[str, ...],
    people: Mapping[str, str],
    years: tuple[int, int] | None,
    state_filter: StateFilter,
    venues: tuple[str, ...] = (),
    marked: int,
) -> str:
    """`12 of 18 papers from 3 files · sorted by year · author: Mu, Jesse · x clears filters`."""
    from_files = f"from {files:,} file{'s' if files != 1 else ''}"
    # Before the first results, say what is coming rather than "0 of" a library that has papers.
    count = f"{papers:,} papers" if shown is None else f"{shown:,} of {papers:,} papers"
    parts = [f"{count} {from_files}" + (" (listing…)" if shown is None else "")]
    if indexing:
        parts.append(indexing)
    parts.append(f"sorted by {sort}")
    parts += [f"author: {people.get(key, key.split('|')[0])}" for key in authors]
    if years:
        first, last = years
        parts.append(f"year: {first}" if first == last else f"years: {first}–{last}")
    if venues:
        parts.append(f"venue{'s' if len(venues) > 1 else ''}: {' or '.join(venues)}")
    if state_filter:
        parts.append(f"only {state_filter.describe()}")
    if marked:
        parts.append(f"{marked} marked")
    if authors or years or venues:
        parts.append("x clears filters")
    return " · ".join(parts)
