"""Author names: parsing bylines, and grouping the spellings of one person.

`Goodman, Noah` and `Goodman, Noah D.` are one person, named in the fullest form; `Goodman, N.`
joins them only when no other Goodman it could also be exists. A byline itself is never rewritten.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from tuireader.corpus.model import Author, Paper

# Letters that NFKD leaves whole, so that Søgaard folds like Sogaard rather than to `sgaard`.
_UNDECOMPOSED = str.maketrans(
    {"ø": "o", "ł": "l", "đ": "d", "ð": "d", "ħ": "h", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th"}
)


_NOT_WORD = re.compile(r"[^\w]+")


def fold(text: str) -> str:
    """Lower-case ASCII-ish form for comparing: accents dropped, punctuation to spaces."""
    if text.isascii():  # nothing to decompose or strip: most names, and the cost of grouping them
        return " ".join(_NOT_WORD.sub(" ", text.lower()).split())
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(_NOT_WORD.sub(" ", stripped.casefold().translate(_UNDECOMPOSED)).split())


def given_tokens(given: str) -> tuple[str, ...]:
    return tuple(fold(given.replace("-", " ")).split())


def _tokens_compatible(a: str, b: str) -> bool:
    if a == b:
        return True
    return (len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b))


def given_names_compatible(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """True when one given name could be a shorter writing of the other."""
    shorter, longer = (a, b) if len(a) <= len(b) else (b, a)
    return all(_tokens_compatible(x, y) for x, y in zip(shorter, longer, strict=False))


def _fullness(tokens: tuple[str, ...]) -> tuple[int, int]:
    return (sum(len(token) > 1 for token in tokens), len(tokens))


@dataclass(frozen=True, slots=True)
class Person:
    """A person behind one or more spellings; `key` is stable and opaque."""

    key: str
    name: str


class People:
    """Maps every spelling in a library to the person it names."""

    def __init__(self, authors: Iterable[Author]) -> None:
        self._by_spelling: dict[Author, Person] = {}
        spellings: Counter[Author] = Counter(authors)
        families: defaultdict[str, list[Author]] = defaultdict(list)
        for author in spellings:
            if author.literal:
                key = "literal:" + fold(author.literal)
                self._by_spelling[author] = Person(key, author.literal)
                families[fold(author.literal)].append(author)
            else:
                families[fold(author.family)].append(author)
        for family_key, members in families.items():
            self._group_family(family_key, [a for a in members if not a.literal], spellings)
        self._family_lists: dict[str, list[Author]] | None = families

    @classmethod
    def assigned(cls, spellings: Iterable[tuple[Author, Person]]) -> People:
        """People as grouped once before (kept with a library), each spelling with its person:
        grouping 60,000 bylines again takes seconds, this a dictionary."""
        people = cls.__new__(cls)
        people._by_spelling = dict(spellings)
        people._family_lists = None  # made when a name is first looked for
        return people

    @property
    def _families(self) -> dict[str, list[Author]]:
        if self._family_lists is None:
            families: defaultdict[str, list[Author]] = defaultdict(list)
            for author in self._by_spelling:
                families[fold(author.literal or author.family)].append(author)
            self._family_lists = families
        return self._family_lists

    def _group_family(self, family_key: str, members: list[Author], counts: Counter[Author]) -> None:
        tokens_of = {author: given_tokens(author.given) for author in members}
        # Fullest first, so that each cluster is named by (and compared with) its fullest form.
        members.sort(key=lambda a: (_fullness(tokens_of[a]), counts[a], a.display_name), reverse=True)
        clusters: list[tuple[tuple[str, ...], Person]] = []
        # Compatible given names share their first token or its initial, so a common family name
        # (thousands of Wangs) is compared only with the clusters that could match.
        by_first: defaultdict[str, list[tuple[tuple[str, ...], Person]]] = defaultdict(list)
        by_initial: defaultdict[str, list[tuple[tuple[str, ...], Person]]] = defaultdict(list)
        by_tokens: dict[tuple[str, ...], Person] = {}
        for author in members:
            tokens = tokens_of[author]
            if tokens in by_tokens:  # the same name in other case or accents, even when it is ambiguous
                self._by_spelling[author] = by_tokens[tokens]
                continue
            if not tokens:  # a bare family name is ambiguous among several people
                candidates = clusters if len(clusters) == 1 else []
            elif len(tokens[0]) == 1:
                candidates = by_initial[tokens[0]]
            else:
                candidates = by_first[tokens[0]] + by_first[tokens[0][0]]
            matches = [person for fullest, person in candidates if given_names_compatible(tokens, fullest)]
            if len(matches) == 1:
                self._by_spelling[author] = by_tokens[tokens] = matches[0]
                continue
            person = Person(f"{family_key}|{' '.join(tokens)}", author.display_name)
            cluster = (tokens, person)
            clusters.append(cluster)
            by_tokens[tokens] = person
            if tokens:
                by_first[tokens[0]].append(cluster)
                by_initial[tokens[0][0]].append(cluster)
            self._by_spelling[author] = person

    def person(self, author: Author) -> Person:
        known = self._by_spelling.get(author)
        if known is not None:
            return known
        return Person(f"{fold(author.family)}|{' '.join(given_tokens(author.given))}", author.display_name)

    def people_of(self, paper: Paper) -> list[Person]:
        """The paper's people in byline order, each once."""
        return self._people_in(paper.authors)

    def _people_in(self, byline: Iterable[Author]) -> list[Person]:
        seen: dict[str, Person] = {}
        for author in byline:
            person = self.person(author)
            seen.setdefault(person.key, person)
        return list(seen.values())

    def counts(self, papers: Iterable[Paper]) -> list[tuple[Person, int]]:
        """People with how many of `papers` they wrote, most papers first, then by name."""
        return self.counts_of_bylines(paper.authors for paper in papers)

    def counts_of_bylines(self, bylines: Iterable[Iterable[Author]]) -> list[tuple[Person, int]]:
        """As `counts`, from the papers' bylines alone (no need to rebuild the papers)."""
        tally: Counter[Person] = Counter()
        for byline in bylines:
            tally.update(self._people_in(byline))
        return sorted(tally.items(), key=lambda item: (-item[1], fold(item[0].name)))

    def find(self, name: str) -> list[Person]:
        """People matching a typed name (`Goodman`, `goodman, noah`, `Noah Goodman`)."""
        wanted = parse_name(name)
        family, tokens = fold(wanted.family), given_tokens(wanted.given)
        found: dict[str, Person] = {}
        for author in self._families.get(family, ()):
            if given_names_compatible(tokens, given_tokens(author.given)):
                person = self._by_spelling[author]
                found.setdefault(person.key, person)
        return sorted(found.values(), key=lambda p: fold(p.name))


