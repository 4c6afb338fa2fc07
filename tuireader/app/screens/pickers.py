"""Small modal lists: one of a paper's authors, the papers most like one paper, a paper's files."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from tuireader.app.navigation import related_because
from tuireader.app.widgets.paper_list import byline
from tuireader.corpus.model import Paper
from tuireader.corpus.names import Person
from tuireader.opener import Target
from tuireader.safe_text import literal

if TYPE_CHECKING:
    from tuireader.app.app import ReaderApp
    from tuireader.corpus.library import Library
    from tuireader.index import Hit, SearchEngine


class _Picker(ModalScreen[str | None]):
    """A titled option list; Enter or a click returns the option's id, Esc returns nothing."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", "Close")]

    def __init__(self, title: str) -> None:
        super().__init__()
        self.picker_title = title

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(literal(self.picker_title), classes="dialog-title")
            yield OptionList(id="picker-options")

    @on(OptionList.OptionSelected, "#picker-options")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)


class AuthorPicker(_Picker):
    def __init__(self, people: list[Person]) -> None:
        super().__init__("Filter by an author of this paper")
        self.people = people

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.add_options(Option(literal(p.name), id=p.key) for p in self.people)
        options.highlighted = 0
        options.focus()


class RelatedPapers(_Picker):
    def __init__(self, paper: Paper, library: Library, engine: SearchEngine) -> None:
        super().__init__(f"Papers like “{paper.display_title}”")
        self.paper = paper
        self.library = library
        self.engine = engine

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self.query_one(OptionList).loading = True
        self.find_related()

    @work(thread=True, group="related", exit_on_error=False)
    def find_related(self) -> None:
        hits = self.engine.related(self.paper.id, limit=15)
        self.app.call_from_thread(self._show, hits)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            options = self.query_one(OptionList)
            options.loading = False
            options.add_option(
                Option("Related papers could not be found (see the notification)", disabled=True)
            )
        reader: ReaderApp = self.app  # type: ignore[assignment]
        reader.worker_failed(event)

    def _show(self, hits: list[Hit]) -> None:
        options = self.query_one(OptionList)
        options.loading = False
        for hit in hits:
            paper = self.library.get(hit.paper_id)
            if paper is None:
                continue
            prompt = literal(paper.display_title)
            details = " · ".join(x for x in (byline(paper), str(paper.year or "")) if x)
            prompt.append_text(literal(f"\n  {details}", "dim"))
            because = related_because(self.paper, paper, hit, self.library.people)
            if because:
                prompt.append_text(literal(f"\n  {because}", "italic dim"))
            options.add_option(Option(prompt, id=paper.id))
        if not hits:
            options.add_option(Option("No related papers found", disabled=True))
        else:
            options.highlighted = 0


class LibraryProblems(_Picker):
    """Every entry or file that was skipped or read with a warning, with file and line, and every
    paper made from several entries (with each entry's key and place)."""

    def __init__(self, library: Library) -> None:
        files = len(library.files_read)
        problems, merges = library.problem_count, len(library.merges)
        super().__init__(
            f"{len(library.papers):,} papers from {files:,} file{'s' if files != 1 else ''}; "
            f"{problems:,} problem{'s' if problems != 1 else ''}; "
            f"{merges:,} paper{'s' if merges != 1 else ''} merged from several entries"
        )
        self.library = library

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.add_options(
            Option(literal(str(problem)), id=f"problem-{number}")
            for number, problem in enumerate(self.library.problems)
        )
        if not self.library.problems:
            options.add_option(Option("Nothing was skipped.", disabled=True))
        if self.library.merges:
            options.add_option(Option(literal("Merged (id: key (file:line) + …):", "bold"), disabled=True))
            options.add_options(
                Option(literal(f"  {merge}"), id=f"merge-{number}")
                for number, merge in enumerate(self.library.merges)
            )
        options.focus()

    @on(OptionList.OptionSelected, "#picker-options")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()  # reading, not choosing


class AttachedFiles(_Picker):
    """A paper's attached files that exist; returns the chosen file's path."""

    def __init__(self, paper: Paper, files: Sequence[Target]) -> None:
        super().__init__(f"Open a file of “{paper.display_title}”")
        self.files = files

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        for target in self.files:
            prompt = literal(target.label)
            prompt.append_text(literal(f"\n  {target.location}", "dim"))
            options.add_option(Option(prompt, id=target.location))
        options.highlighted = 0
        options.focus()
