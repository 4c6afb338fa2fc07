"""Where matched terms sit in a title or an abstract, and the abstract excerpt that shows most of them.

Computed from the text itself with the index's own analysis, so a highlight is exactly a word the
index matched (`jailbreaks` lights up for `jailbreak`), and only for the papers on screen.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from tuireader.index.analysis import WORD_PATTERN, TermExtractor, Token
from tuireader.index.results import Fragment, TextSpan
from tuireader.index.vocabulary import Vocabulary

FRAGMENT_WIDTH = 240  # characters: about three lines of a result list
_MOST_FORMS = 400  # written forms in one pattern; more (a short prefix's), and words are stemmed
# Forms starting with more letters than this (`*ing`'s), and words are stemmed too: the pattern is
# tried form by form at each letter of the text, some 4 ms an abstract for a leading wildcard.
_MOST_INITIALS = 4
_PATTERNS_KEPT = 64
_TOKEN = re.compile(WORD_PATTERN)
_TOKEN_CHAR = re.compile(r"[\w*]")
_LEAD = 60  # characters of context kept before the first match of a fragment


def _inside_token(text: str, start: int) -> bool:
    """Whether a token of the tokenizer's (see WORD_PATTERN) runs on through `start`."""
    if start == 0:
        return False
    before = text[start - 1]
    if _TOKEN_CHAR.match(before):
        return True
    return (
        before == "."
        and start >= 2
        and bool(_TOKEN_CHAR.match(text[start - 2]))
        and start < len(text)
        and text[start].isdigit()
    )


def spans_of(tokens: Iterable[Token], terms: frozenset[str]) -> tuple[TextSpan, ...]:
    if not terms:
        return ()
    return tuple(TextSpan(token.start, token.end) for token in tokens if token.term in terms)


class Highlighter:
    """Finds the words of a text that the index matched.

    Stemming every word of ten abstracts is most of a search's highlighting. Given the
    vocabulary, the written forms of the matched stems become one regular expression, which
    finds candidates in C; each is then checked to be a whole token with a matching stem, so the
    result is the same. Texts that are not ASCII (where case rules differ) are tokenised."""

    def __init__(self, extractor: TermExtractor, vocabulary: Vocabulary | None = None) -> None:
        self.extractor = extractor
        self._vocabulary = vocabulary
        self._forms: dict[str, list[str]] | None = None
        self._patterns: dict[frozenset[str], re.Pattern[str] | None] = {}

    def warm_up(self) -> None:
        if self._vocabulary is not None and self._forms is None:
            forms: dict[str, list[str]] = {}
            for word, stem in zip(self._vocabulary.words, self._vocabulary.stems, strict=True):
                forms.setdefault(stem, []).append(word)
            self._forms = forms

    def _pattern(self, terms: frozenset[str]) -> re.Pattern[str] | None:
        if self._forms is None:
            return None
        if terms not in self._patterns:
            words = [word for term in terms for word in self._forms.get(term, ())]
            pattern = None
            if words and len(words) <= _MOST_FORMS and len({w[:1] for w in words}) <= _MOST_INITIALS:
                alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
                pattern = re.compile(alternatives, re.IGNORECASE)
            if len(self._patterns) >= _PATTERNS_KEPT:
                self._patterns.clear()
            self._patterns[terms] = pattern
        return self._patterns[terms]

    def text_spans(self, text: str, terms: frozenset[str]) -> tuple[TextSpan, ...]:
        """Spans in a stemmed field's text (title, abstract, venue)."""
        if not terms or not text:
            return ()
        pattern = self._pattern(terms) if text.isascii() else None
        if pattern is None:
            return tuple(TextSpan(start, end) for start, end in self.extractor.text_spans(text, terms))
        found = []
        stem = self.extractor.stem
        for match in pattern.finditer(text):
            start, end = match.span()
            token = _TOKEN.match(text, start)
            if token is None or token.end() != end or _inside_token(text, start):
                continue
            if stem(match.group().lower()) in terms:
                found.append(TextSpan(start, end))
        return tuple(found)

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
