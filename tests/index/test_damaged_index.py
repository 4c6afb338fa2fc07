"""Damaged index state heals: every kind of file of a generation truncated, flipped or deleted;
the pointer or the lock replaced by a folder; the cache folder replaced by a file; a disk that
fills up during a build; leftovers of killed builds and old generations. After each, opening
gives the same results as a fresh index (or one clear error), never a traceback and never a
silent "no results". Real index files, real processes, a real file-size limit; no mocks."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest

from tests.conftest import REPO, acl_slice
from tuireader.corpus.library import Library, load_library
from tuireader.index import SearchEngine, opening
from tuireader.index.location import IndexDamaged, IndexHome, read_manifest

PAPERS = 150
QUERY = "language"

# Every kind of file a generation folder holds, by the pattern of its name, and what opening
# the index takes once that file is damaged: a rebuild, or (for what can be redone from the
# rest) the index as it is.
KINDS = {
    "postings": ("MAIN_*.pst", "built"),
    "terms": ("MAIN_*.trm", "built"),
    "stored fields": ("MAIN_*._stored.col", "built"),
    "title lengths": ("MAIN_*._title_len.col", "built"),
    "abstract lengths": ("MAIN_*._abstract_len.col", "built"),
    "author lengths": ("MAIN_*._author_len.col", "built"),
    "venue lengths": ("MAIN_*._venue_len.col", "built"),
    "venue name lengths": ("MAIN_*._venue_name_len.col", "built"),
    "words lengths": ("MAIN_*._words_len.col", "built"),
    "year lengths": ("MAIN_*._year_len.col", "built"),
    "id lengths": ("MAIN_*._id_len.col", "built"),
    "spelling lengths": ("MAIN_*._spelling_len.col", "built"),
    "word pair lengths": ("MAIN_*._pairs_len.col", "built"),
    "table of contents": ("_MAIN_*.toc", "built"),
    "manifest": ("manifest.txt", "built"),
    "vocabulary": ("vocabulary.bin", "built"),
    "format": ("format.txt", "built"),
    "side file": ("side-*.bin", "opened"),  # rebuilt from the facts stored in the index
    "signature": ("signature.txt", "opened"),  # only saves hashing the papers
    "in-use lock": ("in-use", "opened"),  # holds no data
}
DAMAGES = ("truncated", "flipped", "deleted")


def _library(bib: Path) -> Library:
    return load_library([str(bib)], cache=False)


def _ids(engine: SearchEngine, query: str = QUERY) -> list[str]:
    return list(engine.search(query, limit=None).ids)


def _damage(path: Path, how: str) -> None:
    data = path.read_bytes()
    if how == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif how == "flipped":
        middle = len(data) // 2
        flipped = bytes(byte ^ 0xFF for byte in data[middle : middle + 8])
        path.write_bytes(data[:middle] + flipped + data[middle + 8 :])
    else:
        path.unlink()


def _home(root: Path) -> IndexHome:
    (folder,) = [entry for entry in root.iterdir() if entry.is_dir()]
    return IndexHome(folder)


@pytest.fixture(scope="module")
def bib(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return acl_slice(tmp_path_factory.mktemp("library"), PAPERS)


@pytest.fixture(scope="module")
def fresh_ids(bib: Path, tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    with SearchEngine.open(_library(bib), cache_dir=tmp_path_factory.mktemp("fresh")) as engine:
        ids = _ids(engine)
    assert len(ids) > 10  # the comparisons below say little about a query that finds nothing
    return ids


@pytest.fixture(scope="module")
def built(bib: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of the library, built once; each test damages a copy of it."""
    root = tmp_path_factory.mktemp("built")
    SearchEngine.open(_library(bib), cache_dir=root).close()
    return root


@pytest.fixture
def copy(built: Path, tmp_path: Path) -> tuple[Path, IndexHome]:
    root = tmp_path / "index"
    shutil.copytree(built, root)
    return root, _home(root)


def test_the_kinds_listed_are_every_file_of_a_generation(copy: tuple[Path, IndexHome]) -> None:
    _, home = copy
    folder = home.current()
    assert folder is not None
    files = {entry.name for entry in folder.iterdir() if entry.is_file()}
    matched = {name for name in files for pattern, _ in KINDS.values() if Path(name).match(pattern)}
    assert files == matched
    assert all(list(folder.glob(pattern)) for pattern, _ in KINDS.values())


