"""Reading a library's BibTeX files together: one file's `@string` macros and crossref parents
serve the others, as they would in `\\bibliography{a,b,c}`.

A cached file stays valid while every macro and parent it used still resolves to the same
definition; otherwise, and for files parsed this time, its entries are evaluated again.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from tuireader.corpus import bibtex_evaluation
from tuireader.corpus.bibtex_parts import scan_file
from tuireader.corpus.cache import FileResult, ParseCache
from tuireader.corpus.files import LibraryFile
from tuireader.corpus.model import Problem
from tuireader.corpus.problem_log import ProblemLog
from tuireader.corpus.readers import bibtex
from tuireader.corpus.readers.bibtex_scan import BibScan, RawEntry
from tuireader.corpus.readers.bibtex_values import BibFileFacts, Definitions

if TYPE_CHECKING:
    from tuireader.corpus.library import _Tracker


def _scan_again(file: LibraryFile) -> BibScan:
    try:
        return scan_file(file)
    except OSError as error:
        return BibScan(problems=ProblemLog([Problem(file.shown, f"cannot read: {error.strerror or error}")]))


def _still_valid(result: FileResult, definitions: Definitions) -> bool:
    return all(
        definitions.token(kind, home, name) == token for kind, home, name, token in result.dependencies
    )


def link_bibtex(
    files: Sequence[LibraryFile],
    results: dict[int, FileResult],
    scans: dict[int, BibScan],
    cache: ParseCache | None,
    tracker: _Tracker,
    share: float,
) -> dict[int, FileResult]:
    """Results for the BibTeX files that were scanned, or whose cached result no longer holds."""
    indexes = sorted(set(scans) | {i for i, result in results.items() if result.bib_facts is not None})
    if not indexes:
        return {}
    facts: dict[int, BibFileFacts] = {}
    for index in indexes:
        file = files[index]
        cached_facts = results[index].bib_facts if index in results else None
        facts[index] = cached_facts or bibtex.facts_of(scans[index], file.file_id, file.signature)
    index_of = {files[index].file_id: index for index in indexes}

    def entries_of(file_id: str) -> Sequence[RawEntry]:
        index = index_of[file_id]
        if index not in scans:  # an unchanged file lending a parent to a changed one
            scans[index] = _scan_again(files[index])
        return scans[index].entries

    definitions = Definitions([facts[index] for index in indexes], entries_of)
    to_resolve = [index for index in indexes if index in scans]
    for index in indexes:
        if index in results and index not in scans:
            if _still_valid(results[index], definitions):
                tracker.advance(files[index], share)
            else:
                to_resolve.append(index)
    updated: dict[int, FileResult] = {}
    for index in sorted(to_resolve):
        file = files[index]
        if index not in scans:
            scans[index] = _scan_again(file)
        read, dependencies = bibtex_evaluation.resolve(
            scans[index], file.file_id, file.shown, definitions, tracker.within(file, share)
        )
        updated[index] = FileResult(
            bibtex.READER.name, read.records, read.problems, facts[index], dependencies
        )
        if cache is not None:
            cache.store(file, updated[index])
        tracker.advance(file, share)
    return updated
