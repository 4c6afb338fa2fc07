"""A real, non-editable install reads the bundled corpus from wherever it is run."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys

import pytest

from tests.conftest import REPO


def pip(*args: str, cwd=None) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pip", *args], capture_output=True, text=True, cwd=cwd, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A folder holding tuireader installed from a wheel of this repository."""
    wheels = tmp_path_factory.mktemp("wheels")
    target = tmp_path_factory.mktemp("site")
    # With hatchling at hand the wheel builds offline; otherwise pip fetches it for an isolated build.
    isolation = [] if importlib.util.find_spec("hatchling") is None else ["--no-build-isolation"]
    pip("wheel", "--no-deps", *isolation, "--wheel-dir", str(wheels), str(REPO), cwd=wheels)
    [wheel] = wheels.glob("tuireader-*.whl")
    pip("install", "--no-deps", "--no-compile", "--target", str(target), str(wheel))
    return target


def run_installed(target, *args: str, cwd) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONPATH": str(target)}
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, encoding="utf-8", cwd=cwd, env=environment
    )


def test_installed_package_reads_the_bundled_corpus(installed, tmp_path):
    result = run_installed(installed, "-m", "tuireader", "list", "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    papers = json.loads(result.stdout)
    assert len(papers) == 18
    assert {source.split(":")[0] for paper in papers for source in paper["sources"]} == {
        "seeds/000_6aaa16a7ea1c6332.txt",
        "seeds/003_0b352b470a721aad.txt",
    }


def test_the_installed_copy_is_the_one_imported(installed, tmp_path):
    code = (
        "import tuireader, tuireader.corpus.library as lib; print(tuireader.__file__, *lib.bundled_paths())"
    )
    result = run_installed(installed, "-c", code, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    package_file, *seeds = result.stdout.split()
    assert package_file == str(installed / "tuireader" / "__init__.py")
    assert seeds == [
        str(installed / "tuireader" / "seeds" / name)
        for name in ("000_6aaa16a7ea1c6332.txt", "003_0b352b470a721aad.txt")
    ]
