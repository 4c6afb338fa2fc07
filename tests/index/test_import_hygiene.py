"""The index layer never loads Textual: the CLI, benchmarks and tests use it without the app."""

from __future__ import annotations

import subprocess
import sys

CHECK = """
import importlib, pkgutil, sys
import tuireader.index as package
names = [info.name for info in pkgutil.walk_packages(package.__path__, "tuireader.index.")]
for name in names:
    importlib.import_module(name)
print(len(names), sorted(m for m in sys.modules if m == "textual" or m.startswith("textual.")))
"""


def test_importing_every_index_module_leaves_textual_out() -> None:
    result = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    count, loaded = result.stdout.split(" ", 1)
    assert int(count) >= 10
    assert loaded.strip() == "[]"
