"""The reader's own state through the app: stars, read status, tags, notes, marks, state filters in
the search bar, the last session and saved searches, all kept in the real SQLite store of the
user data folder each test gets to itself (tests/conftest.py)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input, Static

from tests.app.conftest import reader_app, ready, screen_text
from tuireader.app.screens.annotations import NoteEditor, TagEditor
from tuireader.app.screens.main import MainScreen
from tuireader.app.widgets.abstract_view import AbstractView
from tuireader.app.widgets.paper_list import PaperList
from tuireader.state import ReadStatus, StateNotSaved, StateStore, default_path

LIBRARY = """\
@article{alpha2020,
  author = {Smith, Ann and Jones, Bob},
  title = {Alpha paper on jailbreaks},
  year = {2020},
  doi = {10.1000/alpha},
  abstract = {Words about jailbreak attacks.},
}
@article{beta2021,
  author = {Jones, Bob},
  title = {Beta paper on interpretability},
  year = {2021},
  doi = {10.1000/beta},
  abstract = {Words about neurons.},
}
@article{gamma2022,
  author = {Lee, Cy},
  title = {Gamma paper on evaluation},
  year = {2022},
  doi = {10.1000/gamma},
  abstract = {Words about benchmarks.},
}
"""


def library(tmp_path: Path, text: str = LIBRARY) -> list[str]:
    path = tmp_path / "library.bib"
    path.write_text(text, encoding="utf-8")
    return [str(path)]


def status(screen: MainScreen) -> str:
    return str(screen.query_one("#status-line", Static).render())


def messages(pilot: Pilot) -> list[str]:
    return [f"{n.title}: {n.message}" for n in pilot.app._notifications]


async def until(pilot: Pilot, condition: Callable[[], object], what: str, timeout: float = 30.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"{what} never happened; the screen was:\n{screen_text(pilot.app)}")
        await asyncio.sleep(0.02)
    await pilot.pause()


async def search(pilot: Pilot, query: str) -> MainScreen:
    """Replace the query in the search bar by typing, then go back to the list."""
    await ready(pilot)  # keys sent while the library is still loading go to the loading screen
    await pilot.press("slash")
    bar = pilot.app.screen.query_one("#search", Input)
    bar.value = ""
    await pilot.press(*query, "enter")
    return await ready(pilot)


async def test_star_status_tag_note_and_mark_survive_a_restart(tmp_path: Path) -> None:
    paths = library(tmp_path)
    app = reader_app(paths)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await ready(pilot)
        paper_list = screen.query_one(PaperList)
        assert paper_list.current_id == "alpha2020"
        await pilot.press("asterisk", "u")
        await pilot.press("t")
        assert isinstance(app.screen, TagEditor)
        await pilot.press(*"safety", "enter")
        await pilot.press("t", *"to check", "enter")
        await pilot.press("t", *"-to check", "enter")
        await pilot.press("n")
        assert isinstance(app.screen, NoteEditor)
        await pilot.press(*"Read [b]section 3[/b]", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        text = screen_text(app)
        assert "★" in text and "safety" in text
        assert "Read [b]section 3[/b]" in text  # the note as typed, never read as markup
        await pilot.press("space")  # marks alpha and moves on to beta
        assert paper_list.marked == {"alpha2020"}
        assert paper_list.current_id == "beta2021"

    again = reader_app(paths)
    async with again.run_test(size=(160, 48)) as pilot:
        screen = await ready(pilot)
        paper_list = screen.query_one(PaperList)
        assert paper_list.marked == {"alpha2020"}
        assert paper_list.current_id == "beta2021"  # the last session's cursor
        assert screen.reading is not None
        state = screen.reading.state_of("alpha2020")
        assert state.starred
        assert state.status is ReadStatus.TO_READ
        assert state.tags == frozenset({"safety"})
        assert state.note == "Read [b]section 3[/b]"
        assert "1 marked" in status(screen)
        paper_list.select("alpha2020")
        await pilot.pause()
        abstract = screen.query_one(AbstractView).text
        assert "★ starred · to read" in abstract
        assert "safety" in abstract and "Read [b]section 3[/b]" in abstract
        await pilot.press("M")  # clear marks: in the list and in the store
        assert not paper_list.marked

    with StateStore.open() as store:
        assert store.mark_count() == 0


async def test_a_star_survives_a_library_edit_that_keeps_the_doi(tmp_path: Path) -> None:
    paths = library(tmp_path)
    app = reader_app(paths)
    async with app.run_test(size=(160, 48)) as pilot:
        await ready(pilot)
        await pilot.press("asterisk")

    edited = LIBRARY.replace("alpha2020", "smith-alpha").replace(
        "Alpha paper on jailbreaks", "Alpha, revised"
    )
    library(tmp_path, edited)
    again = reader_app(paths)
    async with again.run_test(size=(160, 48)) as pilot:
        screen = await ready(pilot)
        assert "smith-alpha" in screen.query_one(PaperList).ids
        assert screen.reading is not None
        assert screen.reading.state_of("smith-alpha").starred
        assert not screen.reading.state_of("beta2021").starred


async def test_state_terms_in_the_search_bar_filter_the_results(tmp_path: Path) -> None:
    app = reader_app(library(tmp_path))
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await ready(pilot)
        paper_list = screen.query_one(PaperList)
        await pilot.press("asterisk", "j", "t", *"interp", "enter")  # star alpha, tag beta
        screen = await search(pilot, "is:starred")
        assert list(paper_list.ids) == ["alpha2020"]
        assert "1 of 3 papers" in status(screen) and "only starred" in status(screen)
        screen = await search(pilot, "tag:interp")
        assert list(paper_list.ids) == ["beta2021"]
        assert "only tag: interp" in status(screen)
        screen = await search(pilot, "is:starred neurons")
        assert list(paper_list.ids) == []
        screen = await search(pilot, "is:unread words")
        assert set(paper_list.ids) == {"alpha2020", "beta2021", "gamma2022"}
        screen = await search(pilot, "jailbreak")
        assert "only" not in status(screen)


async def test_the_last_session_is_restored(tmp_path: Path) -> None:
    paths = library(tmp_path)
    app = reader_app(paths)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await search(pilot, "words")
        screen.years = (2021, 2022)
        screen = await ready(pilot)
        await pilot.press("s")  # by year: gamma, then beta
        screen = await ready(pilot)
        await pilot.press("j")
        assert screen.query_one(PaperList).current_id == "beta2021"

    again = reader_app(paths)
    async with again.run_test(size=(160, 48)) as pilot:
        screen = await ready(pilot)
        assert screen.query_one("#search", Input).value == "words"
        assert (screen.search_text, screen.years, screen.sort) == ("words", (2021, 2022), "year")
        assert list(screen.query_one(PaperList).ids) == ["gamma2022", "beta2021"]
        await until(
            pilot, lambda: screen.query_one(PaperList).current_id == "beta2021", "the cursor's return"
        )


async def test_a_saved_search_is_recalled_by_its_digit_and_listed_in_the_palette(tmp_path: Path) -> None:
    paths = library(tmp_path)
    app = reader_app(paths)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await search(pilot, "neurons")
        await pilot.press("ctrl+s")
        assert any("Saved as search 1: neurons" in message for message in messages(pilot))
        screen = await search(pilot, "benchmarks")
        await pilot.press("ctrl+s")
        assert any("Saved as search 2: benchmarks" in message for message in messages(pilot))
        await pilot.press("3")
        assert any("No search is saved under 3" in message for message in messages(pilot))

    again = reader_app(paths)
    async with again.run_test(size=(160, 48)) as pilot:
        screen = await search(pilot, "")
        await pilot.press("1")
        screen = await ready(pilot)
        assert screen.search_text == "neurons"
        assert screen.query_one("#search", Input).value == "neurons"
        assert list(screen.query_one(PaperList).ids) == ["beta2021"]
        await pilot.press("ctrl+p", *"saved search")
        await until(pilot, lambda: "Saved search 2: benchmarks" in screen_text(again), "the palette's list")
        assert "Saved search 1: neurons" in screen_text(again)


async def test_a_damaged_state_file_is_set_aside_with_a_notice_and_the_reader_works(tmp_path: Path) -> None:
    target = default_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(b"\x00garbage, not a database\xff" * 200)
    app = reader_app(library(tmp_path))
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await ready(pilot)
        await until(pilot, lambda: any("damaged" in message for message in messages(pilot)), "the notice")
        await pilot.press("asterisk")
        assert screen.reading is not None and screen.reading.state_of("alpha2020").starred
    assert [path.name.startswith("state.sqlite3.damaged-") for path in target.parent.iterdir()].count(
        True
    ) == 1
    with StateStore.open() as store:
        assert store.notice is None
        assert any(paper_state.starred for paper_state in store.states_for(_papers(tmp_path)).values())


async def test_a_store_that_cannot_be_opened_leaves_a_working_reader(tmp_path: Path) -> None:
    default_path().parent.parent.mkdir(parents=True, exist_ok=True)
    default_path().parent.write_text("a file where the folder should be", encoding="utf-8")
    app = reader_app(library(tmp_path))
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await ready(pilot)
        await until(pilot, lambda: any("unavailable" in m for m in messages(pilot)), "the warning")
        assert screen.reading is None
        await pilot.press("asterisk", "space")
        assert screen.query_one(PaperList).marked == {"alpha2020"}  # marks still work for this session
        screen = await search(pilot, "jailbreak")
        assert list(screen.query_one(PaperList).ids) == ["alpha2020"]


async def test_a_write_that_fails_is_told_and_not_shown_as_kept(tmp_path: Path, monkeypatch) -> None:
    def refuse(self, paper, starred=True):
        raise StateNotSaved("personal state was not saved: disk full")

    monkeypatch.setattr(StateStore, "set_star", refuse)
    app = reader_app(library(tmp_path))
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await ready(pilot)
        await pilot.press("asterisk")
        await until(pilot, lambda: any("disk full" in m for m in messages(pilot)), "the failure's notice")
        assert screen.reading is not None and not screen.reading.state_of("alpha2020").starred
        assert "★" not in screen_text(app)


def _papers(tmp_path: Path):
    from tuireader.corpus.library import load_library

    return load_library([str(tmp_path / "library.bib")]).papers
