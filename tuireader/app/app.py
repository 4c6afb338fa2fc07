"""The Textual application: loads the library in a worker, then hands over to the main screen.

Loading has two steps. The library is read first (the loading screen shows it), and the main screen
then shows its papers at once; the index is opened, or built on a first open, behind it, and search
starts when it is ready. Every worker's failure reaches the user as a notification (or, before there
is anything to show, on the loading screen) and its traceback goes to the log file.

Personal state (stars, tags, notes, marks, saved searches, the last session) is opened in the same
worker, after the library, and read for it there. A store that cannot be opened is told as a warning
and the reader goes on without it; the main screen owns the store from then on and closes it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any, ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import App, SystemCommand
from textual.binding import BindingType
from textual.command import CommandPalette
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.worker import Worker, WorkerState, get_current_worker

from tuireader.app.actions import APP_ACTIONS, SCREEN_ACTIONS
from tuireader.app.commands import AuthorCommands, PaperCommands, SavedSearchCommands
from tuireader.app.palette import ReaderPalette
from tuireader.app.reading_apart import load_library_apart
from tuireader.app.reading_state import StartingState
from tuireader.app.screens.citation import CitationPicker, copy_summary
from tuireader.app.screens.help import HelpScreen
from tuireader.app.screens.loading import LoadingScreen
from tuireader.app.screens.main import MainScreen
from tuireader.clipboard import copy_to_clipboard
from tuireader.config import Settings, load_settings, save_settings
from tuireader.corpus.library import Library, LoadProgress
from tuireader.corpus.model import Paper
from tuireader.corpus.snapshot import SnapshotDamaged
from tuireader.index import IndexUnavailable, SearchEngine
from tuireader.logs import log_path, start_logging
from tuireader.safe_text import literal, visible_controls
from tuireader.state import StateError

MAX_PROBLEMS_NOTIFIED = 5
log = logging.getLogger(__name__)

# What each worker does, as the user would name it when it fails.
WORKER_NAMES = {
    "load": "Opening the library",
    "search": "Search",
    "related": "Related papers",
    "clipboard": "Copying",
    "warm-up": "Preparing the author list",
    "open": "Opening the paper",
    "follow": "Following the library files",
    "export": "Exporting",
}


class QuitWhileLoading(Exception):
    """The reader is closing: a loading step stops at its next progress report."""


class ReaderApp(App[None]):
    CSS_PATH = "reader.tcss"
    TITLE = "tuireader"
    BINDINGS: ClassVar[list[BindingType]] = [
        binding for action in APP_ACTIONS for binding in action.bindings()
    ]
    COMMANDS = App.COMMANDS | {PaperCommands, AuthorCommands, SavedSearchCommands}

    def __init__(
        self,
        paths: Sequence[str] | None = None,
        *,
        settings: Settings | None = None,
        cursor_blink: bool = True,
        follow_files: bool = True,
    ) -> None:
        super().__init__()
        self.follow_files = follow_files  # pick up changes to the library files while running
        start_logging()
        self.cursor_blink = cursor_blink
        self.paths = list(paths) if paths else None
        loaded, self._settings_problem = (settings, None) if settings else load_settings()
        self.settings = loaded
        self._persist = settings is None  # an injected configuration (tests) is never written
        self._typeahead: list[str] | None = None  # keys typed while the palette opens

    def on_mount(self) -> None:
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        if self._settings_problem:
            self.notify(self._settings_problem, title="Settings", severity="warning", timeout=10)
        self.push_screen(LoadingScreen())
        self.load()

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def load(self) -> None:
        library = load_library_apart(
            self.paths, progress=self._threaded_load_progress, merge=self.settings.merge_duplicates
        )
        if not library.papers:
            lines = [visible_controls(str(problem)) for problem in library.problems] or ["no papers to show"]
            message = Text("tuireader: " + "\ntuireader: ".join(lines))
            self.call_from_thread(self.exit, None, 2, message)
            return
        try:
            current = SearchEngine.open_if_current(library)  # nothing changed: searchable at once
        except Exception:  # whatever it is, opening it the long way says what
            log.exception("opening the current search index failed")
            current = None
        state = self._read_state(library)
        main = MainScreen(library, current, sort=self.settings.sort, state=state)
        self.call_from_thread(self._show_library, library, main)
        if state is not None and state.store.notice:
            self.call_from_thread(self._state_notice, state.store.notice)
        if current is None:
            self._open_index(main)
        elif current.notice:
            self.call_from_thread(self._index_notice, current.notice)

    def _read_state(self, library: Library) -> StartingState | None:
        """The store and what it holds for `library`; None (and a warning) when it cannot be used."""
        try:
            return StartingState.read(library)
        except StateError as error:
            reason = str(error)
        except Exception as error:  # the reader is still worth having without its state
            log.exception("reading personal state failed")
            reason = f"{type(error).__name__}: {error}\nDetails are in {log_path()}"
        self.call_from_thread(
            self.notify,
            f"{reason}\nStars, tags, notes and marks are not kept this time.",
            title="Personal state is unavailable",
            severity="warning",
            timeout=20,
        )
        return None

    def _state_notice(self, notice: str) -> None:
        self.notify(notice, title="Personal state", severity="warning", timeout=20)

    def _open_index(self, main: MainScreen, *, rebuild: bool = False) -> None:
        """Open, refresh or build the index behind a screen already showing the library."""
        try:
            engine = SearchEngine.open(
                main.library, progress=lambda done, total: self._indexing(main, done, total), rebuild=rebuild
            )
        except QuitWhileLoading:
            return
        except Exception as error:
            log.exception("opening the search index failed")
            self.call_from_thread(self._index_failed, main, error)
            return
        try:
            self._continue_loading()
        except QuitWhileLoading:
            engine.close()
            return
        self.call_from_thread(main.index_ready, engine)
        if engine.notice:
            self.call_from_thread(self._index_notice, engine.notice)

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def rebuild_index(self, main: MainScreen) -> None:
        """The index turned out damaged while searching: build it again behind the list."""
        self._open_index(main, rebuild=True)

    def _index_notice(self, notice: str) -> None:
        self.notify(notice, title="Search index", severity="warning", timeout=15)

    def _continue_loading(self) -> None:
        """Raise when the reader is closing, so that a long loading step ends at once."""
        if get_current_worker().is_cancelled or not self.is_running:
            raise QuitWhileLoading

    def _threaded_load_progress(self, progress: LoadProgress) -> None:
        self._continue_loading()
        if progress.stage == "merging":
            label = "Merging duplicates…"
        else:
            label = f"Reading {progress.files_done:,} of {progress.files_total:,} files… {progress.current}"
        self.call_from_thread(self._progress, label, int(progress.fraction * 1000), 1000)

    def _indexing(self, main: MainScreen, done: int, total: int) -> None:
        self._continue_loading()
        if done < total:
            self.call_from_thread(main.index_progress, done, total)

    def _progress(self, label: str, done: int, total: int) -> None:
        if isinstance(self.screen, LoadingScreen):
            self.screen.progress(label, done, total)

    def _show_library(self, library: Library, main: MainScreen) -> None:
        self.switch_screen(main)
        if library.problems:
            self._notify_problems(library)

    # --- failures -------------------------------------------------------------------------------

    def _index_failed(self, main: MainScreen, error: Exception) -> None:
        """The library stays readable without its index; searching waits for the next start."""
        reason = str(error) if isinstance(error, IndexUnavailable) else f"{type(error).__name__}: {error}"
        main.index_failed(reason)
        self.notify(
            f"{reason}\nThe list and abstracts work; search does not.\nDetails are in {log_path()}",
            title="The search index could not be opened",
            severity="error",
            timeout=30,
        )

    @on(Worker.StateChanged)
    def _worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Worker messages do not bubble: each screen with workers hands its failures here too."""
        self.worker_failed(event)

    def worker_failed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if event.state != WorkerState.ERROR or isinstance(worker.error, QuitWhileLoading):
            return
        if isinstance(worker.error, SnapshotDamaged):
            self._stop_for_damaged_cache(worker.error)
            return
        self.report_failure(WORKER_NAMES.get(worker.group, worker.name or "A background task"), worker.error)

    def _handle_exception(self, error: Exception) -> None:
        """Whatever stops the reader is logged; a cache found damaged while a paper is drawn ends it
        with one line (the cache is gone, so the next start reads the library files again)."""
        if isinstance(error, SnapshotDamaged):
            self._stop_for_damaged_cache(error)
            return
        log.error("The reader stopped", exc_info=error)
        super()._handle_exception(error)

    def _stop_for_damaged_cache(self, error: SnapshotDamaged) -> None:
        # The papers in memory can no longer be trusted to match the files; the damaged cache is
        # already gone, so starting again reads the library files.
        log.error("The library's cache is damaged", exc_info=error)
        self._return_code = 1
        self.panic(literal(f"tuireader: {error}"))

    def report_failure(self, what: str, error: BaseException | None) -> None:
        """Tell the user what failed (on the loading screen, or as a notification) and log why."""
        log.error("%s failed", what, exc_info=error)
        message = f"{type(error).__name__}: {error}\nDetails are in {log_path()}"
        if isinstance(self.screen, LoadingScreen):
            self.screen.failed(f"{what} failed", message)
        else:
            self.notify(message, title=f"{what} failed", severity="error", timeout=20)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Notifications quote library text (titles, file names): they are never read as markup."""
        super().notify(
            visible_controls(message),
            title=visible_controls(title),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    def _notify_problems(self, library: Library) -> None:
        shown = [str(problem) for problem in library.problems[:MAX_PROBLEMS_NOTIFIED]]
        more = len(library.problems) - len(shown)
        if more:
            shown.append(f"… and {more:,} more: “Library problems” in Ctrl+P lists them all")
        files = len(library.files_read)
        self.notify(
            "\n".join(shown),
            title=f"{len(library.papers):,} papers from {files:,} files; {library.problem_count:,} problems",
            severity="warning",
            timeout=12,
            markup=False,
        )

    def action_library_problems(self) -> None:
        # Imported here: the pickers' module is not needed for the first paint
        from tuireader.app.screens.pickers import LibraryProblems

        if isinstance(self.screen, MainScreen):
            self.push_screen(LibraryProblems(self.screen.library))

    def on_unmount(self) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, MainScreen) and screen.engine is not None:
                screen.engine.close()

    # --- settings -------------------------------------------------------------------------------

    def update_settings(self, **changes: Any) -> None:
        updated = replace(self.settings, **changes)
        if updated == self.settings:
            return
        changed = {name: value for name, value in changes.items() if getattr(self.settings, name) != value}
        self.settings = updated
        if self._persist:
            try:
                save_settings(changed)  # only these keys: the user's own edits to the file stay
            except OSError as error:
                self.notify(f"Could not save settings: {error}", severity="warning")

    def watch_theme(self, theme: str) -> None:
        self.update_settings(theme=theme)

    # --- citations ------------------------------------------------------------------------------

    def open_citation_picker(self, papers: list[Paper]) -> None:
        if not papers:
            return

        def chosen(style_name: str | None) -> None:
            if style_name:
                self.update_settings(citation_style=style_name)
                self.copy_citations(papers)

        self.push_screen(CitationPicker(papers, self.settings.citation_style), chosen)

    def copy_citations(self, papers: list[Paper]) -> None:
        """Copy in the last style used, from a worker: the system clipboard may take a while."""
        if papers:
            self._copy_in_background(papers, self.settings.citation_style)

    @work(thread=True, group="clipboard", exit_on_error=False)
    def _copy_in_background(self, papers: list[Paper], style_name: str) -> None:
        text, what, left_out = copy_summary(papers, style_name)
        if not text:
            self.call_from_thread(self.notify, f"Nothing to copy: {what}", severity="warning")
            return
        report = copy_to_clipboard(
            text, what=what, terminal=lambda t: self.call_from_thread(self.copy_to_clipboard, t)
        )
        message = report.message
        if left_out:
            message += f"\n{len(left_out)} paper(s) left out: this style cannot cite them"
        severity = "information" if report.copied else "warning" if report.sent else "error"
        self.call_from_thread(self.notify, message, title="Citation", severity=severity)

    # --- actions --------------------------------------------------------------------------------

    def begin_typeahead(self) -> None:
        """Hold the printable keys that follow until the palette opens (see palette.py)."""
        if not self._palette_open():
            self._typeahead = []

    def typeahead(self, event: events.Key) -> bool:
        """Keep `event` for the opening palette; False when no palette is opening or it is no text."""
        if self._typeahead is None or not (event.is_printable and event.character):
            return False
        event.stop()
        event.prevent_default()
        self._typeahead.append(event.character)
        return True

    def take_typeahead(self) -> str:
        typed, self._typeahead = "".join(self._typeahead or ()), None
        return typed

    def action_command_palette(self) -> None:
        if self.use_command_palette and not self._palette_open():
            self.push_screen(ReaderPalette(id="--command-palette"))
        else:
            self._typeahead = None

    def _palette_open(self) -> bool:
        return any(isinstance(screen, CommandPalette) for screen in self.screen_stack)

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if isinstance(screen, MainScreen):
            for action in SCREEN_ACTIONS:
                if not action.per_key and screen.check_action(action.name, ()):
                    yield SystemCommand(
                        action.label, action.help, lambda a=action.action: screen.run_action(a)
                    )
        yield SystemCommand("Help", "Every key and the search syntax", self.action_help)
        yield SystemCommand(
            "Library problems",
            "Every skipped entry and file, with file and line",
            self.action_library_problems,
        )
