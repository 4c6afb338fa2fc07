"""The Textual application: loads the library in a worker, then hands over to the main screen."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any, ClassVar

from textual import work
from textual.app import App, SystemCommand
from textual.binding import BindingType
from textual.screen import Screen

from tuireader.app.actions import APP_ACTIONS, SCREEN_ACTIONS
from tuireader.app.commands import AuthorCommands, PaperCommands
from tuireader.app.screens.citation import CitationPicker, copy_summary
from tuireader.app.screens.help import HelpScreen
from tuireader.app.screens.loading import LoadingScreen
from tuireader.app.screens.main import MainScreen
from tuireader.app.screens.pickers import LibraryProblems
from tuireader.clipboard import copy_to_clipboard
from tuireader.config import Settings, load_settings, save_settings
from tuireader.corpus.library import Library, LoadProgress, load_library
from tuireader.corpus.model import Paper
from tuireader.index import SearchEngine

MAX_PROBLEMS_NOTIFIED = 5


class ReaderApp(App[None]):
    CSS_PATH = "reader.tcss"
    TITLE = "tuireader"
    BINDINGS: ClassVar[list[BindingType]] = [action.binding() for action in APP_ACTIONS]
    COMMANDS = App.COMMANDS | {PaperCommands, AuthorCommands}

    def __init__(
        self,
        paths: Sequence[str] | None = None,
        *,
        settings: Settings | None = None,
        cursor_blink: bool = True,
    ) -> None:
        super().__init__()
        self.cursor_blink = cursor_blink
        self.paths = list(paths) if paths else None
        loaded, self._settings_problem = (settings, None) if settings else load_settings()
        self.settings = loaded
        self._persist = settings is None  # an injected configuration (tests) is never written

    def on_mount(self) -> None:
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        if self._settings_problem:
            self.notify(self._settings_problem, title="Settings", severity="warning", timeout=10)
        self.push_screen(LoadingScreen())
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def load(self) -> None:
        library = load_library(self.paths, progress=self._threaded_load_progress)
        if not library.papers:
            lines = [str(problem) for problem in library.problems] or ["no papers to show"]
            self.call_from_thread(self.exit, None, 2, "tuireader: " + "\ntuireader: ".join(lines))
            return
        self.call_from_thread(self._progress, "Opening the search index…", 0, 0)
        engine = SearchEngine.open(library, progress=lambda done, total: self._threaded_progress(done, total))
        self.call_from_thread(self._show_library, library, engine)

    def _threaded_load_progress(self, progress: LoadProgress) -> None:
        if progress.stage == "merging":
            label = "Merging duplicates…"
        else:
            label = f"Reading {progress.files_done:,} of {progress.files_total:,} files… {progress.current}"
        self.call_from_thread(self._progress, label, int(progress.fraction * 1000), 1000)

    def _threaded_progress(self, done: int, total: int) -> None:
        self.call_from_thread(self._progress, f"Indexing {total:,} papers…", done, total)

    def _progress(self, label: str, done: int, total: int) -> None:
        if isinstance(self.screen, LoadingScreen):
            self.screen.progress(label, done, total)

    def _show_library(self, library: Library, engine: SearchEngine) -> None:
        self.switch_screen(MainScreen(library, engine, sort=self.settings.sort))
        if library.problems:
            self._notify_problems(library)

    def _notify_problems(self, library: Library) -> None:
        shown = [str(problem) for problem in library.problems[:MAX_PROBLEMS_NOTIFIED]]
        more = len(library.problems) - len(shown)
        if more:
            shown.append(f"… and {more:,} more: “Library problems” in Ctrl+P lists them all")
        files = len(library.files_read)
        self.notify(
            "\n".join(shown),
            title=f"{len(library.papers):,} papers from {files:,} files; {len(library.problems):,} problems",
            severity="warning",
            timeout=12,
            markup=False,
        )

    def action_library_problems(self) -> None:
        if isinstance(self.screen, MainScreen):
            self.push_screen(LibraryProblems(self.screen.library))

    def on_unmount(self) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                screen.engine.close()

    # --- settings -------------------------------------------------------------------------------

    def update_settings(self, **changes: Any) -> None:
        updated = replace(self.settings, **changes)
        if updated == self.settings:
            return
        self.settings = updated
        if self._persist:
            try:
                save_settings(updated)
            except OSError as error:
                self.notify(f"Could not save settings: {error}", severity="warning", markup=False)

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
            self.call_from_thread(self.notify, f"Nothing to copy: {what}", severity="warning", markup=False)
            return
        report = copy_to_clipboard(
            text, what=what, terminal=lambda t: self.call_from_thread(self.copy_to_clipboard, t)
        )
        message = report.message
        if left_out:
            message += f"\n{len(left_out)} paper(s) left out: this style cannot cite them"
        severity = "information" if report.copied else "error"
        self.call_from_thread(self.notify, message, title="Citation", severity=severity, markup=False)

    # --- actions --------------------------------------------------------------------------------

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if isinstance(screen, MainScreen):
            for action in SCREEN_ACTIONS:
                if screen.check_action(action.action, ()):
                    yield SystemCommand(
                        action.label, action.help, lambda a=action.action: screen.run_action(a)
                    )
        yield SystemCommand("Help", "Every key and the search syntax", self.action_help)
        yield SystemCommand(
            "Library problems",
            "Every skipped entry and file, with file and line",
            self.action_library_problems,
        )
