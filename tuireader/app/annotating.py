"""The reader's own marks on papers, as actions of the main screen: star, read status, tags,
notes, clearing marks, and saved searches; and the results kept to a query's state terms.

The screen keeps the state (`MainScreen.reading`, None when the store could not be opened) and
shows it; these functions change it for the paper under the cursor and say what they did.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

from tuireader.app.reading_state import ReadingState, describe_search
from tuireader.corpus.library import Library
from tuireader.corpus.model import Paper
from tuireader.index import SearchResults
from tuireader.index.browse import counted
from tuireader.state import PaperState, ReadStatus, SavedSearch, StateFilter, ids_matching

if TYPE_CHECKING:
    from tuireader.app.screens.main import MainScreen

STATE_ACTIONS = frozenset({"toggle_star", "cycle_status", "edit_tags", "edit_note"})
# Papers kept by a state filter whose facets are counted again; past it (`is:unread` in a large
# library) rebuilding every kept paper would hold the list back, and the facets count every match.
RECOUNT_LIMIT = 10_000
STATUS_NAMES = {ReadStatus.UNREAD: "unread", ReadStatus.TO_READ: "to read", ReadStatus.READ: "read"}


def kept_by_state(
    results: SearchResults,
    states: Mapping[str, PaperState],
    state_filter: StateFilter,
    library: Library | None = None,
) -> SearchResults:
    """The results whose papers' state fits the filter (all of them for an empty filter). Given
    the library, the facets are counted again over the papers kept: `is:starred` then lists the
    starred papers' authors, not those of every match."""
    if not state_filter:
        return results
    kept = ids_matching(results.ids, states, state_filter)
    results = replace(results, ids=kept, total=len(kept))
    if library is None or len(kept) > RECOUNT_LIMIT:
        return results
    papers = [paper for paper in map(library.get, kept) if paper is not None]
    return counted(results, library, papers)


def _reading(screen: MainScreen) -> ReadingState | None:
    if screen.reading is None:
        screen.notify(
            "Personal state could not be opened when the reader started (see the earlier notice)",
            severity="warning",
        )
    return screen.reading


def toggle_star(screen: MainScreen) -> None:
    paper, reading = screen.current_paper, _reading(screen)
    if paper is not None and reading is not None:
        reading.toggle_star(paper)
        screen.state_shown()


def cycle_status(screen: MainScreen) -> None:
    paper, reading = screen.current_paper, _reading(screen)
    if paper is not None and reading is not None:
        state = reading.cycle_status(paper)
        screen.state_shown()
        screen.notify(f"Now {STATUS_NAMES[state.status]}", timeout=2)


def edit_tags(screen: MainScreen) -> None:
    from tuireader.app.screens.annotations import TagEditor

    paper, reading = screen.current_paper, _reading(screen)
    if paper is None or reading is None:
        return

    def typed(text: str | None) -> None:
        if text and text.strip():
            _change_tag(screen, reading, paper, text.strip())

    screen.app.push_screen(TagEditor(paper, reading.state_of(paper.id).tags), typed)


def _change_tag(screen: MainScreen, reading: ReadingState, paper: Paper, typed: str) -> None:
    """`tag` adds it, `-tag` takes it off."""
    removing = typed.startswith("-")
    tag = typed[1:] if removing else typed
    try:
        if removing:
            if tag.strip() not in reading.state_of(paper.id).tags:
                screen.notify(f"The paper has no tag “{tag.strip()}”", severity="warning")
                return
            reading.remove_tag(paper, tag)
        else:
            reading.add_tag(paper, tag)
    except ValueError as error:
        screen.notify(f"Not a tag: {error}", severity="warning")
        return
    screen.state_shown()


def edit_note(screen: MainScreen) -> None:
    from tuireader.app.screens.annotations import NoteEditor

    paper, reading = screen.current_paper, _reading(screen)
    if paper is None or reading is None:
        return
    before = reading.state_of(paper.id).note

    def written(note: str | None) -> None:
        if note is not None and note != before and reading is not None:
            reading.set_note(paper, note)
            screen.state_shown()
            screen.notify("Note saved" if note.strip() else "Note removed", timeout=3)

    screen.app.push_screen(NoteEditor(paper, before), written)


def clear_marks(screen: MainScreen) -> None:
    from tuireader.app.widgets.paper_list import PaperList

    paper_list = screen.query_one(PaperList)
    count = len(paper_list.marked)
    paper_list.clear_marks()
    if screen.reading is not None:
        screen.reading.clear_marks()
    screen.notify(f"Cleared {count} mark{'s' if count != 1 else ''}")


def save_search(screen: MainScreen) -> None:
    reading = _reading(screen)
    if reading is None:
        return
    slot = reading.first_free_slot()
    if slot is None:
        screen.notify(
            "All nine saved-search keys are taken: forget one in the command palette first",
            severity="warning",
        )
        return
    search = SavedSearch(
        "", screen.search_text, screen.authors, screen.years, screen.sort, venues=screen.venues
    )
    name = describe_search(search, screen.person_names())
    reading.save_search(slot, replace(search, name=name))
    screen.notify(f"Saved as search {slot}: {name}\nPress {slot} to come back to it", title="Saved search")


def recall_search(screen: MainScreen, slot: int) -> None:
    reading = _reading(screen)
    if reading is None:
        return
    search = reading.saved.get(slot)
    if search is None:
        screen.notify(f"No search is saved under {slot}: Ctrl+S saves the current one", severity="warning")
        return
    screen.show_search(search.query, search.authors, search.years, search.venues, search.sort)
    screen.notify(f"Search {slot}: {search.name}", timeout=3)


def forget_search(screen: MainScreen, slot: int) -> None:
    if screen.reading is not None and screen.reading.forget_search(slot):
        screen.notify(f"Forgot saved search {slot}")
