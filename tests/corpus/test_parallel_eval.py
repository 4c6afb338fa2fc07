"""Entries evaluated in child processes give exactly what one pass in this process gives: the same
papers, the same problems in the same order with the same lines, the same dependencies."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import acl_slice
from tuireader.corpus import bibtex_evaluation, bibtex_parts
from tuireader.corpus.files import LibraryFile, read_text
from tuireader.corpus.library import load_library
from tuireader.corpus.readers import bibtex
from tuireader.corpus.readers.bibtex_scan import BibScan, scan
from tuireader.corpus.readers.bibtex_values import Definitions


def _scanned(*paths: Path) -> tuple[list[tuple[str, BibScan]], Definitions]:
    scans = []
    for path in paths:
        text, _ = read_text(LibraryFile(path, path.name, path.stat().st_size, 0))
        scans.append((path.name, scan(text, path.name)))
    facts = [bibtex.facts_of(scanned, name, "") for name, scanned in scans]
    by_name = dict(scans)
    return scans, Definitions(facts, lambda name: by_name[name].entries)


def _assert_same_both_ways(paths: list[Path], children: int | None) -> int:
    """Evaluate each file once in one pass and once in parts; return how many papers were compared."""
    compared = 0
    serial_scans, serial_definitions = _scanned(*paths)
    parallel_scans, parallel_definitions = _scanned(*paths)
    for (name, serial_scan), (_, parallel_scan) in zip(serial_scans, parallel_scans, strict=True):
        expected, expected_uses = bibtex.resolve(serial_scan, name, name, serial_definitions)
        found, found_uses = bibtex_evaluation.resolve(
            parallel_scan, name, name, parallel_definitions, children=children
        )
        assert found.records == expected.records
        assert list(found.problems) == list(expected.problems)
        assert found.problems.unlisted == expected.problems.unlisted
        assert found_uses == expected_uses
        compared += len(expected.records)
    return compared


# Macros defined in the other file and late in this one, macros never defined (met first in
# different runs), crossref parents before, after and in other runs, a crossref cycle, fields that
# cannot be read, repeated keys: each of the things a run evaluated apart could get wrong.
_TRICKY = (
    "@inproceedings{{p{n}, title = {{Paper {n}}}, crossref = {{proc{n4}}}, author = {{A, B}}}}",
    '@article{{p{n}, title = "Works " # later # {{ {n} }}, journal = jacm, year = 19{n90:02d}}}',
    "@misc{{p{n}, title = nowhere{n3}, note = other # {{!}}, month = jan}}",
    "@misc{{p{n}, title = {{Open {{ brace}}, author = {{\\'Eva Sm{{\\o}}rgrav and Jo Li}}}}",
    "@misc{{p{n}, title = {{Loop {n}}}, crossref = {{cyc{n2}}}}}",
    "@misc{{p{n50}, title = {{Key used again {n}}}, abstract = {{\\emph{{Big}} $x^2$}}}}",
    "@proceedings{{proc{n4}, title = {{Proceedings \\& More {n}}}, year = 2001, publisher = pub}}",
    "@misc{{p{n}, title = broken # , author = {{Q}}}}",
    "@misc{{p{n}, title = {{Elsewhere}}, crossref = {{outside{n5}}}}}",
)


def _tricky_entry(number: int) -> str:
    template = _TRICKY[number % len(_TRICKY)]
    return (
        template.format(
            n=number,
            n2=number % 2,
            n3=number % 3,
            n4=number % 4,
            n5=number % 5,
            n50=number % 50,
            n90=number % 90,
        )
        + "\n"
    )


@pytest.fixture
def tricky_files(tmp_path: Path) -> list[Path]:
    main = tmp_path / "main.bib"
    entries = [_tricky_entry(number) for number in range(700)]
    cycle = "@misc{cyc0, title = {C0}, crossref = {cyc1}}\n@misc{cyc1, title = {C1}, crossref = {cyc0}}\n"
    main.write_text("".join(entries[:350]) + cycle + "".join(entries[350:]) + "@string{later = {Later}}\n")
    other = tmp_path / "other.bib"
    other.write_text(
        "@string{other = {Other}}\n@string{pub = {Publisher } # other}\n"
        "@proceedings{outside1, title = {Outside One}, publisher = pub}\n"
    )
    return [main, other]


@pytest.mark.parametrize("children", [1, 3])
def test_tricky_files_evaluate_in_parts_as_in_one_pass(tricky_files: list[Path], children: int) -> None:
    assert _assert_same_both_ways(tricky_files, children) > 600


def test_a_slice_of_the_acl_anthology_evaluates_in_parts_as_in_one_pass(tmp_path: Path) -> None:
    path = acl_slice(tmp_path, bibtex_evaluation.PARALLEL_ENTRIES + 500)
    assert _assert_same_both_ways([path], children=None) == bibtex_evaluation.PARALLEL_ENTRIES + 500


def test_a_library_loaded_with_parts_is_the_one_loaded_in_one_pass(
    tricky_files: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bibtex_evaluation, "PARALLEL_ENTRIES", 10)
    in_parts = load_library(tricky_files, cache=False)
    monkeypatch.setattr(bibtex_evaluation, "PARALLEL_ENTRIES", 10**9)
    in_one_pass = load_library(tricky_files, cache=False)
    assert in_parts.papers == in_one_pass.papers
    assert in_parts.problems == in_one_pass.problems
    assert in_parts.unlisted_problems == in_one_pass.unlisted_problems
    assert in_parts.problem_count > 100  # more than a file lists: the count of the rest must agree too


def test_a_child_that_fails_costs_time_not_papers(
    tricky_files: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bibtex_parts, "_CHILD", "raise SystemExit(3)")
    assert _assert_same_both_ways(tricky_files, children=2) > 600
