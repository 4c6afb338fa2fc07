"""Every test gets its own cache, config, data and state folders, so no test sees another's index,
settings or log. Tests that read the shared corpora fail in CI when they are missing (a skipped
test there would hide that nothing real was tested) and are skipped elsewhere."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
SHARED_CORPORA = REPO.parent / "shared" / "corpora"
ACL_ANTHOLOGY = "acl-anthology-2021/anthology+abstracts.bib.gz"


@pytest.fixture(autouse=True)
def isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    return home


def shared_corpus(relative: str) -> Path:
    """A file or folder of the shared corpora; missing: a failure in CI, a skip elsewhere."""
    path = SHARED_CORPORA / relative
    if not path.exists():
        message = f"shared corpus {relative} is not at {SHARED_CORPORA}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


def acl_slice(folder: Path, entries: int) -> Path:
    """The first `entries` entries of the ACL Anthology file, as a .bib file in `folder`: real
    titles, names and abstracts, in a size a test can afford."""
    source = shared_corpus(ACL_ANTHOLOGY)
    target = folder / f"acl-{entries}.bib"
    seen = 0
    with gzip.open(source, "rt", encoding="utf-8") as lines, target.open("w", encoding="utf-8") as out:
        for line in lines:
            if line.startswith("@"):
                seen += 1
                if seen > entries:
                    break
            out.write(line)
    return target
