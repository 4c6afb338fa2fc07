"""Per-document data kept beside the Whoosh index, loaded whole at open in a few milliseconds.

Whoosh answers "which documents contain this term"; everything asked per matching document
(its paper id, year, venue, authors for facets, field lengths for BM25) is read from these
arrays instead, indexed by Whoosh's document number. The file is named for the Whoosh
generation it describes, so a mismatch is noticed; it can always be rebuilt from the facts
stored in the index.
"""

from __future__ import annotations

import marshal
from array import array
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tuireader.atomic import write_atomically
from tuireader.corpus.model import Author
from tuireader.corpus.names import People, fold
from tuireader.index.documents import Facts, Spelling
from tuireader.index.schema import INDEX_FORMAT

LENGTH_FIELDS = ("title", "abstract", "author", "venue")


@dataclass
class ValueLists:
    """Each document's values of one many-valued fact (arXiv categories, keywords) as numbers
    into `names`; values differing only in case are one, named as first seen."""

    names: list[str] = field(default_factory=list)
    starts: array[int] = field(default_factory=lambda: array("I", [0]))
    ids: array[int] = field(default_factory=lambda: array("I"))
    _index: dict[str, int] = field(default_factory=dict, repr=False)

    def append(self, values: Iterable[str]) -> None:
        if isinstance(values, tuple) and not values:  # most papers: no need to look anything up
            self.starts.append(len(self.ids))
            return
        numbers = dict.fromkeys(map(self._number, values))
        self.ids.extend(numbers)
        self.starts.append(len(self.ids))

    def __getstate__(self) -> dict[str, Any]:
        # The lookup table is remade when needed: sent to another process, it only adds bytes.
        return {**self.__dict__, "_index": {}}

    def concatenate(self, other: ValueLists) -> None:
        """Add the documents `other` describes after these."""
        numbers = [self._number(name) for name in other.names]
        offset = len(self.ids)
        self.ids.extend(map(numbers.__getitem__, other.ids))
        self.starts.extend(start + offset for start in other.starts[1:])

    def _number(self, value: str) -> int:
        if len(self._index) != len(self.names):
            self._index = {name.casefold(): number for number, name in enumerate(self.names)}
        number = self._index.setdefault(value.casefold(), len(self.names))
        if number == len(self.names):
            self.names.append(value)
        return number

    def of(self, docnum: int) -> array[int]:
        return self.ids[self.starts[docnum] : self.starts[docnum + 1]]

    def saved(self) -> dict[str, object]:
        return {"names": self.names, "starts": self.starts.tobytes(), "ids": self.ids.tobytes()}

    @classmethod
    def loaded(cls, data: dict[str, object]) -> ValueLists:
        names, starts, ids = data["names"], data["starts"], data["ids"]
        if not (isinstance(names, list) and isinstance(starts, bytes) and isinstance(ids, bytes)):
            raise TypeError("not a list of values")
        return cls(names, _array("I", starts), _array("I", ids))


