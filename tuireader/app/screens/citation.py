"""The citation picker: every style with a live preview of the highlighted or marked papers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tuireader.cite import STYLES, describe, format_many, get_style, uncitable
from tuireader.corpus.model import Paper
from tuireader.safe_text import literal

PREVIEWED_PAPERS = 5


def preview(papers: Sequence[Paper], style_name: str) -> Text:
    """The citation as it will be copied, italics shown where the style has them."""
    style = get_style(style_name)
    citable = [paper for paper in papers if style.can_cite(paper)]
    if not citable:
        return Text(f"No {style.noun} for {'this paper' if len(papers) == 1 else 'these papers'}.", "italic")
    if len(citable) == 1:
        styled = style.styled(citable[0])
        text = literal(styled.text)
        for span in styled.spans:
            text.stylize("italic", span.start, span.end)
    else:
        text = literal(format_many(citable[:PREVIEWED_PAPERS], style))
        if len(citable) > PREVIEWED_PAPERS:
            text.append(f"\n… and {len(citable) - PREVIEWED_PAPERS} more", "dim")
    left_out = len(papers) - len(citable)
    if left_out:
        text.append(f"\n\n{left_out} paper{'s' if left_out > 1 else ''} cannot be cited this way.", "dim")
    return text


class CitationPicker(ModalScreen[str | None]):
    """Returns the chosen style's name (Enter, y or a click), or None (Esc)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Close"),
        Binding("y", "choose", "Copy"),
    ]

    def __init__(self, papers: Sequence[Paper], style_name: str) -> None:
        super().__init__()
        self.papers = list(papers)
        self.initial_style = style_name

    def compose(self) -> ComposeResult:
        if len(self.papers) == 1:
            title = f"Cite “{self.papers[0].display_title}”"
        else:
            title = f"Cite {len(self.papers)} marked papers"
        with Vertical(classes="dialog", id="citation-dialog"):
            yield Static(literal(title), classes="dialog-title")
            with Horizontal(id="citation-body"):
                yield OptionList(
                    *(Option(style.label, id=style.name) for style in STYLES), id="citation-styles"
                )
                with VerticalScroll(id="citation-preview-scroll"):
                    yield Static(id="citation-preview")
            yield Static("Enter or y copies · ↑↓ choose a style · Esc closes", classes="dialog-hint")

    def on_mount(self) -> None:
        styles = self.query_one("#citation-styles", OptionList)
        names = [style.name for style in STYLES]
        styles.highlighted = names.index(self.initial_style) if self.initial_style in names else 0
        styles.focus()

    @on(OptionList.OptionHighlighted, "#citation-styles")
    def _show_preview(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id:
            self.query_one("#citation-preview", Static).update(preview(self.papers, event.option.id))

    @on(OptionList.OptionSelected, "#citation-styles")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_choose(self) -> None:
        option = self.query_one("#citation-styles", OptionList).highlighted_option
        if option is not None:
            self.dismiss(option.id)


def copy_summary(papers: Sequence[Paper], style_name: str) -> tuple[str, str, list[Paper]]:
    """The text to copy, how to describe it, and the papers the style had to leave out."""
    style = get_style(style_name)
    left_out = uncitable(papers, style)
    citable = [paper for paper in papers if paper not in left_out]
    return format_many(citable, style), describe(citable or list(papers), style), left_out
