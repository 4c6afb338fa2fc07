"""Hostile files and folders: each costs one problem line naming it (and its line where it has
one), everything else still loads, nothing raises, hangs or fills memory.

Reads that could block forever run in a child process with a timeout, so a hang fails the test
instead of freezing the suite.
"""

from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
import sys
import textwrap
import tracemalloc
import zlib
from pathlib import Path

import pytest

from tuireader.corpus import files
from tuireader.corpus.files import LibraryFile, RefusedFile, library_files, read_text
from tuireader.corpus.library import load_library

ENTRIES = {
    "alpha": "@article{alpha,\n  title = {Alpha Paper},\n  author = {Smith, Jane},\n  year = {2020},\n}\n",
    "beta": "@article{beta,\n  title = {Beta Paper},\n  author = {Doe, John},\n  year = {2021},\n}\n",
    "gamma": "@article{gamma,\n  title = {Gamma Paper},\n  author = {Roe, Richard},\n  year = {2022},\n}\n",
}
GOOD_BIB = "\n".join(ENTRIES.values())
GOOD_TITLES = ["Alpha Paper", "Beta Paper", "Gamma Paper"]
DEEP = 100_000
NOBODY = 65534
LIMIT_MB = files.MAX_FILE_BYTES // (1024 * 1024)


def good_library(folder: Path) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "good.bib").write_text(GOOD_BIB, encoding="utf-8")
    return folder


def titles(library) -> list[str]:
    return sorted(paper.title for paper in library.papers)


def problems_of(library) -> dict[str, str]:
    """Each problem's `path[:line]`, mapped to its message; two problems for one place fail."""
    found = {}
    for problem in library.problems:
        where = f"{problem.path}:{problem.line}" if problem.line else problem.path
        assert where not in found, [str(p) for p in library.problems]
        found[where] = problem.message
    return found


