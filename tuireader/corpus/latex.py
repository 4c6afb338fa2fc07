"""LaTeX in titles and abstracts to readable text, keeping emphasis as spans.

pylatexenc parses and converts accents, symbols and dashes; we walk its node tree ourselves so
that `\\textbf{…}` and friends become `Span`s instead of being flattened away.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pylatexenc.latex2text import LatexNodes2Text
from pylatexenc.latexwalker import (
    LatexCharsNode,
    LatexGroupNode,
    LatexMacroNode,
    LatexMathNode,
    LatexNode,
    LatexWalker,
    LatexWalkerError,
)

from tuireader.corpus.model import Emphasis, Span, StyledText

_EMPHASIS_MACROS = {
    "textbf": Emphasis.BOLD,
    "mathbf": Emphasis.BOLD,
    "boldsymbol": Emphasis.BOLD,
    "bm": Emphasis.BOLD,
    "textit": Emphasis.ITALIC,
    "mathit": Emphasis.ITALIC,
    "emph": Emphasis.ITALIC,
    "textsl": Emphasis.ITALIC,
    "texttt": Emphasis.MONOSPACE,
    "mathtt": Emphasis.MONOSPACE,
}
# Old-style switches: `{\bf text}` applies to the rest of the group.
_EMPHASIS_SWITCHES = {
    "bf": Emphasis.BOLD,
    "bfseries": Emphasis.BOLD,
    "it": Emphasis.ITALIC,
    "itshape": Emphasis.ITALIC,
    "em": Emphasis.ITALIC,
    "sl": Emphasis.ITALIC,
    "tt": Emphasis.MONOSPACE,
    "ttfamily": Emphasis.MONOSPACE,
}
# Wrappers whose argument is shown as is.
_TRANSPARENT_MACROS = {"text", "mathrm", "textrm", "textsf", "mathsf", "textsc", "textup", "mbox"}

# Without these, no macro, group or math can occur: only typography remains to convert.
_STRUCTURE_SIGNS = re.compile(r"[\\{}$]")
_TYPOGRAPHY = re.compile(r"---|--|``|''")
_TYPOGRAPHIC = {"---": "\u2014", "--": "\u2013", "``": "\u201c", "''": "\u201d"}
# `$…$` is math only when it hugs its content, as TeX authors write it; `costs $5 and $10` is prose.
_MATH = re.compile(r"(?<!\\)\$(?=\S)((?:[^$\\]|\\.)+?)(?<=\S)(?<!\\)\$")


@lru_cache(maxsize=1)
def _converter() -> LatexNodes2Text:
    return LatexNodes2Text(math_mode="text", strict_latex_spaces=False)


def _escape_plain_text_signs(source: str, tilde_is_space: bool) -> str:
    """Escape what plain-text abstracts use literally: `%`, `&`, unpaired `$`, and `~` (about)."""
    pieces: list[str] = []
    position = 0
    for match in _MATH.finditer(source):
        pieces.append(_escape_outside_math(source[position : match.start()], tilde_is_space))
        pieces.append(match.group(0))
        position = match.end()
    pieces.append(_escape_outside_math(source[position:], tilde_is_space))
    return "".join(pieces)


def _escape_outside_math(chunk: str, tilde_is_space: bool) -> str:
    chunk = re.sub(r"(?<!\\)([%&])", r"\\\1", chunk)  # `Q&A`, `5%`: prose, not a tab or a comment
    chunk = re.sub(r"(?<!\\)\$", r"\\$", chunk)
    if tilde_is_space:
        return chunk
    return re.sub(r"(?<!\\)~", r"\\textasciitilde{}", chunk)


class _Builder:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.spans: list[Span] = []

    def add(self, text: str) -> None:
        self.parts.append(text)
        self.length += len(text)

    def walk(self, nodes: list[LatexNode] | None) -> None:
        nodes = [node for node in nodes or [] if node is not None]
        for index, node in enumerate(nodes):
            if isinstance(node, LatexMacroNode) and node.macroname in _EMPHASIS_SWITCHES:
                self.emphasise(_EMPHASIS_SWITCHES[node.macroname], nodes[index + 1 :])
                return
            self.walk_node(node)

    def walk_node(self, node: LatexNode) -> None:
        if isinstance(node, (LatexGroupNode, LatexMathNode)):
            self.walk(node.nodelist)
        elif isinstance(node, LatexMacroNode) and node.macroname in _EMPHASIS_MACROS:
            self.emphasise(_EMPHASIS_MACROS[node.macroname], _arguments(node))
        elif isinstance(node, LatexMacroNode) and node.macroname in _TRANSPARENT_MACROS:
            self.walk(_arguments(node))
        elif isinstance(node, LatexCharsNode):
            self.add(_converter().nodelist_to_text([node]))
        else:
            self.add(_converter().nodelist_to_text([node]))

    def emphasise(self, emphasis: Emphasis, nodes: list[LatexNode]) -> None:
        start = self.length
        self.walk(nodes)
        if self.length > start:
            self.spans.append(Span(start, self.length, emphasis))


def _arguments(node: LatexMacroNode) -> list[LatexNode]:
    if node.nodeargd is None:
        return []
    return [argument for argument in node.nodeargd.argnlist if argument is not None]


def latex_to_text(source: str, *, tilde_is_space: bool = False) -> StyledText:
    """Convert LaTeX-flavoured text to readable text; never raises.

    `tilde_is_space` is for BibTeX, where `~` is a tie; abstracts use it for "about".
    """
    if not _STRUCTURE_SIGNS.search(source):
        # Most abstracts: parsing them as LaTeX would take milliseconds to change only dashes and quotes.
        text = _TYPOGRAPHY.sub(lambda match: _TYPOGRAPHIC[match.group(0)], source)
        return StyledText(_tidy_spaces(text.replace("~", " ") if tilde_is_space else text))
    prepared = _balanced(_escape_plain_text_signs(_superscripts(source), tilde_is_space))
    builder = _Builder()
    try:
        nodes, _, _ = LatexWalker(prepared, tolerant_parsing=True).get_latex_nodes()
        builder.walk(nodes)
    except (LatexWalkerError, IndexError, ValueError):
        return StyledText(_tidy_spaces(source))
    return _tidied(builder)


def _tidied(builder: _Builder) -> StyledText:
    """Fold runs of white space while keeping span offsets pointing at the same characters."""
    raw = "".join(builder.parts)
    kept: list[str] = []
    new_offset = [0] * (len(raw) + 1)
    previous_space = True
    for index, char in enumerate(raw):
        new_offset[index] = len(kept)
        if char == "\u00ad":  # `\-` (a hyphenation hint) would hide the word from search
            continue
        if char.isspace():
            if not previous_space:
                kept.append(" ")
            previous_space = True
        else:
            kept.append(char)
            previous_space = False
    new_offset[len(raw)] = len(kept)
    text = "".join(kept).rstrip()
    spans = []
    for span in sorted(builder.spans, key=lambda s: (s.start, s.end)):
        start, end = new_offset[span.start], min(new_offset[span.end], len(text))
        while start < end and text[start] == " ":
            start += 1
        while end > start and text[end - 1] == " ":
            end -= 1
        if end > start:
            spans.append(Span(start, end, span.emphasis))
    return StyledText(text, tuple(spans))


def _balanced(source: str) -> str:
    """Close braces a damaged record left open, so one typo does not garble the rest."""
    depth = 0
    for match in re.finditer(r"(?<!\\)[{}]", source):
        depth = depth + 1 if match.group(0) == "{" else max(depth - 1, 0)
    return source + "}" * depth


def _tidy_spaces(text: str) -> str:
    return " ".join(text.split())


# `^\circ` is a degree sign and `^{2}` a superscript two: pylatexenc would give `^∘` and `^2`.
# Not `\^`, the circumflex accent.
_SUPERSCRIPT = re.compile(r"(?<!\\)\^\s*(?:\{\s*(\\circ|[0-9+\-=()n]+)\s*\}|(\\circ)(?![A-Za-z])|([0-9n]))")
_SUPERSCRIPT_CHARACTERS = str.maketrans("0123456789+-=()n", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿ")


def _superscripts(source: str) -> str:
    def written(match: re.Match[str]) -> str:
        raised = next(group for group in match.groups() if group)
        return "°" if raised == "\\circ" else raised.translate(_SUPERSCRIPT_CHARACTERS)

    return _SUPERSCRIPT.sub(written, source) if "^" in source else source


def latex_to_plain(source: str, *, tilde_is_space: bool = False) -> str:
    return latex_to_text(source, tilde_is_space=tilde_is_space).text


def join_paragraphs(paragraphs: list[StyledText]) -> StyledText:
    """Paragraphs separated by a blank line, spans shifted to their new offsets."""
    text_parts: list[str] = []
    spans: list[Span] = []
    offset = 0
    for paragraph in paragraphs:
        if text_parts:
            text_parts.append("\n\n")
            offset += 2
        text_parts.append(paragraph.text)
        spans.extend(Span(s.start + offset, s.end + offset, s.emphasis) for s in paragraph.spans)
        offset += len(paragraph.text)
    return StyledText("".join(text_parts), tuple(spans))
