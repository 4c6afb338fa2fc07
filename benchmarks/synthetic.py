"""A seeded synthetic library with realistic shapes, for benchmarks of search and the reader.

Titles have about 10 words and abstracts about 180, drawn from a Zipf-like vocabulary whose words
come in inflected families (`align`, `aligns`, `aligning`, ...) so that stemming matters. Authors
are drawn from a Zipf-like pool of people, a few of whom are also written with initials, so that
name variants have to be merged. With `stock_phrases`, abstracts also carry the set phrases of
real ones (`in this paper we`, `state of the art`) about as often as ACL abstracts do: phrases of
common words are the slow shape of phrase search. The same arguments always give the same papers.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections.abc import Sequence

from tuireader.corpus.keys import assign_ids
from tuireader.corpus.library import Library
from tuireader.corpus.model import Author, Paper, StyledText

_FUNCTION_WORDS = (
    "the of and to a in we that is for on with this our by as are from be an which it can these "
    "their at or not show both than into more such also while how its has have between over"
).split()
_FUNCTION_SHARE = 0.48  # of the running words (before topic repeats), as measured on real abstracts
_ONSETS = "b c d f g h k l m n p r s t v w z br cr dr fr gr pr tr bl cl fl pl sl st sp sc".split()
_VOWELS = "a e i o u a e i o u ai ea io ou".split()
_CODAS = ["", "", "", "", "n", "r", "l", "s", "t", "m", "nd", "st", "rk", "nt"]
_INFLECTIONS = ("s", "ing", "ed", "ation", "er")
# Set phrases and the share of abstracts having each (about as in the ACL Anthology's).
_STOCK_PHRASES = (
    ("in this paper we", 0.25),
    ("we propose a", 0.2),
    ("state of the art", 0.15),
    ("the results show that", 0.06),
    ("to the best of our knowledge", 0.03),
)
_GIVEN_NAMES = (
    "Alex Amanda Ana Ben Carla Chen Daniel Dara Elena Emma Erik Fatima Felix Grace Hana Ivan Jesse "
    "Julia Kai Lena Li Lucas Maria Mei Nadia Noah Omar Priya Quinn Rosa Samuel Sara Tomas Uma Wei "
    "Yara Yusuf Zoe"
).split()


def _syllable(rng: random.Random) -> str:
    return rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS)


def _pseudo_words(rng: random.Random, count: int, syllables: Sequence[int]) -> list[str]:
    words: dict[str, None] = {}
    while len(words) < count:
        word = "".join(_syllable(rng) for _ in range(rng.choice(syllables)))
        if len(word) > 2:
            words.setdefault(word, None)
    return list(words)


def _zipf_weights(count: int, exponent: float, offset: float) -> list[float]:
    # Zipf-Mandelbrot: the offset flattens the head, so no content word is in every abstract.
    return [1.0 / ((rank + offset) ** exponent) for rank in range(1, count + 1)]


def _urn(items: Sequence[str], weights: Sequence[float], size: int = 2_000_000) -> list[str]:
    """Each item repeated in proportion to its weight (at least once): uniform picks from it are
    weighted picks, several times faster than `choices` with cumulative weights."""
    total = sum(weights)
    return [
        item
        for item, weight in zip(items, weights, strict=True)
        for _ in range(max(1, round(weight / total * size)))
    ]


class _Vocabulary:
    """Content words in inflected families ranked by a Zipf law, and function words between them."""

    def __init__(self, rng: random.Random, stems: int) -> None:
        forms: list[str] = []
        weights: list[float] = []
        for base, weight in zip(
            _pseudo_words(rng, stems, (1, 2, 2, 2, 3, 3)), _zipf_weights(stems, 1.0, 30), strict=True
        ):
            inflected = rng.sample(_INFLECTIONS, rng.randint(1, 3))
            forms += [base, *(base + ending for ending in inflected)]
            weights += [weight * 0.7] + [weight * 0.3 / len(inflected)] * len(inflected)
        function_weights = _zipf_weights(len(_FUNCTION_WORDS), 1.0, 1)
        scale = sum(weights) * _FUNCTION_SHARE / (1 - _FUNCTION_SHARE) / sum(function_weights)
        self.title_urn = _urn(forms, weights)
        self.prose_urn = _urn(_FUNCTION_WORDS + forms, [w * scale for w in function_weights] + weights)

    def title(self, rng: random.Random) -> list[str]:
        return rng.choices(self.title_urn, k=rng.randint(6, 14))

    def abstract(self, rng: random.Random, title: list[str], phrases: random.Random | None = None) -> str:
        words = rng.choices(self.prose_urn, k=max(40, int(rng.gauss(170, 40))))
        # Abstracts keep coming back to their topic (mostly the title's words): as in real ones,
        # a quarter of the words are repeats, which is what term frequency ranks by.
        topic = rng.sample(title, min(4, len(title))) + rng.choices(self.title_urn, k=3)
        for position in rng.sample(range(len(words)), len(words) // 4):
            words[position] = rng.choice(topic)
        sentences: list[list[str]] = []
        start = 0
        while start < len(words):
            end = start + rng.randint(12, 28)
            sentences.append(words[start:end])
            start = end
        if phrases is not None:
            # From a generator of their own, so the papers are otherwise those made without them.
            for phrase, share in _STOCK_PHRASES:
                if phrases.random() < share:
                    sentence = phrases.choice(sentences)
                    at = phrases.randrange(len(sentence) // 2 + 1)
                    sentence[at:at] = phrase.split()
        return " ".join(_sentence_case(sentence) + "." for sentence in sentences)


class _People:
    """Authors drawn by a Zipf law: a few write many papers, most write one or two."""

    def __init__(self, rng: random.Random, count: int) -> None:
        families = [w.capitalize() for w in _pseudo_words(rng, max(count // 2, 50), (1, 2, 2, 3))]
        self.people = [
            Author(family=rng.choice(families), given=rng.choice(_GIVEN_NAMES)) for _ in range(count)
        ]
        self.cumulative = list(itertools.accumulate(_zipf_weights(count, 0.9, 2)))

    def byline(self, rng: random.Random) -> tuple[Author, ...]:
        size = min(1 + int(rng.expovariate(1 / 3.5)), 40)
        chosen = dict.fromkeys(rng.choices(self.people, cum_weights=self.cumulative, k=size))
        return tuple(self._spelling(rng, author) for author in chosen)

    @staticmethod
    def _spelling(rng: random.Random, author: Author) -> Author:
        if rng.random() < 0.05:  # the same person written with an initial, as bibliographies do
            return Author(family=author.family, given=author.given[0] + ".")
        return author


def _sentence_case(words: Sequence[str]) -> str:
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def synthetic_papers(n: int, seed: int = 0, *, stock_phrases: bool = False) -> list[Paper]:
    """`n` papers, the same ones for the same arguments."""
    rng = random.Random(seed)
    phrases = random.Random(seed + 1) if stock_phrases else None
    vocabulary = _Vocabulary(rng, stems=max(2_000, min(n // 2, 40_000)))
    people = _People(rng, count=max(200, n // 2))
    venues = [f"{_sentence_case(_pseudo_words(rng, 2, (2, 3)))} Conference" for _ in range(300)]
    venue_weights = list(itertools.accumulate(_zipf_weights(len(venues), 1.0, 1)))
    papers: list[Paper] = []
    for number in range(n):
        year = min(2025, 2026 - int(rng.expovariate(1 / 5)) - 1)
        has_arxiv = rng.random() < 0.6
        date = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
        title = vocabulary.title(rng)
        papers.append(
            Paper(
                title=_sentence_case(title),
                authors=people.byline(rng),
                abstract=StyledText(vocabulary.abstract(rng, title, phrases)),
                year=year,
                date=date if has_arxiv else None,
                arxiv_id=f"{year % 100:02d}{date.month:02d}.{number:05d}" if has_arxiv else None,
                venue=rng.choices(venues, cum_weights=venue_weights)[0] if rng.random() < 0.7 else None,
            )
        )
    return assign_ids(papers)


def synthetic_library(n: int, seed: int = 0, *, stock_phrases: bool = False) -> Library:
    """A `Library` of `n` synthetic papers (see `synthetic_papers`)."""
    return Library(papers=tuple(synthetic_papers(n, seed, stock_phrases=stock_phrases)))