def run_check(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """`tuireader check` in a child process, checked to have run cleanly."""
    done = subprocess.run(
        [sys.executable, "-m", "tuireader", "check", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        timeout=60,
    )
    assert "Traceback" not in done.stdout + done.stderr, done.stderr
    assert done.returncode in (0, 2), done.stderr
    return done


def check(*args: str, cwd: Path | None = None) -> list[str]:
    """The output lines of `tuireader check`."""
    return run_check(*args, cwd=cwd).stdout.splitlines()


def reported(lines: list[str]) -> list[str]:
    """The problem lines of `check`'s output, without their indent."""
    return [line.strip() for line in lines if line.startswith("  ")]


def streamed_gzip(path: Path, start: bytes, filler: bytes, total: int) -> Path:
    """`start`, then `filler` over and over up to `total` bytes, compressed as it is made."""
    compressor = zlib.compressobj(1, zlib.DEFLATED, 31)
    block = filler * (1024 * 1024 // len(filler))
    with path.open("wb") as stream:
        stream.write(compressor.compress(start))
        for _ in range(total // len(block) + 1):
            stream.write(compressor.compress(block))
        stream.write(compressor.flush())
    return path


# Deeply nested JSON -------------------------------------------------------------------------------


def test_deeply_nested_json_files_are_one_problem_each(tmp_path):
    library_folder = good_library(tmp_path / "library")
    (library_folder / "arrays.json").write_text("[" * DEEP + "]" * DEEP, encoding="utf-8")
    (library_folder / "objects.json").write_text('{"a":' * DEEP + "1" + "}" * DEEP, encoding="utf-8")
    library = load_library([library_folder], cache=False)
    assert titles(library) == GOOD_TITLES
    assert problems_of(library).keys() == {
        str(library_folder / "arrays.json"),
        str(library_folder / "objects.json"),
    }


def test_a_csl_item_nested_too_deeply_costs_only_itself(tmp_path):
    deep = '{"type": "article", "title": "Deep", "note": ' + "[" * DEEP + "]" * DEEP + "}"
    items = [
        '  {"type": "article-journal", "title": "First", "author": [{"family": "Mu"}]}',
        f"  {deep}",
        '  {"type": "article-journal", "title": "Third", "author": [{"family": "Li"}]}',
    ]
    path = tmp_path / "export.json"
    path.write_text("[\n" + ",\n".join(items) + "\n]\n", encoding="utf-8")
    library = load_library([path], cache=False)
    assert titles(library) == ["First", "Third"]
    assert problems_of(library) == {f"{path}:3": "item nested too deeply to read; skipped"}


def test_an_arxiv_record_nested_too_deeply_costs_only_its_line(tmp_path):
    record = {"id": "0704.0001", "title": "First", "authors_parsed": [["Balázs", "C.", ""]]}
    lines = [
        json.dumps(record),
        '{"id": "0704.0002", "versions": ' + "[" * DEEP + "]" * DEEP + "}",
        json.dumps(record | {"id": "0704.0003", "title": "Third"}),
    ]
    path = tmp_path / "snapshot.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    library = load_library([path], cache=False)
    assert titles(library) == ["First", "Third"]
    assert problems_of(library) == {f"{path}:2": "record nested too deeply to read; skipped"}


# Pipes, sockets, devices, /proc -------------------------------------------------------------------


def test_special_files_in_a_folder_are_named_and_skipped(tmp_path, monkeypatch):
    library_folder = good_library(tmp_path / "library")
    os.mkfifo(library_folder / "pipe.bib")
    (library_folder / "zero.bib").symlink_to("/dev/zero")
    (library_folder / "status.bib").symlink_to("/proc/self/status")
    monkeypatch.chdir(library_folder)  # a socket's path must be short
    with socket.socket(socket.AF_UNIX) as listener:
        listener.bind("socket.bib")
        lines = check("--corpus", str(library_folder))
    assert lines[0] == "Read 3 entries from 1 file: 3 papers."
    assert sorted(reported(lines)) == [
        f"{library_folder / 'pipe.bib'}: a named pipe, not a regular file; skipped",
        f"{library_folder / 'socket.bib'}: a socket, not a regular file; skipped",
        f"{library_folder / 'status.bib'}: not in a format tuireader reads; skipped",
        f"{library_folder / 'zero.bib'}: a device, not a regular file; skipped",
    ]


def test_special_files_given_directly_are_named_and_skipped(tmp_path):
    good_library(tmp_path)
    os.mkfifo(tmp_path / "pipe.bib")
    paths = ["pipe.bib", "/dev/null", "/proc/self/status", "good.bib"]
    lines = check(*[arg for path in paths for arg in ("--corpus", path)], cwd=tmp_path)
    assert lines[0] == "Read 3 entries from 1 file: 3 papers."
    assert reported(lines) == [
        "pipe.bib: a named pipe, not a regular file; skipped",
        "/dev/null: a device, not a regular file; skipped",
        "/proc/self/status: not in a format tuireader reads; skipped",
    ]


def test_a_file_swapped_for_a_pipe_after_it_was_listed_does_not_block(tmp_path):
    path = tmp_path / "refs.bib"
    path.write_text(GOOD_BIB, encoding="utf-8")
    [listed], _ = library_files([path])
    path.unlink()
    os.mkfifo(path)
    script = textwrap.dedent(
        f"""
        from pathlib import Path
        from tuireader.corpus.files import LibraryFile, RefusedFile, read_head, read_text
        listed = LibraryFile(Path({str(path)!r}), "refs.bib", {listed.size}, {listed.mtime_ns})
        for read in (read_head, read_text):
            try:
                read(listed)
            except RefusedFile as error:
                print(error)
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["a named pipe, not a regular file"] * 2


def test_a_file_claiming_to_be_empty_is_read_to_its_end():
    # Files in /proc report a size of 0 and still have content.
    claimed_empty = LibraryFile(Path("/proc/self/status"), "status", 0, 0)
    text, problems = read_text(claimed_empty)
    assert text.startswith("Name:")
    assert problems == []


def test_a_file_too_big_to_read_is_one_problem(tmp_path):
    library_folder = good_library(tmp_path / "library")
    with (library_folder / "huge.bib").open("wb") as stream:
        stream.truncate(files.MAX_FILE_BYTES + 1)  # sparse: costs no disk space
    library = load_library([library_folder], cache=False)
    assert titles(library) == GOOD_TITLES
    message = problems_of(library)[str(library_folder / "huge.bib")]
    assert message == f"{LIMIT_MB + 1} MB, more than the {LIMIT_MB} MB one library file may hold; skipped"


def test_a_file_that_grew_past_the_limit_after_it_was_listed_is_refused(tmp_path, monkeypatch):
    path = tmp_path / "growing.bib"
    path.write_text(GOOD_BIB, encoding="utf-8")
    [listed], _ = library_files([path])
    monkeypatch.setattr(files, "MAX_FILE_BYTES", 1024 * 1024)
    with path.open("a", encoding="utf-8") as stream:
        stream.write("% padding\n" * 200_000)
    with pytest.raises(RefusedFile, match=r"^2 MB, more than the 1 MB one library file may hold$"):
        read_text(listed)


def test_a_file_claiming_to_be_empty_is_still_held_to_the_limit(monkeypatch):
    claimed_empty = LibraryFile(Path("/proc/self/smaps"), "smaps", 0, 0)
    assert len(read_text(claimed_empty)[0]) > 4096
    monkeypatch.setattr(files, "MAX_FILE_BYTES", 4096)
    with pytest.raises(RefusedFile, match=r"the most one library file may hold$"):
        read_text(claimed_empty)


# A NUL byte in a BibTeX file ----------------------------------------------------------------------


def test_a_nul_byte_costs_only_its_entry(tmp_path):
    damaged = ENTRIES["beta"].replace("Beta Paper", "Beta\x00 Paper")
    path = tmp_path / "refs.bib"
    path.write_text("\n".join([ENTRIES["alpha"], damaged, ENTRIES["gamma"]]), encoding="utf-8")
    library = load_library([path], cache=False)
    assert titles(library) == ["Alpha Paper", "Gamma Paper"]
    assert problems_of(library) == {
        f"{path}:7": "@article “beta” holds a NUL byte (on line 8), a sign of damage; skipped"
    }


def test_binary_data_is_still_not_read_as_text(tmp_path):
    path = tmp_path / "blob.bib"
    path.write_bytes(GOOD_BIB.encode() + bytes(range(256)) * 64)
    library = load_library([path], cache=False)
    assert library.papers == ()
    assert problems_of(library) == {str(path): "not in a format tuireader reads; skipped"}


# Decompression bombs ------------------------------------------------------------------------------


def test_a_gzip_bomb_is_refused_at_the_limit(tmp_path):
    library_folder = good_library(tmp_path / "library")
    bomb = streamed_gzip(
        library_folder / "bomb.bib.gz", ENTRIES["alpha"].encode(), b" ", files.MAX_FILE_BYTES + 1
    )
    assert bomb.stat().st_size < files.MAX_FILE_BYTES // 100
    lines = check("--corpus", str(library_folder))
    assert lines[0] == "Read 3 entries from 1 file: 3 papers."
    limit = f"{LIMIT_MB} MB"
    assert reported(lines) == [
        f"{bomb}: unpacks to more than {limit}, the most one library file may hold; skipped"
    ]


@pytest.mark.parametrize(
    ("name", "start"),
    [
        ("bomb.bib.gz", ENTRIES["alpha"]),
        ("bomb.json.gz", '[\n  {"type": "article", "title": "Bomb", "note": "'),
    ],
)
def test_a_gzip_bomb_costs_no_more_memory_than_the_limit(tmp_path, monkeypatch, name, start):
    limit = 1024 * 1024
    monkeypatch.setattr(files, "MAX_FILE_BYTES", limit)
    library_folder = good_library(tmp_path / "library")
    bomb = streamed_gzip(library_folder / name, start.encode(), b"x", 64 * limit)
    tracemalloc.start()
    try:
        library = load_library([library_folder], cache=False)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert titles(library) == GOOD_TITLES
    message = "unpacks to more than 1 MB, the most one library file may hold; skipped"
    assert problems_of(library) == {str(bomb): message}
    assert peak < 8 * limit


# Folders that cannot be read, and link loops ------------------------------------------------------


def test_link_loops_do_not_hang_the_search(tmp_path):
    library_folder = good_library(tmp_path / "library")
    (library_folder / "loop").symlink_to("loop")
    (library_folder / "here").symlink_to(".")
    (library_folder / "up").symlink_to("..")
    lines = check("--corpus", str(library_folder), "--corpus", str(library_folder / "loop"))
    assert lines[0] == "Read 3 entries from 1 file: 3 papers."
    assert reported(lines) == [
        f"{library_folder / 'here'}: a link to a folder, which is not followed; skipped",
        f"{library_folder / 'loop'}: cannot read: links that lead round in a loop",
        f"{library_folder / 'up'}: a link to a folder, which is not followed; skipped",
        f"{library_folder / 'loop'}: cannot read: links that lead round in a loop",
    ]


def test_a_folder_whose_path_is_too_long_to_open_is_named_once(tmp_path):
    library_folder = good_library(tmp_path / "library")
    # Made one level at a time through folder descriptors, as no single path can reach the bottom.
    name = "n" * 200
    levels = 4096 // len(name) + 2
    descriptor = os.open(library_folder, os.O_RDONLY)
    try:
        for _ in range(levels):
            os.mkdir(name, dir_fd=descriptor)
            inner = os.open(name, os.O_RDONLY, dir_fd=descriptor)
            os.close(descriptor)
            descriptor = inner
    finally:
        os.close(descriptor)
    library = load_library([library_folder], cache=False)
    assert titles(library) == GOOD_TITLES
    [(where, message)] = problems_of(library).items()
    assert where.startswith(str(library_folder / name / name))
    assert len(where) > 4096 and len(where) - len(str(library_folder)) <= 4096 + 2 * len(name)
    assert message == "cannot read this folder: File name too long"


def _load_as_nobody(folder: Path) -> dict[str, object]:
    """Load `folder` in a child that gives up root first, so permissions apply to it."""
    script = textwrap.dedent(
        f"""
        import json, os
        from tuireader.corpus.library import load_library
        os.chdir({str(folder)!r})
        load_library(["good.bib"], cache=False)  # every lazy import, while they are readable
        os.setgroups([])
        os.setgid({NOBODY})
        os.setuid({NOBODY})
        library = load_library(["."], cache=False)
        print(json.dumps({{"titles": sorted(p.title for p in library.papers),
                           "problems": [str(p) for p in library.problems]}}))
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_an_unreadable_subfolder_is_named_once(tmp_path):
    library_folder = good_library(tmp_path / "library")
    locked = library_folder / "locked"
    locked.mkdir()
    (locked / "hidden.bib").write_text(ENTRIES["alpha"].replace("alpha", "zeta"), encoding="utf-8")
    (library_folder / "more").mkdir()
    (library_folder / "more" / "more.bib").write_text(ENTRIES["beta"], encoding="utf-8")
    locked.chmod(0)
    try:
        if os.geteuid() == 0:
            loaded = _load_as_nobody(library_folder)
        else:
            library = load_library([library_folder], cache=False)
            loaded = {"titles": titles(library), "problems": [str(p) for p in library.problems]}
    finally:
        locked.chmod(stat.S_IRWXU)
    assert loaded == {
        "titles": GOOD_TITLES,
        "problems": [
            f"{'locked' if os.geteuid() == 0 else locked}: cannot read this folder: Permission denied"
        ],
    }


# Library paths that name nothing ------------------------------------------------------------------


def test_an_empty_path_never_reads_the_current_folder(tmp_path, monkeypatch):
    good_library(tmp_path)
    monkeypatch.chdir(tmp_path)
    library = load_library(["", "  "], cache=False)
    assert library.papers == ()
    assert [str(p) for p in library.problems] == [
        '"": an empty path names no file or folder; skipped',
        '"  ": an empty path names no file or folder; skipped',
    ]


def test_a_path_holding_a_nul_character_is_named(tmp_path):
    good_library(tmp_path)
    library = load_library(["refs\x00.bib", tmp_path / "good\x00.bib", tmp_path], cache=False)
    assert titles(library) == GOOD_TITLES
    assert problems_of(library) == {
        "refs\x00.bib": "a path cannot hold a NUL character; skipped",
        str(tmp_path / "good\x00.bib"): "a path cannot hold a NUL character; skipped",
    }


def test_a_home_folder_of_no_user_is_named(tmp_path):
    good_library(tmp_path)
    given = "~tuireader-no-such-user/refs.bib"
    library = load_library([given, tmp_path / "good.bib"], cache=False)
    assert titles(library) == GOOD_TITLES
    assert problems_of(library) == {
        given: "“~tuireader-no-such-user” names no folder (no user “tuireader-no-such-user” on this "
        "system); skipped"
    }


def test_paths_naming_nothing_on_the_command_line(tmp_path):
    good_library(tmp_path)
    lines = check("--corpus", "", "--corpus", "~tuireader-no-such-user/refs.bib", cwd=tmp_path)
    assert lines[0] == "Read 0 entries from 0 files: 0 papers."
    assert reported(lines) == [
        '"": an empty path names no file or folder; skipped',
        "~tuireader-no-such-user/refs.bib: “~tuireader-no-such-user” names no folder "
        "(no user “tuireader-no-such-user” on this system); skipped",
    ]


def test_an_empty_path_in_the_config_file_never_reads_the_current_folder(tmp_path, isolated_user_dirs):
    good_library(tmp_path)
    config = isolated_user_dirs / "config" / "tuireader" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text('libraries = [""]\n', encoding="utf-8")
    done = run_check(cwd=tmp_path)
    assert "good.bib" not in done.stdout
    assert 'entry 1 is "": an empty path names no file or folder' in done.stderr


def test_a_home_folder_of_no_user_in_the_config_file_is_named(tmp_path, isolated_user_dirs):
    good_library(tmp_path)
    config = isolated_user_dirs / "config" / "tuireader" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text('libraries = ["~tuireader-no-such-user/refs.bib"]\n', encoding="utf-8")
    lines = check(cwd=tmp_path)
    assert lines[0] == "Read 0 entries from 0 files: 0 papers."
    assert reported(lines) == [
        "~tuireader-no-such-user/refs.bib: “~tuireader-no-such-user” names no folder "
        "(no user “tuireader-no-such-user” on this system); skipped",
    ]
