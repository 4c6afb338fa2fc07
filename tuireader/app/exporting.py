"""Exporting papers from the reader to a file: the marked papers, or the results on show.

A small dialog asks for the style (any citation style) and the path; an existing file is only
replaced once the user says so. The file is written in a worker, atomically: a failure leaves the
old file whole.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tuireader.atomic import write_atomically
from tuireader.cite import STYLES, describe, format_many, get_style, uncitable
from tuireader.corpus.model import Paper
from tuireader.safe_text import literal

if TYPE_CHECKING:
    from tuireader.app.app import ReaderApp

EXPORT_GROUP = "export"
SUFFIXES = {"bibtex": ".bib", "biblatex": ".bib", "markdown": ".md"}


def default_name(style_name: str) -> str:
    return "tuireader-export" + SUFFIXES.get(style_name, ".txt")


def export_path(typed: str) -> Path:
    return Path(typed.strip()).expanduser()


def write_export(papers: Sequence[Paper], style_name: str, path: Path) -> str:
    """Write the papers in the style to `path` (atomically); what was written, as a sentence."""
    style = get_style(style_name)
    left_out = uncitable(papers, style)
    citable = [paper for paper in papers if style.can_cite(paper)]
    if not citable:
        raise ValueError(f"none of the {len(papers)} papers can be written as {style.label}")
    write_atomically(path, (format_many(citable, style) + "\n").encode("utf-8"))
    message = f"Wrote {describe(citable, style)} to {path}"
    if left_out:
        message += f"\n{len(left_out)} paper(s) left out: the {style.label} style cannot write them"
    return message


class ExportDialog(ModalScreen[tuple[str, str] | None]):
    """Returns (style name, path as typed), or None (Esc)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, what: str, style_name: str) -> None:
        super().__init__()
        self.what = what
        self.style_name = style_name if style_name in {style.name for style in STYLES} else "bibtex"

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="export-dialog"):
            yield Static(literal(f"Export {self.what}"), classes="dialog-title")
            yield OptionList(*(Option(style.label, id=style.name) for style in STYLES), id="export-styles")
            yield Input(default_name(self.style_name), id="export-path", placeholder="file to write")
            yield Static(
                "↑↓ style · Tab to the file name · Enter writes · Esc cancels", classes="dialog-hint"
            )

    def on_mount(self) -> None:
        styles = self.query_one("#export-styles", OptionList)
        styles.highlighted = styles.get_option_index(self.style_name)
        self.query_one("#export-path", Input).cursor_blink = getattr(self.app, "cursor_blink", True)
        styles.focus()

    @on(OptionList.OptionHighlighted, "#export-styles")
    def _style_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        chosen = event.option.id or self.style_name
        path = self.query_one("#export-path", Input)
        if path.value == default_name(self.style_name):  # a name the user typed is kept
            path.value = default_name(chosen)
        self.style_name = chosen

    @on(OptionList.OptionSelected, "#export-styles")
    def _style_chosen(self) -> None:
        self.query_one("#export-path", Input).focus()

    @on(Input.Submitted, "#export-path")
    def _submitted(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.dismiss((self.style_name, event.value))


class ConfirmReplace(ModalScreen[bool]):
    """y replaces the file; n or Esc keeps it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "dismiss(True)", "Replace"),
        Binding("n,escape", "dismiss(False)", "Keep"),
    ]

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="replace-dialog"):
            yield Static(literal(f"{self.path} exists. Replace it?"), classes="dialog-title")
            yield Static("y replaces it · n or Esc keeps it", classes="dialog-hint")


def export_papers(app: ReaderApp, papers: list[Paper], what: str) -> None:
    """Ask for a style and a path, confirm a replacement, then write in a worker."""
    if not papers:
        app.notify("Nothing to export: no papers are marked or listed", severity="warning")
        return

    def write(style_name: str, path: Path) -> None:
        app.update_settings(citation_style=style_name)
        app.run_worker(
            lambda: _write_in_background(app, papers, style_name, path),
            name="Exporting",
            group=EXPORT_GROUP,
            thread=True,
            exit_on_error=False,
        )

    def chosen(answer: tuple[str, str] | None) -> None:
        if answer is None:
            return
        style_name, typed = answer
        path = export_path(typed)
        if path.is_dir():
            app.notify(f"{path} is a folder: give a file name", title="Not exported", severity="warning")
        elif path.exists():
            app.push_screen(
                ConfirmReplace(path), lambda replace: write(style_name, path) if replace else None
            )
        else:
            write(style_name, path)

    app.push_screen(ExportDialog(what, app.settings.citation_style), chosen)


def _write_in_background(app: ReaderApp, papers: list[Paper], style_name: str, path: Path) -> None:
    try:
        message = write_export(papers, style_name, path)
    except (OSError, ValueError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        app.call_from_thread(
            app.notify, f"{path}: {reason}", title="Not exported", severity="error", timeout=15
        )
        return
    app.call_from_thread(app.notify, message, title="Exported")
