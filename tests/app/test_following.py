"""The reader follows its library files: an entry added in an editor shows up in the list, and
`e` hands the entry to $EDITOR and reads back what it changed."""

from __future__ import annotations

import asyncio
import contextlib
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot

from tests.app.conftest import reader_app, ready
from tuireader.app.app import ReaderApp
from tuireader.app.screens.main import MainScreen
from tuireader.app.widgets.paper_list import PaperList
from tuireader.corpus.snapshot import PaperTable

ENTRIES = """@article{first,
  title = {Learning to read papers},
  author = {Doe, Jane},
  year = {2020},
}

@article{second,
  title = {Learning to write papers},
  author = {Roe, Rick},
  year = {2021},
}

@article{third,
  title = {Sorting socks},
  author = {Poe, Paula},
  year = {2022},
}
"""
ADDED = """
@article{fourth,
  title = {Learning to follow files},
  author = {Moe, Max},
  year = {2023},
}
"""


async def until(pilot: Pilot, condition: Callable[[], bool], timeout: float = 20.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"waited in vain; notifications: {notes(pilot.app)}")
        await pilot.pause(0.05)


def notes(app: ReaderApp) -> list[str]:
    return [f"{note.title}: {note.message}" for note in app._notifications]


async def test_an_entry_added_on_disk_appears_keeping_query_and_cursor(tmp_path: Path) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text(ENTRIES, encoding="utf-8")
    app = reader_app([str(bib)])
    async with app.run_test(size=(160, 48)) as pilot:
        await ready(pilot)
        await pilot.press("slash", *"learning", "enter")
        screen = await ready(pilot)
        paper_list = screen.query_one(PaperList)
        assert set(paper_list.ids) == {"first", "second"}
        paper_list.select("second")
        with bib.open("a", encoding="utf-8") as handle:
            handle.write(ADDED)
        await until(pilot, lambda: "fourth" in screen.query_one(PaperList).ids)
        screen = await ready(pilot)
        assert app.screen is screen
        assert screen.search_text == "learning"
        assert set(screen.query_one(PaperList).ids) == {"first", "second", "fourth"}
        assert screen.query_one(PaperList).current_id == "second"
        assert any("Library reloaded" in note and "refs.bib changed" in note for note in notes(app))
        assert screen.engine is not None and screen.library.get("fourth") is not None


async def test_reload_says_what_failed_and_keeps_the_list(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text(ENTRIES, encoding="utf-8")
    app = reader_app([str(bib)])
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await ready(pilot)

        def broken(*args: object, **kwargs: object) -> None:
            raise OSError("disk on fire")

        monkeypatch.setattr("tuireader.app.following.load_library_apart", broken)
        await until(pilot, lambda: screen._follower is not None)
        await pilot.press("ctrl+r")
        await until(pilot, lambda: any("Reloading the library failed" in note for note in notes(app)))
        assert len(screen.query_one(PaperList).ids) == 3


async def test_a_large_library_is_read_again_apart(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As at the first open, a changed large library is read by a child and opened from the cache
    it leaves, so that the reader never holds it as read."""
    monkeypatch.setattr("tuireader.app.reading_apart.READ_APART_FROM", 0)
    bib = tmp_path / "refs.bib"
    bib.write_text(ENTRIES, encoding="utf-8")
    app = reader_app([str(bib)])
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await ready(pilot)
        first = screen.library
        with bib.open("a", encoding="utf-8") as handle:
            handle.write(ADDED)
        await until(pilot, lambda: "fourth" in screen.query_one(PaperList).ids)
        screen = await ready(pilot)
        assert screen.library is not first
        assert isinstance(screen.library.papers, PaperTable)  # opened from the cache, not read here
        assert screen.library.get("fourth") is not None


@contextlib.contextmanager
def no_suspend(self: ReaderApp) -> Iterator[None]:
    yield  # the headless test driver cannot hand the terminal over; the editor needs none


async def test_e_runs_the_editor_at_the_entry_and_reads_back_its_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text(ENTRIES, encoding="utf-8")
    added = tmp_path / "added.bib"
    added.write_text(ADDED, encoding="utf-8")
    editor = tmp_path / "vim"  # a name the reader knows takes `+line`
    record = tmp_path / "editor.args"
    editor.write_text(
        f'#!/bin/sh\nprintf "%s\\n" "$@" > "{record}"\ncat "{added}" >> "$2"\n', encoding="utf-8"
    )
    editor.chmod(editor.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("EDITOR", str(editor))
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setattr(ReaderApp, "suspend", no_suspend)
    app = reader_app([str(bib)])
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await ready(pilot)
        await until(pilot, lambda: screen._follower is not None)
        screen.query_one(PaperList).select("second")
        await pilot.press("e")
        assert record.read_text(encoding="utf-8").splitlines() == ["+7", str(bib)]
        await until(pilot, lambda: "fourth" in screen.query_one(PaperList).ids)
        assert isinstance(app.screen, MainScreen)


async def test_e_on_a_json_source_says_it_cannot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    library = tmp_path / "items.json"
    library.write_text('[{"id": "x", "type": "article", "title": "A JSON paper"}]', encoding="utf-8")
    monkeypatch.setenv("EDITOR", "/bin/false")
    app = reader_app([str(library)])
    async with app.run_test(size=(160, 48)) as pilot:
        await ready(pilot)
        await pilot.press("e")
        await pilot.pause()
        assert any("JSON" in note and "Cannot edit" in note for note in notes(app))
