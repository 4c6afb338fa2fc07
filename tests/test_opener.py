"""Opening a paper: which file or link, with which program, and when to copy the link instead.

Launches run fake openers placed first on PATH: shell scripts that record their arguments.
"""

from __future__ import annotations

import os
import shutil
import stat
import time
from pathlib import Path

import pytest

from tuireader import opener
from tuireader.corpus.model import Paper, Source


def script(folder: Path, name: str, body: str = "") -> Path:
    """An executable `name` in `folder` that writes its arguments to `name.args`, then runs `body`."""
    path = folder / name
    record = folder / f"{name}.args"
    path.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > "{record}"\n{body}\n', encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def recorded(folder: Path, name: str, timeout: float = 5.0) -> list[str]:
    record = folder / f"{name}.args"
    deadline = time.monotonic() + timeout
    while not record.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    return record.read_text(encoding="utf-8").splitlines()


def which_in(folder: Path):  # type: ignore[no-untyped-def]
    return lambda name: shutil.which(name, path=str(folder))


def display_env(folder: Path, **more: str) -> dict[str, str]:
    return {
        "PATH": f"{folder}{os.pathsep}/usr/bin{os.pathsep}/bin",
        "DISPLAY": ":0",
        "HOME": str(folder),
        **more,
    }


# --- the file field -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "paths"),
    [
        (":papers/a.pdf:PDF", ["papers/a.pdf"]),
        ("Full text:papers/a.pdf:PDF;Slides:b.pdf:PDF", ["papers/a.pdf", "b.pdf"]),
        (":C\\:\\\\Users\\\\me\\\\a.pdf:PDF", ["C:\\Users\\me\\a.pdf"]),
        (
            "/home/me/Zotero/storage/X/a.pdf;/home/me/Zotero/storage/Y/b.pdf",
            ["/home/me/Zotero/storage/X/a.pdf", "/home/me/Zotero/storage/Y/b.pdf"],
        ),
        ("C:\\Zotero\\a.pdf", ["C:\\Zotero\\a.pdf"]),
        ("a.pdf:PDF", ["a.pdf"]),
        (":https\\://example.org/a.pdf:URL", ["https://example.org/a.pdf"]),
        ("https://example.org/a.pdf", ["https://example.org/a.pdf"]),
        (":dir/with\\;semicolon.pdf:PDF", ["dir/with;semicolon.pdf"]),
        ("", []),
    ],
)
def test_file_fields_of_jabref_and_zotero(field: str, paths: list[str]) -> None:
    assert opener.file_paths(field) == paths


def test_relative_files_are_found_beside_the_bib_and_missing_ones_reported(tmp_path: Path) -> None:
    (tmp_path / "pdfs").mkdir()
    (tmp_path / "pdfs" / "a.pdf").write_bytes(b"%PDF")
    (tmp_path / "b.pdf").write_bytes(b"%PDF")
    paper = Paper(
        title="T",
        file=":pdfs/a.pdf:PDF;:b.pdf:PDF;:gone.pdf:PDF",
        doi="10.1/x",
        sources=(Source(str(tmp_path / "refs.bib"), 3),),
    )
    choice = opener.choices(paper)
    assert [Path(target.location) for target in choice.files] == [
        tmp_path / "pdfs" / "a.pdf",
        tmp_path / "b.pdf",
    ]
    assert all(target.is_file for target in choice.files)
    assert choice.missing == (str(tmp_path / "gone.pdf"),)
    assert choice.link == opener.Target("https://doi.org/10.1/x", "DOI 10.1/x")


@pytest.mark.parametrize(
    ("paper", "link"),
    [
        (
            Paper(doi="https://doi.org/10.5/y", url="https://u", arxiv_id="2101.00001"),
            "https://doi.org/10.5/y",
        ),
        (Paper(url="https://example.org/p", arxiv_id="2101.00001"), "https://example.org/p"),
        (Paper(arxiv_id="2101.00001"), "https://arxiv.org/abs/2101.00001"),
    ],
)
def test_links_in_order_doi_url_arxiv(paper: Paper, link: str) -> None:
    chosen = opener.best_link(paper)
    assert chosen is not None and chosen.location == link


def test_a_paper_with_nothing_to_open() -> None:
    choice = opener.choices(Paper(title="T"))
    assert choice == opener.Choice((), (), None)


# --- deciding how -------------------------------------------------------------------------------

LINK = opener.Target("https://doi.org/10.1/x", "DOI 10.1/x")


def test_without_a_display_nothing_is_launched(tmp_path: Path) -> None:
    script(tmp_path, "xdg-open")
    plan = opener.plan(LINK, {"PATH": str(tmp_path)}, platform="linux", which=which_in(tmp_path))
    assert not plan.opens
    assert "no display" in plan.refusal
    assert not (tmp_path / "xdg-open.args").exists()


def test_over_ssh_on_a_mac_nothing_is_launched(tmp_path: Path) -> None:
    script(tmp_path, "open")
    env = {"PATH": str(tmp_path), "SSH_CONNECTION": "1.2.3.4 5 6.7.8.9 22"}
    assert not opener.plan(LINK, env, platform="darwin", which=which_in(tmp_path)).opens
    assert opener.plan(LINK, {"PATH": str(tmp_path)}, platform="darwin", which=which_in(tmp_path)).opens