_PARTICLES = {"van", "von", "der", "den", "de", "del", "della", "di", "da", "du", "le", "la", "dos"}


def parse_name(text: str) -> Author:
    """One name written `Family, Given` or `Given Family` (particles stay with the family)."""
    text = " ".join(text.split())
    if "," in text:
        family, _, given = text.partition(",")
        return Author(family=family.strip(), given=given.strip())
    words = text.split(" ")
    if len(words) == 1:
        return Author(family=words[0])
    split_at = len(words) - 1
    while split_at > 1 and words[split_at - 1].casefold() in _PARTICLES:
        split_at -= 1
    return Author(family=" ".join(words[split_at:]), given=" ".join(words[:split_at]))


_NAME_PART = re.compile(r"^[^\W\d_][\w.'’ -]*$", re.UNICODE)


def parse_family_given_pairs(line: str) -> tuple[Author, ...] | None:
    """`Family, Given, Family, Given, …` → authors; None when the line is not such a list."""
    parts = [part.strip() for part in line.split(",")]
    if len(parts) < 2 or len(parts) % 2:
        return None
    if not all(
        part and len(part) <= 40 and len(part.split()) <= 4 and _NAME_PART.match(part) for part in parts
    ):
        return None
    return tuple(Author(family=parts[i], given=parts[i + 1]) for i in range(0, len(parts), 2))
