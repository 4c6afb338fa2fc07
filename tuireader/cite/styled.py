"""Building a reference piece by piece, with italics kept as spans and punctuation never doubled.

Styles write a reference as a sequence of elements, each closed by a period or a comma. A title
that already ends with `?` or `!`, or an initial that ends with `.`, must not gain another mark;
`Builder` takes care of that once so the styles can state their rules plainly.
"""

from __future__ import annotations

from tuireader.corpus.model import Emphasis, Span, StyledText

_CLOSING_QUOTES = "”’\"')"
_TERMINAL = ".?!"


def ends_sentence(text: str) -> bool:
    """True when `text` already ends with a full stop, question or exclamation mark."""
    stripped = text.rstrip().rstrip(_CLOSING_QUOTES)
    return bool(stripped) and stripped[-1] in _TERMINAL


def with_period(text: str) -> str:
    return text if ends_sentence(text) else text + "."


def quoted(title: str, mark: str) -> str:
    """`“Title,”` — the mark goes inside the quotes (American usage), unless the title ends in one."""
    if ends_sentence(title):
        return f"“{title}”"
    return f"“{title}{mark}”"


def join_sentences(parts: list[str]) -> str:
    """Elements joined as sentences, each but the last closed by a period unless it ends one."""
    present = [part for part in parts if part]
    if not present:
        return ""
    return " ".join([*(with_period(part) for part in present[:-1]), present[-1]])


class Builder:
    """Accumulates plain and italic runs; `build()` gives the text with its italic spans."""

    def __init__(self) -> None:
        self._text: list[str] = []
        self._spans: list[Span] = []
        self._length = 0

    @property
    def text(self) -> str:
        return "".join(self._text)

    def __bool__(self) -> bool:
        return self._length > 0

    def add(self, text: str) -> Builder:
        self._text.append(text)
        self._length += len(text)
        return self

    def italic(self, text: str) -> Builder:
        if text:
            self._spans.append(Span(self._length, self._length + len(text), Emphasis.ITALIC))
        return self.add(text)

    def period(self) -> Builder:
        """Close the current element with a period, unless it already ends a sentence."""
        if self and not ends_sentence(self.text):
            self.add(".")
        return self

    def space(self) -> Builder:
        """A space before the next element, if anything came before it."""
        if self and not self.text.endswith(" "):
            self.add(" ")
        return self

    def build(self) -> StyledText:
        return StyledText(self.text.rstrip(), tuple(self._spans))