def test_xdg_open_is_launched_detached_with_the_link(tmp_path: Path) -> None:
    script(tmp_path, "xdg-open", 'if tty -s; then echo "had a terminal" >> "$0.args"; fi')
    env = display_env(tmp_path)
    plan = opener.plan(LINK, env, platform="linux", which=which_in(tmp_path))
    assert plan.opens and plan.program == "xdg-open"
    outcome = opener.launch(plan, env)
    assert outcome.started, outcome.problem
    assert recorded(tmp_path, "xdg-open") == [LINK.location]  # and no terminal to take over


def test_an_opener_that_fails_is_reported(tmp_path: Path) -> None:
    script(tmp_path, "xdg-open", "exit 4")
    env = display_env(tmp_path)
    outcome = opener.launch(opener.plan(LINK, env, platform="linux", which=which_in(tmp_path)), env)
    assert not outcome.started
    assert "exit status 4" in outcome.problem


def test_a_slow_opener_counts_as_opened(tmp_path: Path) -> None:
    script(tmp_path, "xdg-open", "sleep 2")
    env = display_env(tmp_path)
    plan = opener.plan(LINK, env, platform="linux", which=which_in(tmp_path))
    assert opener.launch(plan, env, watch=0.2).started


def test_a_graphical_browser_is_used_for_links_not_files(tmp_path: Path) -> None:
    script(tmp_path, "firefox")
    script(tmp_path, "xdg-open")
    env = display_env(tmp_path, BROWSER="firefox --new-tab %s")
    plan = opener.plan(LINK, env, platform="linux", which=which_in(tmp_path))
    assert plan.argv == (str(tmp_path / "firefox"), "--new-tab", LINK.location) or plan.argv[1:] == (
        "--new-tab",
        LINK.location,
    )
    assert opener.launch(plan, env).started
    assert recorded(tmp_path, "firefox") == ["--new-tab", LINK.location]
    pdf = opener.Target(str(tmp_path / "a.pdf"), "a.pdf", is_file=True)
    assert opener.plan(pdf, env, platform="linux", which=which_in(tmp_path)).program == "xdg-open"


@pytest.mark.parametrize("browser", ["lynx", "w3m", "elinks -remote %s"])
def test_a_console_browser_as_BROWSER_is_refused(tmp_path: Path, browser: str) -> None:
    script(tmp_path, browser.split()[0])
    script(tmp_path, "xdg-open")
    env = display_env(tmp_path, BROWSER=browser)
    plan = opener.plan(LINK, env, platform="linux", which=which_in(tmp_path))
    assert not plan.opens
    assert "console browser" in plan.refusal
    assert opener.launch(plan, env).problem == plan.refusal
    assert not (tmp_path / "xdg-open.args").exists()


def test_www_browser_linked_to_a_console_browser_is_refused(tmp_path: Path) -> None:
    script(tmp_path, "w3m")
    os.symlink(tmp_path / "w3m", tmp_path / "sensible")
    env = display_env(tmp_path, BROWSER="sensible")
    assert not opener.plan(LINK, env, platform="linux", which=which_in(tmp_path)).opens


def test_a_console_handler_behind_xdg_open_is_refused(tmp_path: Path) -> None:
    script(tmp_path, "xdg-open")
    script(tmp_path, "xdg-mime", 'echo "lynx.desktop"')
    applications = tmp_path / "share" / "applications"
    applications.mkdir(parents=True)
    (applications / "lynx.desktop").write_text(
        "[Desktop Entry]\nExec=lynx %u\nTerminal=true\n", encoding="utf-8"
    )
    env = display_env(tmp_path, XDG_DATA_HOME=str(tmp_path / "share"), XDG_DATA_DIRS=str(tmp_path / "none"))
    plan = opener.plan(LINK, env, platform="linux", which=which_in(tmp_path))
    assert not plan.opens
    assert "lynx" in plan.refusal and "terminal" in plan.refusal


def test_a_graphical_handler_behind_xdg_open_is_named(tmp_path: Path) -> None:
    script(tmp_path, "xdg-open")
    script(tmp_path, "xdg-mime", 'echo "org.gnome.Evince.desktop"')
    applications = tmp_path / "share" / "applications"
    applications.mkdir(parents=True)
    (applications / "org.gnome.Evince.desktop").write_text(
        "[Desktop Entry]\nExec=evince %U\n", encoding="utf-8"
    )
    env = display_env(tmp_path, XDG_DATA_HOME=str(tmp_path / "share"), XDG_DATA_DIRS=str(tmp_path / "none"))
    pdf = opener.Target(str(tmp_path / "a.pdf"), "a.pdf", is_file=True)
    plan = opener.plan(pdf, env, platform="linux", which=which_in(tmp_path))
    assert plan.opens and plan.program == "xdg-open (org.gnome.Evince)"


def test_no_opener_installed_is_said(tmp_path: Path) -> None:
    plan = opener.plan(LINK, display_env(tmp_path), platform="linux", which=which_in(tmp_path))
    assert not plan.opens and "xdg-open was not found" in plan.refusal
