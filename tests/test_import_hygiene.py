"""The corpus, index and citation layers never load Textual: the CLI, benchmarks and tests use them bare."""

from __future__ import annotations

import subprocess
import sys

import pytest

CHECK = """
import importlib, pkgutil, sys
package = importlib.import_module(sys.argv[1])
names = [info.name for info in pkgutil.walk_packages(package.__path__, package.__name__ + ".")]
for name in names:
    importlib.import_module(name)
loaded = sorted(name for name in sys.modules if name == "textual" or name.startswith("textual."))
print(len(names), loaded)
"""


@pytest.mark.parametrize(
    "package", ["tuireader.corpus", "tuireader.index", "tuireader.cite", "tuireader.state"]
)
def test_importing_every_module_leaves_textual_unloaded(package):
    result = subprocess.run(
        [sys.executable, "-c", CHECK, package], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    count, loaded = result.stdout.split(" ", 1)
    assert int(count) > 0
    assert loaded.strip() == "[]"
