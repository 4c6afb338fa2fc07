"""`tuireader check` through the installed entry point."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.formats.corpora import write

TUIREADER = Path(sys.executable).parent / "tuireader"


def check(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(TUIREADER), "check", *args], capture_output=True, text=True, timeout=120)


def test_check_counts_papers_and_files_and_lists_every_skipped_entry(tmp_path):
    write(tmp_path, "good.bib", "@article{a, title = {A}}\n@article{b, title = {B}}\n")
    write(tmp_path, "bad.bib", "@article{c, title = {C}}\n\n@article{d, title = {Never closed\n")
    write(tmp_path, "notes.txt", "a shopping list\n")
    done = check("--corpus", str(tmp_path))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "Read 3 entries from 2 files: 3 papers."
    damaged = "@article “d” is damaged and was skipped: the file ends inside it (truncated?)"
    assert f"  {tmp_path / 'bad.bib'}:3: {damaged}" in lines
    assert f"  {tmp_path / 'notes.txt'}: not in a format tuireader reads; skipped" in lines
    assert "Traceback" not in done.stdout + done.stderr


def test_check_says_when_nothing_could_be_read(tmp_path):
    write(tmp_path, "notes.txt", "a shopping list\n")
    done = check("--corpus", str(tmp_path), "--corpus", str(tmp_path / "missing.bib"))
    assert done.returncode == 2
    assert "Read 0 entries from 0 files" in done.stdout
    assert "missing.bib: no such file or folder" in done.stdout
