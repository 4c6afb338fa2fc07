"""Library text is shown literally everywhere: never markup, never an action, never a terminal command.

The library here is hostile. Names, titles, venues, keys, an abstract and a file name hold a
markup action that would save a file where the library chose (clicking it must do nothing), styles,
a terminal-title sequence (OSC), a screen clear and its one-byte form (CSI). Every surface must
show them as written, with the escape character as its control picture (␛), and the CLI must print
no ESC, BEL or CSI character.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from textual.app import App
from textual.content import Content
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Input, OptionList, Static

from tests.app.conftest import reader_app, ready, screen_text
from tuireader.app.screens.citation import CitationPicker
from tuireader.app.screens.main import MainScreen
from tuireader.app.screens.pickers import AuthorPicker, LibraryProblems, RelatedPapers
from tuireader.app.widgets.abstract_view import AbstractView
from tuireader.app.widgets.facets import AuthorFacets, YearFacets
from tuireader.app.widgets.paper_list import ROW_HEIGHT, PaperList
from tuireader.corpus.library import load_library
from tuireader.safe_text import inert_markup, literal, visible_controls

OSC = "\x1b]0;pwned\x07"  # sets the terminal's title
CLEAR = "\x1b[2J"  # clears the screen
CSI = "\x9b"  # the one-character form of ESC [, which JSON escapes only when asked to
SHOWN_OSC = "␛]0;pwned␇"
SHOWN_CLEAR = "␛[2J"
HOSTILE_KEY = f"k[b]x{OSC}[/b]{CLEAR}"
HOSTILE_TITLE = f"Hostile [bold red]title[/] {OSC} end"
HOSTILE_FILE_NAME = f"[b]x{OSC}.bib"
SHOWN_FILE_NAME = f"[b]x{SHOWN_OSC}.bib"
BAITS = ("screenshot", "app.bell")  # what the library's markup would run


HOSTILE_BIB = """\
@article{<KEY>,
  author = {{<CLICK>} and {<SPACED>} and {[bold red]Eve<OSC>} and Mallory, <CLEAR>Mal},
  title = {<TITLE>},
  journal = {Venue [@click=app.bell]v[/] <CLEAR>},
  year = {2021},
  abstract = {Jailbreak words with [link=http://example.com]markup[/link] and <OSC> inside<CSI>2J},
}
@article{second,
  author = {{<CLICK>} and Plain, Alice},
  title = {A second paper about jailbreak words},
  year = {2020},
  abstract = {Jailbreak words and hostile words},
}
@article{k<CLEAR>[@click=app.bell],
  title = {Damaged},
}
"""
UNTITLED_BIB = """\
@misc{u[b]<OSC>z,
  author = {Plain, Alice},
  year = {2018},
  abstract = {Untitled jailbreak words},
}
"""
HOSTILE_NAMED_BIB = """\
@article{third,
  title = {Third paper},
  author = {Plain, Alice},
  year = {2019},
}
@article{broken,
  title = {Unclosed
"""


@dataclass(frozen=True)
class Hostile:
    folder: Path
    click: str  # an author name that is a clickable action when read as markup
    spaced_click: str  # the same with a space after the bracket, which Textual's `escape` misses
    file_name_written: bool

    @property
    def fired(self) -> list[Path]:
        return sorted(self.folder.parent.glob("pwned*.svg"))


@pytest.fixture
def hostile(tmp_path: Path) -> Hostile:
    folder = tmp_path / "library"
    folder.mkdir()
    # save_screenshot(filename, path): the file would land next to the library folder.
    click = f"[@click=app.screenshot('pwned.svg','{tmp_path}')]Bob[/]"
    spaced_click = f"[ @click=app.screenshot('pwned2.svg','{tmp_path}')]Zed[/]"
    baits = {"<CLICK>": click, "<SPACED>": spaced_click, "<KEY>": HOSTILE_KEY, "<TITLE>": HOSTILE_TITLE}
    baits |= {"<OSC>": OSC, "<CLEAR>": CLEAR, "<CSI>": CSI}

    def write(name: str, bibtex: str) -> None:
        for placeholder, value in baits.items():
            bibtex = bibtex.replace(placeholder, value)
        (folder / name).write_text(bibtex, encoding="utf-8")

    write("hostile.bib", HOSTILE_BIB)
    write("untitled.bib", UNTITLED_BIB)
    try:
        write(HOSTILE_FILE_NAME, HOSTILE_NAMED_BIB)
        written = True
    except OSError:  # a filesystem that refuses control characters in names
        written = False
    library = load_library([str(folder)])
    names = {person.name for person, _ in library.people.counts(library.papers)}
    assert click in names and spaced_click in names, names
    assert library.get(HOSTILE_KEY) is not None
    return Hostile(folder, click, spaced_click, written)


# --- reading what is on screen ------------------------------------------------------------------


def shown(widget: Widget) -> str:
    """The widget as drawn: its rendered lines as text."""
    width, height = widget.region.size
    return "\n".join(strip.text for strip in widget.render_lines(Region(0, 0, width, height)))


def unwrapped(text: str) -> str:
    """`text` without any whitespace, so that long names compare however the pane wrapped them."""
    return "".join(text.split())


def actions_on_screen(app: App[object]) -> list[str]:
    """Every `@click` action anywhere on the active screen (the reader's own ones included)."""
    found = []
    for widget in app.screen.query("*"):
        width, height = widget.region.size
        if not widget.display or not width or not height:
            continue
        for strip in widget.render_lines(Region(0, 0, width, height)):
            for segment in strip:
                action = segment.style.meta.get("@click") if segment.style else None
                if action:
                    found.append(str(action))
    return found


def assert_no_bait(app: App[object]) -> None:
    baited = [action for action in actions_on_screen(app) if any(bait in action for bait in BAITS)]
    assert not baited, f"library text became an action: {baited}"


def assert_literal(text: str, *expected: str) -> None:
    """No control character on screen, and every piece shown as written (wherever lines wrap)."""
    assert not any(control in text for control in "\x1b\x07\x9b"), "a control character reached the screen"
    for piece in expected:
        assert unwrapped(piece) in unwrapped(text), f"{piece!r} is not shown literally in {text!r}"


async def click_text(pilot: Pilot, widget: Widget, *needles: str) -> None:
    """Click the middle of the first of `needles` the widget shows (the later ones are where a
    name would be if its markup had been read)."""
    lines = shown(widget).splitlines()
    for needle in needles:
        for row, line in enumerate(lines):
            if needle in line:
                column = line.index(needle) + len(needle) // 2
                await pilot.click(widget, offset=(column, row))
                await pilot.pause(0.2)
                return
    raise AssertionError(f"none of {needles!r} is shown in {lines!r}")


async def open_hostile(pilot: Pilot) -> MainScreen:
    screen = await ready(pilot)
    assert screen.query_one(PaperList).select(HOSTILE_KEY)
    await pilot.pause()
    return screen


async def options_of(pilot: Pilot, needle: str) -> OptionList:
    """The active screen's option list once an option mentions `needle`, that option highlighted
    (so scrolled into view: a palette lists more than it shows)."""
    for _ in range(200):
        lists = pilot.app.screen.query(OptionList)
        if lists and not lists.first().loading:
            options = lists.first()
            prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
            found = next((i for i, prompt in enumerate(prompts) if needle in prompt), None)
            if found is not None:
                options.highlighted = found
                await pilot.pause()
                return options
        await pilot.pause(0.05)
    raise AssertionError(f"no option mentions {needle!r}")


# --- the mechanism -----------------------------------------------------------------------------

TRICKY = [
    "[@click=app.screenshot('pwned.svg','.')]Bob[/]",
    "[ @click=app.bell]x[/]",  # Textual's own `escape` leaves this one an action
    "[B]upper[/B] [$accent]variable[/]",
    "a \\[bold]backslashed[/bold] and a trailing backslash\\",
    f"[bold red]Eve{OSC} {CLEAR}{CSI}",
]


@pytest.mark.parametrize("text", TRICKY)
def test_literal_is_the_text_itself(text: str) -> None:
    shown_text = literal(text, "bold")
    assert shown_text.plain == visible_controls(text)
    assert not shown_text.spans and shown_text.style == "bold"
    assert not any(control in shown_text.plain for control in "\x1b\x07\x9b")


@pytest.mark.parametrize("text", TRICKY)
def test_inert_markup_reads_back_as_written(text: str) -> None:
    content = Content.from_markup(inert_markup(text))
    assert content.plain == visible_controls(text)
    assert not content.spans


# --- the reader ---------------------------------------------------------------------------------


async def test_paper_list_rows(hostile: Hostile) -> None:
    app = reader_app([str(hostile.folder)])
    async with app.run_test(size=(160, 40)) as pilot:
        screen = await open_hostile(pilot)
        paper_list = screen.query_one(PaperList)
        row = paper_list.cursor * ROW_HEIGHT
        title, byline = (paper_list.render_line(row + line).text for line in range(ROW_HEIGHT))
        assert_literal(title, "Hostile [bold red]title[/]", SHOWN_OSC)
        assert_literal(byline, "[@click=app.screenshot(")
        assert_no_bait(app)
        await click_text(pilot, paper_list, "[@click=app.screenshot(")
        assert not hostile.fired


async def test_abstract_view(hostile: Hostile) -> None:
    app = reader_app([str(hostile.folder)])
    async with app.run_test(size=(160, 40)) as pilot:
        screen = await open_hostile(pilot)
        body = screen.query_one(AbstractView)
        expected = [
            "Hostile [bold red]title[/]",
            hostile.click,
            hostile.spaced_click,
            f"[bold red]Eve{SHOWN_OSC}",
            f"Venue [@click=app.bell]v[/] {SHOWN_CLEAR}",
            f"k[b]x{SHOWN_OSC}[/b]{SHOWN_CLEAR}",
            "[link=http://example.com]markup[/link]",
        ]
        # Without the pane's left border, so that words wrapped over two lines join up again.
        assert_literal("\n".join(line[1:] for line in shown(body).splitlines()), *expected)
        assert_no_bait(app)
        await click_text(pilot, body, "Venue [@click=app.bell]")
        await click_text(pilot, body, "app.screenshot('pwned.svg'")  # filters by the author, no more
        assert not hostile.fired
        if hostile.file_name_written:
            await pilot.press("x")  # the click above filtered by an author of another paper
            screen = await ready(pilot)
            assert screen.query_one(PaperList).select("third")
            await pilot.pause()
            drawn = shown(screen.query_one(AbstractView)).splitlines()
            assert_literal("\n".join(line[1:] for line in drawn), SHOWN_FILE_NAME)


async def test_author_and_year_facets(hostile: Hostile) -> None:
    app = reader_app([str(hostile.folder)])
    async with app.run_test(size=(160, 40)) as pilot:
        screen = await ready(pilot)
        authors = screen.query_one(AuthorFacets)
        # Long names are cut short to keep their counts on their rows: the start is what shows.
        assert_literal(shown(authors), "[@click=app.screens", f"[bold red]Eve{SHOWN_OSC[:6]}", SHOWN_CLEAR)
        assert_literal(shown(screen.query_one(YearFacets)), "2021", "2020")
        assert_no_bait(app)
        await click_text(pilot, authors, "[@click=app.screens")  # toggles the filter, no more
        assert not hostile.fired


async def test_author_picker(hostile: Hostile) -> None:
    app = reader_app([str(hostile.folder)])
    async with app.run_test(size=(160, 40)) as pilot:
        await open_hostile(pilot)
        await pilot.press("A")
        assert isinstance(app.screen, AuthorPicker)
        options = await options_of(pilot, "Bob")
        assert_literal(shown(options), hostile.click, f"[bold red]Eve{SHOWN_OSC}", SHOWN_CLEAR)
        assert_no_bait(app)
        await click_text(pilot, options, "app.screenshot('pwned.svg'")
        assert not hostile.fired


async def test_related_papers_picker(hostile: Hostile) -> None:
    app = reader_app([str(hostile.folder)])
    async with app.run_test(size=(160, 40)) as pilot:
        await open_hostile(pilot)
        await pilot.press("r")
        assert isinstance(app.screen, RelatedPapers)
        options = await options_of(pilot, "A second paper")
        assert_literal(shown(options), "[@click=app.screenshot(")  # the byline, cut to the width
        assert_literal(screen_text(app), "Hostile [bold red]title[/]", SHOWN_OSC)  # the dialog's title
        assert_no_bait(app)
        await click_text(pilot, options, "[@click=app.screenshot(")
        assert not hostile.fired


async def test_citation_picker_preview(hostile: Hostile) -> None:
    app = reader_app([str(hostile.folder)])
    async with app.run_test(size=(160, 40)) as pilot:
        await open_hostile(pilot)
        await pilot.press("c")
        assert isinstance(app.screen, CitationPicker)
        await pilot.pause()
        preview = app.screen.query_one("#citation-preview", Static)
        # BibTeX drops control characters itself; the markup must still be shown as written.
        assert_literal(shown(preview), "{Hostile [bold red]title[/]", "{{[@click=app.screenshot(")
        assert_literal(screen_text(app), "Cite “Hostile [bold red]title[/]")
        assert_no_bait(app)
        await click_text(pilot, preview, "[bold red]title")
        assert not hostile.fired


async def test_library_problems_picker(hostile: Hostile) -> None:
    app = reader_app([str(hostile.folder)])
    async with app.run_test(size=(160, 40)) as pilot:
        await ready(pilot)
        app.action_library_problems()
        options = await options_of(pilot, "Damaged" if not hostile.file_name_written else "broken")
        assert isinstance(app.screen, LibraryProblems)
        expected = [f"k{SHOWN_CLEAR}[@click="]
        if hostile.file_name_written:
            expected.append(SHOWN_FILE_NAME)
        assert_literal(shown(options), *expected)
        assert_no_bait(app)


async def _palette(pilot: Pilot, typed: str, needle: str) -> OptionList:
    await pilot.press("ctrl+p")
    if typed:
        await pilot.press(*typed)
    return await options_of(pilot, needle)


async def test_palette_go_to_author(hostile: Hostile) -> None:
    app = reader_app([str(hostile.folder)])
    async with app.run_test(size=(160, 40)) as pilot:
        await ready(pilot)
        discovered = await _palette(pilot, "", "Bob")  # before anything is typed
        assert_literal(shown(discovered), f"Go to author: {hostile.click}")
        assert_no_bait(app)
        await pilot.press(*"bob")
        found = await options_of(pilot, "Bob")
        assert_literal(shown(found), f"Go to author: {hostile.click}")
        assert_no_bait(app)
        await click_text(pilot, found, "app.screenshot('pwned.svg'")  # goes to the author, no more
        assert not hostile.fired


async def test_palette_go_to_paper(hostile: Hostile) -> None:
    app = reader_app([str(hostile.folder)])
    async with app.run_test(size=(300, 40)) as pilot:  # wide: the authors' long names fold less
        await ready(pilot)
        options = await _palette(pilot, "hostile", "Go to paper: Hostile")
        assert_literal(
            shown(options),
            "Go to paper: Hostile [bold red]title[/]",
            SHOWN_OSC,
            hostile.click,  # the authors, on the help line
            hostile.spaced_click,
        )
        assert_no_bait(app)
        await click_text(pilot, options, "@click=app.screenshot('pwned2.svg'")
        assert not hostile.fired


async def test_status_line_after_filtering_by_the_hostile_author(hostile: Hostile) -> None:
    app = reader_app([str(hostile.folder)])
    async with app.run_test(size=(260, 40)) as pilot:
        screen = await ready(pilot)
        person = next(p for _, p, _ in screen.author_counts() if p.name == hostile.click)
        screen.go_to_author(person.key)
        screen = await ready(pilot)
        status = screen.query_one("#status-line", Static)
        await click_text(pilot, status, "[@click=app.screenshot(", "Bob")
        assert not hostile.fired
        assert_literal(shown(status), f"author: {hostile.click}")
        assert_no_bait(app)


async def test_search_hint_quoting_the_query(hostile: Hostile, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(hostile.folder.parent)  # a short bait fits the hint: it would save here
    app = reader_app([str(hostile.folder)])
    async with app.run_test(size=(200, 40)) as pilot:
        screen = await ready(pilot)
        pasted = f"year:[@click=app.screenshot('pwned.svg','.')]Bob[/]{CLEAR}"
        screen.query_one("#search", Input).value = pasted
        screen = await ready(pilot)
        hint = screen.query_one("#search-hint", Static)
        await click_text(pilot, hint, "[@click=app.screenshot(")
        assert not hostile.fired
        # The hint quotes the part of the query that is not a year, exactly as typed.
        assert_literal(shown(hint), "year:[@click=app.screenshot('pwned.svg','.')]")
        assert_no_bait(app)


async def test_problems_notification_at_load(hostile: Hostile) -> None:
    if not hostile.file_name_written:
        pytest.skip("this filesystem refuses control characters in file names")
    app = reader_app([str(hostile.folder)])
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        await ready(pilot)
        shown_toasts = ""
        for _ in range(100):
            shown_toasts = "\n".join(shown(toast) for toast in app.screen.query("Toast"))
            if shown_toasts.strip():
                break
            await pilot.pause(0.05)
        assert_literal(shown_toasts, SHOWN_FILE_NAME, f"k{SHOWN_CLEAR}[@click=")
        assert_no_bait(app)


# --- the command line ---------------------------------------------------------------------------


def _cli(hostile: Hostile, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"FORCE_COLOR", "TTY_COMPATIBLE"}}
    result = subprocess.run(
        [sys.executable, "-m", "tuireader", *args, "--corpus", str(hostile.folder)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=120,
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("list",), ["Hostile [bold red]title[/]", SHOWN_OSC, f"k[b]x{SHOWN_OSC}"]),
        (("show", HOSTILE_KEY), ["[@click=app.screenshot(", "Venue [@click=app.bell]v[/]", SHOWN_CLEAR]),
        (("authors",), ["[@click=app.screenshot(", f"[bold red]Eve{SHOWN_OSC}"]),
        (("search", "jailbreak"), ["Hostile [bold red]title[/]", f"(untitled) u[b]{SHOWN_OSC}z", "\\x9b2J"]),
        (("related", "second"), ["Hostile [bold red]title[/]", SHOWN_OSC]),
        (("check",), ["Read 4 entries from"]),
        (("cite", HOSTILE_KEY), ["Hostile [bold red]title[/]", "[@click=app.screenshot("]),
        (("export", "jailbreak", "--style", "apa"), ["Hostile [bold red]title[/]", "[bold red]Eve"]),
    ],
    ids=["list", "show", "authors", "search", "related", "check", "cite", "export"],
)
def test_cli_prints_library_text_inert(hostile: Hostile, args: tuple[str, ...], expected: list[str]) -> None:
    result = _cli(hostile, *args)
    assert result.returncode == 0, result.stderr
    for output in (result.stdout, result.stderr):
        assert not any(control in output for control in "\x1b\x07\x9b"), output
    for piece in expected:
        assert piece in result.stdout, result.stdout
    problems = result.stdout if args[0] == "check" else result.stderr
    assert f"k{SHOWN_CLEAR}[@click=" in problems  # the damaged entry
    if hostile.file_name_written:
        assert SHOWN_FILE_NAME in problems


@pytest.mark.parametrize("command", ["list", "authors", "search"])
def test_cli_json_is_escaped_and_exact(hostile: Hostile, command: str) -> None:
    args = [command, "jailbreak"] if command == "search" else [command]
    result = _cli(hostile, *args, "--json")
    assert result.returncode == 0, result.stderr
    assert not any(control in result.stdout for control in "\x1b\x07\x9b"), result.stdout

    def encoded(value: object) -> str:
        return json.dumps(value, ensure_ascii=False)

    data = encoded(json.loads(result.stdout))  # the data itself is exact: compared as JSON text
    assert encoded(hostile.click) in data
    if command != "authors":
        assert encoded(HOSTILE_TITLE) in data and f"inside{CSI}2J" in data
