"""`tuireader cite` and `tuireader export`, run through the installed entry point."""

from __future__ import annotations

import os
import subprocess
import sys
import types
from pathlib import Path

import bibtexparser
import pytest

from tests.conftest import REPO
from tuireader.cli.cite_commands import matching_papers
from tuireader.corpus.library import load_library

ENTRY_POINT = Path(sys.executable).with_name("tuireader.exe" if os.name == "nt" else "tuireader")


def tuireader(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    if not ENTRY_POINT.exists():
        pytest.skip("the tuireader entry point is not installed next to this Python")
    return subprocess.run(
        [str(ENTRY_POINT), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        cwd=REPO,
        env=env,
    )


def test_cite_prints_bibtex_by_default() -> None:
    result = tuireader("cite", "mucompositional")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(
        "@misc{mucompositional,\n"
        "  title    = {Compositional Explanations of Neurons},\n"
        "  author   = {Mu, Jesse and Andreas, Jacob},\n"
        "  abstract = {We describe a procedure for explaining neurons"
    )
    assert result.stdout.endswith("}\n}\n")


def test_cite_in_a_chosen_style_accepts_arxiv_ids_in_any_form() -> None:
    result = tuireader("cite", "arXiv:2409.12822v2", "--style", "APA")
    assert result.returncode == 0, result.stderr
    assert (
        result.stdout
        == "[Untitled preprint] (arXiv:2409.12822). (2024). arXiv. https://arxiv.org/abs/2409.12822\n"
    )


def test_an_unknown_style_lists_the_valid_names() -> None:
    result = tuireader("cite", "mucompositional", "--style", "harvard")
    assert result.returncode == 2
    assert "no citation style “harvard” (choose from bibtex, biblatex, apa, mla, chicago, ieee, plain" in (
        result.stderr
    )
    assert result.stdout == ""


def test_an_unknown_paper_is_reported() -> None:
    result = tuireader("cite", "nosuchpaper")
    assert result.returncode == 1
    assert "no paper with id “nosuchpaper”" in result.stderr


def test_a_style_that_cannot_cite_the_paper_says_why() -> None:
    result = tuireader("cite", "mucompositional", "--style", "arxiv-url")
    assert result.returncode == 1
    assert result.stderr == "tuireader: mucompositional is not on arXiv, so it has no arXiv URL\n"


def test_help_lists_every_style_with_its_label() -> None:
    result = tuireader("cite", "--help")
    assert result.returncode == 0
    assert "apa        APA (7th ed.)" in result.stdout
    assert "arxiv-url  arXiv URL" in result.stdout


def test_export_writes_every_paper_as_a_valid_bib_file(tmp_path) -> None:
    target = tmp_path / "library.bib"
    result = tuireader("export", "-o", str(target))
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr == f"tuireader: wrote BibTeX entries of 18 papers to {target}\n"
    parsed = bibtexparser.parse_string(target.read_text(encoding="utf-8"))
    assert parsed.failed_blocks == []
    assert len(parsed.entries) == 18


def test_export_in_a_style_to_standard_output() -> None:
    result = tuireader("export", "--style", "cite")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("\\cite{jonesforecasting,sharma2025constitutional,")
    assert result.stdout.endswith(",anon2022}\n")


def test_export_leaves_out_and_names_papers_the_style_cannot_cite() -> None:
    result = tuireader("export", "--style", "arxiv-url")
    assert result.returncode == 0
    assert len(result.stdout.splitlines()) == 10
    assert "left out 8 of 18 papers the arXiv URL style cannot cite: jonesforecasting," in result.stderr


def test_export_cannot_write_to_a_missing_folder(tmp_path) -> None:
    result = tuireader("export", "-o", str(tmp_path / "missing" / "x.bib"))
    assert result.returncode == 2
    assert "cannot write" in result.stderr


def test_copy_without_any_clipboard_still_prints_and_explains(tmp_path) -> None:
    env = {"PATH": str(tmp_path), "HOME": str(tmp_path), "LANG": "C.UTF-8"}
    result = tuireader("cite", "muemergent", "--style", "key", "--copy", env=env)
    assert result.stdout == "muemergent\n"
    assert result.returncode == 3
    assert result.stderr == (
        "tuireader: Could not copy citation key of “Emergent Communication of Generalizations” — "
        "terminal: output is not a terminal; "
        "system clipboard: no display server (DISPLAY and WAYLAND_DISPLAY are not set)\n"
    )
    assert "\x1b]52" not in result.stdout  # a pipe never receives the OSC 52 sequence


def _engine_module(ranked_ids: list[str]) -> types.ModuleType:
    """A stand-in for `tuireader.index` with the API the search engine promises."""

    class Results:
        ids = ranked_ids

    class SearchEngine:
        @classmethod
        def open(cls, library):
            return cls()

        def search(self, query, limit=None, typing=True):
            assert limit is None and not typing  # a query given whole
            return Results()

    module = types.ModuleType("tuireader.index")
    module.SearchEngine = SearchEngine
    return module


def test_export_of_a_query_keeps_the_search_engines_order(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "tuireader.index", _engine_module(["muemergent", "2409.12822", "gone"]))
    library = load_library()
    assert [paper.id for paper in matching_papers(library, "anything")] == ["muemergent", "2409.12822"]
    assert len(matching_papers(library, None)) == 18


def test_export_of_a_query_without_a_search_engine_says_so(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "tuireader.index", types.ModuleType("tuireader.index"))
    with pytest.raises(LookupError, match="searching is not available"):
        matching_papers(load_library(), "sleeper")