@pytest.mark.parametrize("damage", DAMAGES)
@pytest.mark.parametrize("kind", KINDS)
def test_a_damaged_file_is_noticed_at_open_and_healed(
    open_engine,
    bib: Path,
    fresh_ids: list[str],
    copy: tuple[Path, IndexHome],
    kind: str,
    damage: str,
    monkeypatch,
) -> None:
    # Every file is checked whole at open here; large ones checked later have their own test.
    monkeypatch.setattr(opening, "CHECKED_AT_OPEN", 1 << 40)
    root, home = copy
    pattern, action = KINDS[kind]
    folder = home.current()
    assert folder is not None
    (target,) = folder.glob(pattern)
    _damage(target, damage)

    healed = open_engine(_library(bib), cache_dir=root)
    assert healed.action == action
    assert _ids(healed) == fresh_ids
    again = open_engine(_library(bib), cache_dir=root)
    assert again.action == "opened"
    assert _ids(again) == fresh_ids
    generations = [entry for entry in home.folder.iterdir() if entry.name.startswith("gen-")]
    assert generations == [home.current()]


def test_the_pointer_replaced_by_a_folder(
    open_engine, bib: Path, fresh_ids: list[str], copy: tuple[Path, IndexHome]
) -> None:
    root, home = copy
    pointer = home.folder / "CURRENT"
    pointer.unlink()
    (pointer / "inside").mkdir(parents=True)
    engine = open_engine(_library(bib), cache_dir=root)
    assert engine.action == "built"
    assert _ids(engine) == fresh_ids
    assert pointer.is_file() and home.current() == engine.folder
    assert open_engine(_library(bib), cache_dir=root).action == "opened"


def test_the_lock_replaced_by_a_folder(
    open_engine, bib: Path, fresh_ids: list[str], copy: tuple[Path, IndexHome]
) -> None:
    root, home = copy
    lock = home.folder / "lock"
    lock.unlink()
    (lock / "inside").mkdir(parents=True)
    engine = open_engine(_library(bib), cache_dir=root)
    assert engine.action == "opened"
    assert _ids(engine) == fresh_ids
    assert lock.is_file()


def test_damage_met_by_a_search_is_reported_and_healed_at_the_next_open(
    open_engine, bib: Path, fresh_ids: list[str], copy: tuple[Path, IndexHome]
) -> None:
    root, _ = copy
    engine = open_engine(_library(bib), cache_dir=root)
    assert _ids(engine) == fresh_ids
    (postings,) = engine.folder.glob("*.pst")
    data = bytearray(postings.read_bytes())
    for position in range(16, len(data)):  # the same file, overwritten where it lies
        data[position] ^= 0x5A
    with postings.open("r+b") as stream:
        stream.write(data)
    engine.clear_caches()

    with pytest.raises(IndexDamaged) as raised:
        engine.search(QUERY)
    message = str(raised.value)
    assert "\n" not in message and "damaged" in message and str(engine.folder) in message
    with pytest.raises(IndexDamaged):  # and every later search: never "no results"
        engine.search("translation")
    assert read_manifest(engine.folder) is None  # marked for the next open

    healed = open_engine(_library(bib), cache_dir=root)
    assert healed.action == "built"
    assert _ids(healed) == fresh_ids


def test_damage_in_a_large_file_is_found_in_the_background(
    open_engine, bib: Path, fresh_ids: list[str], copy: tuple[Path, IndexHome], monkeypatch
) -> None:
    """Large segment files are only checked by size at open; their checksums are compared once
    the engine is open. Here every segment file counts as large."""
    monkeypatch.setattr(opening, "CHECKED_AT_OPEN", 0)
    root, home = copy
    folder = home.current()
    assert folder is not None
    (terms,) = folder.glob("*.trm")
    _damage(terms, "flipped")  # same size: opening cannot tell

    engine = open_engine(_library(bib), cache_dir=root)
    assert engine.action == "opened"
    assert engine.wait_until_checked(timeout=60)
    with pytest.raises(IndexDamaged, match="trm"):
        engine.search(QUERY)
    healed = open_engine(_library(bib), cache_dir=root)
    assert healed.action == "built"
    assert _ids(healed) == fresh_ids
    assert healed.wait_until_checked(timeout=60)
    assert _ids(healed) == fresh_ids  # its own check found nothing


# The cache folder replaced by a file: the commands still work, the index kept under the
# temporary directory (reused by the next command).