@dataclass
class SideData:
    keys: list[str] = field(default_factory=list)  # paper id per document number; "" = deleted
    # Content hashes and spellings, needed only to refresh and to filter by a paper's author, stay
    # marshalled (bytes) from opening until first asked for: most starts never ask.
    _hashes: list[str] | bytes = field(default_factory=list, init=False, repr=False)
    years: array[int] = field(default_factory=lambda: array("H"))  # 0 = unknown
    venue_names: list[str] = field(default_factory=lambda: [""])
    venue_of: array[int] = field(default_factory=lambda: array("I"))  # into venue_names
    _spellings: list[Spelling] | bytes = field(default_factory=list, init=False, repr=False)
    spelling_starts: array[int] = field(default_factory=lambda: array("I", [0]))
    spelling_ids: array[int] = field(default_factory=lambda: array("I"))
    lengths: dict[str, array[int]] = field(
        default_factory=lambda: {name: array("H") for name in LENGTH_FIELDS}
    )
    # Who each spelling names, as the library's `People` merged them (saved so that opening an
    # unchanged library need not build `People` at all)
    person_keys: list[str] = field(default_factory=list)
    person_names: list[str] = field(default_factory=list)
    person_of_spelling: array[int] = field(default_factory=lambda: array("I"))
    # Each person's name folded for sorting and matching (`fold`: the slowest part of listing
    # everyone, so done when people are assigned); empty in side files written before it
    person_folded: list[str] = field(default_factory=list)
    # Each person's number of live documents, counted when people are assigned: what a start
    # with no query lists (empty in side files written before it)
    person_totals: array[int] = field(default_factory=lambda: array("I"))
    categories: ValueLists = field(default_factory=ValueLists)
    keywords: ValueLists = field(default_factory=ValueLists)
    collections: ValueLists = field(default_factory=ValueLists)  # with their parents
    _venue_index: dict[str, int] = field(default_factory=dict, repr=False)
    _spelling_index: dict[Spelling, int] = field(default_factory=dict, repr=False)

    def __len__(self) -> int:
        return len(self.keys)

    @property
    def hashes(self) -> list[str]:
        if isinstance(self._hashes, bytes):
            hashes = marshal.loads(self._hashes)
            if not isinstance(hashes, list) or len(hashes) != len(self.keys):
                raise ValueError("the side file's hashes do not describe its documents")
            self._hashes = hashes
        return self._hashes

    @property
    def spellings(self) -> list[Spelling]:
        if isinstance(self._spellings, bytes):
            spellings = [tuple(s) for s in marshal.loads(self._spellings)]
            if len(spellings) != len(self.person_of_spelling):
                raise ValueError("the side file's spellings do not describe its people")
            self._spellings = spellings
        return self._spellings

    def append(self, key: str, facts: Facts) -> None:
        """Describe the next document number."""
        self.extend(((key, facts.as_stored()),))

    def extend(self, documents: Iterable[tuple[str, tuple[Any, ...]]]) -> None:
        """Describe the next document numbers, each given as its id and stored facts
        (`Facts.as_stored`): a full build's documents are, without making a `Facts` of each (that
        and the lookups repeated for each were most of the time the reader spent after the index
        was written)."""
        keys, hashes, years, venue_of = self.keys, self.hashes, self.years, self.venue_of
        spellings, spelling_ids, spelling_starts = self.spellings, self.spelling_ids, self.spelling_starts
        if len(self._spelling_index) != len(spellings):
            self._spelling_index = {s: i for i, s in enumerate(spellings)}
        spelling_index = self._spelling_index
        title, abstract, author, venue_length = (self.lengths[name] for name in LENGTH_FIELDS)
        categories, keywords, collections = self.categories, self.keywords, self.collections
        intern_venue = self._intern_venue
        for key, stored in documents:
            content, year, venue, spelled, lengths, in_categories, with_keywords, in_collections = stored
            keys.append(key)
            hashes.append(content)
            years.append(min(max(year, 0), 65535))
            venue_of.append(intern_venue(venue))
            for spelling in map(tuple, spelled):  # as stored by Whoosh, perhaps lists
                number = spelling_index.get(spelling)
                if number is None:
                    number = spelling_index[spelling] = len(spellings)
                    spellings.append(spelling)
                spelling_ids.append(number)
            spelling_starts.append(len(spelling_ids))
            title_length, abstract_length, author_length, venue_words = lengths
            title.append(min(title_length, 65535))
            abstract.append(min(abstract_length, 65535))
            author.append(min(author_length, 65535))
            venue_length.append(min(venue_words, 65535))
            categories.append(tuple(in_categories))
            keywords.append(tuple(with_keywords))
            collections.append(tuple(in_collections))

    def __getstate__(self) -> dict[str, Any]:
        # The lookup tables are remade when needed: sent to another process (a full build's parts
        # are), they would double the bytes its spellings take.
        return {**self.__dict__, "_venue_index": {}, "_spelling_index": {}}

    def concatenate(self, other: SideData) -> None:
        """Add the documents `other` describes after these (people are assigned afterwards)."""
        self.keys.extend(other.keys)
        self.hashes.extend(other.hashes)
        self.years.extend(other.years)
        venues = [self._intern_venue(name) for name in other.venue_names]
        self.venue_of.extend(map(venues.__getitem__, other.venue_of))
        spellings = [self._intern_spelling(spelling) for spelling in other.spellings]
        offset = len(self.spelling_ids)
        self.spelling_ids.extend(map(spellings.__getitem__, other.spelling_ids))
        self.spelling_starts.extend(start + offset for start in other.spelling_starts[1:])
        for name, values in self.lengths.items():
            values.extend(other.lengths[name])
        self.categories.concatenate(other.categories)
        self.keywords.concatenate(other.keywords)
        self.collections.concatenate(other.collections)

    def delete(self, docnum: int) -> None:
        self.keys[docnum] = ""

    def deleted(self) -> set[int]:
        return {docnum for docnum, key in enumerate(self.keys) if not key}

    def _intern_venue(self, venue: str) -> int:
        if not venue:
            return 0
        if not self._venue_index:
            self._venue_index = {name: i for i, name in enumerate(self.venue_names)}
        found = self._venue_index.get(venue)
        if found is None:
            found = self._venue_index[venue] = len(self.venue_names)
            self.venue_names.append(venue)
        return found

    def _intern_spelling(self, spelling: Spelling) -> int:
        if len(self._spelling_index) != len(self.spellings):
            self._spelling_index = {s: i for i, s in enumerate(self.spellings)}
        found = self._spelling_index.get(spelling)
        if found is None:
            found = self._spelling_index[spelling] = len(self.spellings)
            self.spellings.append(spelling)
        return found

    def assign_people(self, people: People) -> None:
        """Record who each spelling names (after any change: merging depends on all spellings)."""
        self.person_keys, self.person_names, self.person_folded = [], [], []
        self.person_of_spelling = array("I")
        numbers: dict[str, int] = {}
        for family, given, literal in self.spellings:
            person = people.person(Author(family=family, given=given, literal=literal))
            number = numbers.get(person.key)
            if number is None:
                number = numbers[person.key] = len(self.person_keys)
                self.person_keys.append(person.key)
                self.person_names.append(person.name)
                self.person_folded.append(fold(person.name))
            self.person_of_spelling.append(number)
        self.count_people()

    def count_people(self) -> None:
        """Count each person's live documents (`person_totals`)."""
        totals = [0] * len(self.person_keys)
        person_of, ids, starts = self.person_of_spelling, self.spelling_ids, self.spelling_starts
        for docnum, key in enumerate(self.keys):
            if key:
                for number in {person_of[spelling] for spelling in ids[starts[docnum] : starts[docnum + 1]]}:
                    totals[number] += 1
        self.person_totals = array("I", totals)

    def spelling_numbers(self, authors: Iterable[Author]) -> list[int]:
        """The side file's numbers of these authors' spellings (unknown ones left out)."""
        if len(self._spelling_index) != len(self.spellings):
            self._spelling_index = {s: i for i, s in enumerate(self.spellings)}
        found = (self._spelling_index.get((a.family, a.given, a.literal)) for a in authors)
        return [number for number in found if number is not None]

    def has_people(self) -> bool:
        if isinstance(self._spellings, bytes):  # compared with them when they are unpacked
            return True
        return len(self.person_of_spelling) == len(self.spellings)

    def doc_spellings(self, docnum: int) -> array[int]:
        return self.spelling_ids[self.spelling_starts[docnum] : self.spelling_starts[docnum + 1]]

    # On disk

    def save(self, path: Path, toc_generation: int) -> None:
        data = {
            "format": INDEX_FORMAT,
            "generation": toc_generation,
            "keys": self.keys,
            "hashes": marshal.dumps(self.hashes),
            "years": self.years.tobytes(),
            "venue_names": self.venue_names,
            "venue_of": self.venue_of.tobytes(),
            "spellings": marshal.dumps(self.spellings),
            "spelling_starts": self.spelling_starts.tobytes(),
            "spelling_ids": self.spelling_ids.tobytes(),
            "lengths": {name: values.tobytes() for name, values in self.lengths.items()},
            "person_keys": self.person_keys,
            "person_names": self.person_names,
            "person_of_spelling": self.person_of_spelling.tobytes(),
            "person_folded": self.person_folded,
            "person_totals": self.person_totals.tobytes(),
            "categories": self.categories.saved(),
            "keywords": self.keywords.saved(),
            "collections": self.collections.saved(),
        }
        write_atomically(path, marshal.dumps(data))

    @classmethod
    def load(cls, path: Path, toc_generation: int) -> SideData | None:
        """The side data, or None when missing, damaged or not for this generation."""
        try:
            data = marshal.loads(path.read_bytes())
            if data["format"] != INDEX_FORMAT or data["generation"] != toc_generation:
                return None
            side = cls(
                keys=data["keys"],
                years=_array("H", data["years"]),
                venue_names=data["venue_names"],
                venue_of=_array("I", data["venue_of"]),
                spelling_starts=_array("I", data["spelling_starts"]),
                spelling_ids=_array("I", data["spelling_ids"]),
                lengths={name: _array("H", data["lengths"][name]) for name in LENGTH_FIELDS},
                person_keys=data["person_keys"],
                person_names=data["person_names"],
                person_of_spelling=_array("I", data["person_of_spelling"]),
                person_folded=data.get("person_folded", []),
                person_totals=_array("I", data.get("person_totals", b"")),
                categories=ValueLists.loaded(data["categories"]),
                keywords=ValueLists.loaded(data["keywords"]),
                collections=ValueLists.loaded(data["collections"]),
            )
            side._hashes, side._spellings = data["hashes"], data["spellings"]
        except (OSError, EOFError, ValueError, TypeError, KeyError, IndexError, AttributeError):
            return None
        size = len(side.keys)
        consistent = (
            isinstance(side._hashes, bytes)
            and isinstance(side._spellings, bytes)
            and len(side.years) == size
            and len(side.venue_of) == size
            and len(side.spelling_starts) == size + 1
            and len(side.categories.starts) == size + 1
            and len(side.keywords.starts) == size + 1
            and len(side.collections.starts) == size + 1
            and all(len(values) == size for values in side.lengths.values())
            and side.has_people()
            and len(side.person_keys) == len(side.person_names)
            and len(side.person_folded) in (0, len(side.person_keys))
            and len(side.person_totals) in (0, len(side.person_keys))
        )
        return side if consistent else None

    @classmethod
    def from_facts(cls, documents: Iterable[tuple[str, Facts | None]]) -> SideData:
        """From (paper id, facts) per document number; deleted documents as ("", None)."""
        side = cls()
        for key, facts in documents:
            side.append(key, facts or _NO_FACTS)
            if facts is None:
                side.delete(len(side) - 1)
        return side


_NO_FACTS = Facts("", 0, "", (), (0, 0, 0, 0))


def _array(typecode: str, data: bytes) -> array[int]:
    values = array(typecode)
    values.frombytes(data)
    return values


def sidecar_path(folder: Path, toc_generation: int) -> Path:
    return folder / f"side-{toc_generation}.bin"
