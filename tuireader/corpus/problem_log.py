"""A file's problems, kept to a bounded number.

A damaged file, or one read in a format it only looks like, can give a problem on every line: a
million of them would take seconds to list and hundreds of megabytes to hold, and nobody reads
past the first screenful. So each file keeps its first PROBLEMS_KEPT problems and only counts the
rest, and the library ends the file's list with one problem saying how many were left out.

Every reader's problems reach the library (and the parse cache) as a ProblemLog inside a
`FileResult`, which takes any other collection of problems into one: the bound holds for a new
reader too, and a reader collecting into its result's log never holds more than the bound.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import overload

from tuireader.corpus.model import Problem

PROBLEMS_KEPT = 100


class ProblemLog(Sequence[Problem]):
    """The first PROBLEMS_KEPT problems added, in order, and a count of those added after them.

    As a sequence it holds the kept problems; `unlisted` counts the others. Extending one log by
    another carries the other's count along. A log with none left out equals a list of the same
    problems, as the list it replaces did.
    """

    __slots__ = ("_kept", "unlisted")

    def __init__(self, problems: Iterable[Problem] = (), *, unlisted: int = 0) -> None:
        self._kept: list[Problem] = []
        self.unlisted = unlisted
        self.extend(problems)

    def append(self, problem: Problem) -> None:
        if len(self._kept) < PROBLEMS_KEPT:
            self._kept.append(problem)
        else:
            self.unlisted += 1

    def extend(self, problems: Iterable[Problem]) -> None:
        for problem in problems:
            self.append(problem)
        if isinstance(problems, ProblemLog):
            self.unlisted += problems.unlisted

    @property
    def total(self) -> int:
        """How many problems were added, kept or not."""
        return len(self._kept) + self.unlisted

    def listed(self, path: str) -> list[Problem]:
        """The kept problems, then, if any were left out, one naming how many (for the file `path`)."""
        if not self.unlisted:
            return list(self._kept)
        count = f"{self.unlisted:,} more problem{'s' if self.unlisted != 1 else ''}"
        message = (
            f"… and {count} in this file, not listed (only a file's first {PROBLEMS_KEPT} are kept); "
            "fix the ones above and run `tuireader check` again to list the next"
        )
        return [*self._kept, Problem(path, message)]

    def __len__(self) -> int:
        return len(self._kept)

    @overload
    def __getitem__(self, index: int) -> Problem: ...

    @overload
    def __getitem__(self, index: slice) -> list[Problem]: ...

    def __getitem__(self, index: int | slice) -> Problem | list[Problem]:
        return self._kept[index]

    def __iter__(self) -> Iterator[Problem]:
        return iter(self._kept)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ProblemLog):
            return self._kept == other._kept and self.unlisted == other.unlisted
        if isinstance(other, (list, tuple)):
            return not self.unlisted and self._kept == list(other)
        return NotImplemented

    def __repr__(self) -> str:
        return f"ProblemLog({self._kept!r}, unlisted={self.unlisted})"
