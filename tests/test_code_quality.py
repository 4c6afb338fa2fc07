"""The package type-checks and the code is linted and formatted, as part of the test run, so the
README's one test command checks them too. Each tool reads its settings from pyproject.toml."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

CHECKS = {
    "mypy": ["-m", "mypy", "--no-color-output", "tuireader"],
    "ruff check": ["-m", "ruff", "check", "."],
    "ruff format": ["-m", "ruff", "format", "--check", "."],
}


@pytest.mark.parametrize("arguments", CHECKS.values(), ids=CHECKS.keys())
def test_the_tool_finds_nothing(arguments):
    result = subprocess.run(
        [sys.executable, *arguments],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "NO_COLOR": "1"},
    )
    output = (result.stdout + result.stderr).strip()
    assert result.returncode == 0, f"{' '.join(arguments[1:])} failed:\n{output}"