def _tuireader(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "tuireader", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if check:
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
    return result


def _search_ids(bib: Path) -> list[str]:
    result = _tuireader("--corpus", str(bib), "search", QUERY, "--limit", "0", "--json")
    return [hit["id"] for hit in json.loads(result.stdout)["results"]]


@pytest.mark.parametrize("replaced", ["XDG_CACHE_HOME/tuireader", "XDG_CACHE_HOME"])
def test_the_cache_folder_replaced_by_a_file(
    bib: Path, fresh_ids: list[str], tmp_path: Path, monkeypatch, replaced: str
) -> None:
    cache = Path(os.environ["XDG_CACHE_HOME"])
    blocked = cache / "tuireader" if replaced.endswith("tuireader") else cache
    blocked.parent.mkdir(parents=True, exist_ok=True)
    blocked.write_text("not a folder\n")
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setenv("TMPDIR", str(temporary))

    assert _search_ids(bib) == fresh_ids
    index = _tuireader("--corpus", str(bib), "index")
    assert "up to date" in index.stderr  # the index the search built, found again
    assert str(temporary) in index.stderr
    assert blocked.read_text() == "not a folder\n"  # nobody's file is removed


def test_the_cache_folder_replaced_by_a_file_in_process(
    open_engine, bib: Path, fresh_ids: list[str], tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    blocked = tmp_path / "cache"
    blocked.write_text("not a folder\n")
    engine = open_engine(_library(bib), cache_dir=blocked / "index")
    assert _ids(engine) == fresh_ids
    assert engine.notice is not None and "\n" not in engine.notice
    assert str(blocked) in engine.notice and str(tmp_path / "tmp") in engine.notice
    assert tmp_path / "tmp" in engine.folder.parents
    assert open_engine(_library(bib), cache_dir=blocked / "index").action == "opened"


# A full disk during a build, for real: a child process whose files cannot grow past a limit
# (writes past it fail with EFBIG, SIGXFSZ being ignored), and the index processes it starts too.

_LIMITED_OPEN = textwrap.dedent(
    """
    import resource, signal, sys
    from pathlib import Path

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (int(sys.argv[3]), int(sys.argv[3])))
    sys.path.insert(0, sys.argv[4])
    from benchmarks.synthetic import synthetic_library
    from tuireader.corpus.library import load_library
    from tuireader.index import SearchEngine
    from tuireader.index.location import IndexUnavailable

    if __name__ == "__main__":
        source = sys.argv[1]
        if source.startswith("synthetic:"):
            library, workers = synthetic_library(int(source.split(":")[1])), 2
        else:
            library, workers = load_library([source], cache=False), 1
        try:
            engine = SearchEngine.open(library, cache_dir=Path(sys.argv[2]), workers=workers)
        except IndexUnavailable as error:
            print("unavailable", error)
        else:
            print("opened", engine.action)
    """
)


def _open_with_file_limit(tmp_path: Path, source: str, root: Path, limit: int) -> str:
    script = tmp_path / "limited_open.py"
    script.write_text(_LIMITED_OPEN)
    result = subprocess.run(
        [sys.executable, str(script), source, str(root), str(limit), str(REPO)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


def _leftovers(home: IndexHome) -> list[str]:
    return sorted(
        entry.name
        for entry in home.folder.iterdir()
        if entry.name.startswith("building-") or entry.name.endswith(".tmp")
    )


def _edited(bib: Path, tmp_path: Path, every: int) -> Path:
    """The library with every `every`-th title changed, as a file of its own."""
    text = bib.read_text(encoding="utf-8")
    entries = text.split("\n@")
    for number in range(1, len(entries), every):
        entries[number] = entries[number].replace('title = "', 'title = "Zebra ', 1)
    edited = tmp_path / "edited.bib"
    edited.write_text("\n@".join(entries), encoding="utf-8")
    return edited


def _rewrite(library_file: Path, text: str) -> None:
    """A library file rewritten in place, its time moved on (as an editor saving it would)."""
    library_file.write_text(text, encoding="utf-8")
    status = library_file.stat()
    os.utime(library_file, ns=(status.st_atime_ns, status.st_mtime_ns + 2_000_000_000))


def _edited(text: str, every: int) -> str:
    """The library with the title of every `every`-th entry changed."""
    entries = text.split("\n@")
    for number in range(1, len(entries), every):
        entries[number] = entries[number].replace('title = "', 'title = "Zebra ', 1)
    return "\n@".join(entries)


@pytest.mark.parametrize("change", ["rebuild", "refresh"])
def test_a_full_disk_leaves_the_previous_index_usable(
    open_engine, bib: Path, fresh_ids: list[str], tmp_path: Path, change: str
) -> None:
    library_file = tmp_path / "library.bib"
    original = bib.read_text(encoding="utf-8")
    library_file.write_text(original, encoding="utf-8")
    root = tmp_path / "index"
    open_engine(_library(library_file), cache_dir=root).close()
    home = _home(root)
    before = home.current()
    assert before is not None
    edited = _edited(original, every=1 if change == "rebuild" else 40)
    _rewrite(library_file, edited)

    # Past 32 kB nothing can grow: a new generation's postings cannot be written, and a refresh
    # gets as far as its Whoosh commit (about 27 kB of postings here) but not its side file.
    output = _open_with_file_limit(tmp_path, str(library_file), root, 32 * 1024)
    (line,) = output.splitlines()
    assert line.startswith(f"unavailable no room to write the search index in {home.folder} ")
    assert line.endswith("(File too large)")
    assert home.current() == before
    assert _leftovers(home) == []
    assert [entry for entry in home.folder.iterdir() if entry.name.startswith("gen-")] == [before]

    _rewrite(library_file, original)  # the library the previous index is of: used as it is
    previous = open_engine(_library(library_file), cache_dir=root)
    assert (previous.action, previous.folder) == ("opened", before)
    assert _ids(previous) == fresh_ids

    _rewrite(library_file, edited)  # with room again, the change goes through
    changed = open_engine(_library(library_file), cache_dir=root)
    assert changed.action == ("built" if change == "rebuild" else "refreshed")
    fresh = open_engine(_library(library_file), cache_dir=tmp_path / "fresh", rebuild=True)
    assert _ids(changed) == _ids(fresh)
    assert _ids(changed, "zebra") == _ids(fresh, "zebra") != []


def test_a_full_disk_in_the_build_processes_is_one_line(tmp_path: Path) -> None:
    root = tmp_path / "index"
    output = _open_with_file_limit(tmp_path, "synthetic:2100", root, 64 * 1024)  # built in parts
    (line,) = output.splitlines()
    assert line.startswith("unavailable no room to write the search index in ")
    assert line.endswith("(File too large)")
    home = _home(root)
    assert _leftovers(home) == []
    assert home.current() is None


# Leftovers: builds whose process is gone, generations nobody uses, half-made pointers. Never
# what a live process still uses: the generation it searches, the build it writes.

_SEARCHING = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from tuireader.corpus.library import load_library
    from tuireader.index import SearchEngine

    if __name__ == "__main__":
        engine = SearchEngine.open(load_library([sys.argv[1]], cache=False), cache_dir=Path(sys.argv[2]))
        print(engine.folder, flush=True)
        for line in sys.stdin:
            print(engine.search(line.strip()).total, flush=True)
    """
)


def test_leftovers_are_removed_but_not_what_a_live_process_uses(
    open_engine, bib: Path, fresh_ids: list[str], tmp_path: Path
) -> None:
    root = tmp_path / "index"
    script = tmp_path / "searching.py"
    script.write_text(_SEARCHING)
    searching = subprocess.Popen(
        [sys.executable, str(script), str(bib), str(root)],
        cwd=REPO,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert searching.stdout is not None and searching.stdin is not None
        in_use = Path(searching.stdout.readline().strip())
        home = _home(root)
        gone = subprocess.Popen([sys.executable, "-c", "pass"])  # a process id nobody has now
        gone.wait()
        killed_build = home.folder / f"building-{gone.pid}-0a1b2c3d"
        killed_build.mkdir()
        (killed_build / "MAIN_x.pst").write_bytes(b"half")
        live_build = home.folder / f"building-{searching.pid}-0a1b2c3d"
        live_build.mkdir()
        unused = home.folder / "gen-0123456789ab"
        unused.mkdir()
        (unused / "MAIN_x.pst").write_bytes(b"old")
        half_pointer = home.folder / f"CURRENT.{gone.pid}.tmp"
        half_pointer.write_text("gen-0123456789ab\n")

        rebuilt = open_engine(_library(bib), cache_dir=root, rebuild=True)
        assert rebuilt.folder != in_use
        assert _ids(rebuilt) == fresh_ids
        assert not killed_build.exists() and not unused.exists() and not half_pointer.exists()
        assert in_use.is_dir() and live_build.is_dir()

        searching.stdin.write(f"{QUERY}\n")
        searching.stdin.flush()
        assert int(searching.stdout.readline()) == len(fresh_ids)  # its generation is whole
    finally:
        if searching.stdin is not None:
            searching.stdin.close()
        searching.wait(timeout=60)
    assert searching.returncode == 0

    open_engine(_library(bib), cache_dir=root)  # nobody uses them now
    assert not in_use.exists() and not live_build.exists()
    assert [entry.name for entry in home.folder.iterdir() if entry.is_dir()] == [rebuilt.folder.name]
