"""Where matched terms sit in a title or an abstract, and the abstract excerpt that shows most of them.

Computed from the text itself with the index's own analysis, so a highlight is exactly a word the
index matched (`jailbreaks` lights up for `jailbreak`), and only for the papers on screen.
"""

from __future__ import annotations

from collections.abc import Iterable

from tuireader.index.analysis import TermExtractor, Token
from tuireader.index.results import Fragment, TextSpan

FRAGMENT_WIDTH = 240  # characters: about three lines of a result list
_LEAD = 60  # characters of context kept before the first match of a fragment


def spans_of(tokens: Iterable[Token], terms: frozenset[str]) -> tuple[TextSpan, ...]:
    if not terms:
        return ()
    return tuple(TextSpan(token.start, token.end) for token in tokens if token.term in terms)


class Highlighter:
    def __init__(self, extractor: TermExtractor) -> None:
        self.extractor = extractor

    def text_spans(self, text: str, terms: frozenset[str]) -> tuple[TextSpan, ...]:
        """Spans in a stemmed field's text (title, abstract, venue)."""
        if not terms or not text:
            return ()
        return tuple(TextSpan(start, end) for start, end in self.extractor.text_spans(text, terms))

    def name_spans(self, text: str, terms: frozenset[str]) -> tuple[TextSpan, ...]:
        return spans_of(self.extractor.name_tokens(text), terms) if terms and text else ()

    def fragments(self, text: str, spans: tuple[TextSpan, ...], count: int = 1) -> tuple[Fragment, ...]:
        """Up to `count` excerpts of about FRAGMENT_WIDTH characters, the densest in matches first."""
        if not spans:
            return ()
        chosen: list[Fragment] = []
        remaining = list(spans)
        while remaining and len(chosen) < count:
            start, end = _densest_window(text, remaining)
            inside = tuple(
                TextSpan(s.start - start, s.end - start) for s in spans if start <= s.start and s.end <= end
            )
            chosen.append(Fragment(text[start:end], start, end, inside))
            remaining = [s for s in remaining if s.end <= start or s.start >= end]
        return tuple(sorted(chosen, key=lambda f: f.start)) if count > 1 else tuple(chosen)


def _densest_window(text: str, spans: list[TextSpan]) -> tuple[int, int]:
    """A window of text holding the most spans (by distinct start), snapped to word boundaries."""
    best_first, best_count = 0, 0
    last = 0
    for first, span in enumerate(spans):
        last = max(last, first)
        while last + 1 < len(spans) and spans[last + 1].end - span.start <= FRAGMENT_WIDTH - _LEAD:
            last += 1
        if last - first + 1 > best_count:
            best_first, best_count = first, last - first + 1
    anchor = spans[best_first].start
    start = max(0, anchor - _LEAD)
    if start > 0:
        space = text.find(" ", start, anchor)
        start = space + 1 if space != -1 else start
    end = min(len(text), start + FRAGMENT_WIDTH)
    if end < len(text):
        space = text.rfind(" ", max(anchor, start), end)
        end = space if space > anchor else end
    return start, max(end, spans[best_first].end)
