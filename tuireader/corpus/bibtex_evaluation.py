"""Evaluating a large BibTeX file's entries on every core.

Evaluating (macros, LaTeX to text, names) costs more than scanning, and once scanned a file's
entries are known, so they are cut into runs of consecutive entries: this process evaluates the
first run while a child per core evaluates each of the others (`bibtex_parts.children_working`).

The result equals the one made in a single pass, papers, problems and dependencies alike:
- a child is given every macro of the library, so a value evaluates there as it would here;
- an entry with a crossref parent is left to this process, which evaluates those in order with
  one evaluator: the parents' fields it remembers, and the cycles it reports, depend on which
  entries named them before;
- a macro that is not defined is reported once per file, where first met: each child reports it
  where its run first meets it, and `Evaluator.replay` keeps only the file's first report.
A child that fails costs time, not papers: the whole file is then evaluated here.
"""

from __future__ import annotations

import itertools
import marshal
from collections.abc import Callable, Iterable, Sequence
from typing import Any, cast

from tuireader.corpus.bibtex_parts import (
    MOST_CHILDREN,
    ChildEvent,
    ChildStream,
    Monotonic,
    PartFailed,
    children_working,
    usable_cores,
)
from tuireader.corpus.cache import PaperDecoder, encode_paper
from tuireader.corpus.model import Paper, Source
from tuireader.corpus.problem_log import ProblemLog
from tuireader.corpus.readers import bibtex
from tuireader.corpus.readers.base import ReadResult
from tuireader.corpus.readers.bibtex_scan import BibScan, RawEntry, RawString, fields_read
from tuireader.corpus.readers.bibtex_values import (
    BibFileFacts,
    Definitions,
    Dependency,
    Evaluator,
    crossref_of,
)

# Below this many entries a child's start (a fifth of a second) outweighs what it saves.
PARALLEL_ENTRIES = 4000
# This process also rebuilds what the children send, and its run, the first, costs more per
# entry where older entries carry more LaTeX (the ACL Anthology's first third, twice its last):
# its own run is shorter by this share, with which both finish together there.
_OWN_SHARE = 0.72
_PROGRESS_EVERY = 2000  # entries, also those of a batch a child sends
_LOOK_EVERY = 32  # entries evaluated here between two looks at what the children sent

_Event = tuple[str, int | None, str]  # a problem met in a child: message, line, undefined macro


def resolve(
    scanned: BibScan,
    file_id: str,
    path: str,
    definitions: Definitions,
    on_progress: Callable[[float], None] | None = None,
    *,
    children: int | None = None,
) -> tuple[ReadResult, tuple[Dependency, ...]]:
    """`bibtex.resolve`, with the entries shared out to `children` child processes besides this
    one; when None, one per further core if there are PARALLEL_ENTRIES entries or more."""
    entries = scanned.entries
    count = min(MOST_CHILDREN, usable_cores() - 1) if children is None else children
    if count < 1 or (children is None and len(entries) < PARALLEL_ENTRIES):
        return bibtex.resolve(scanned, file_id, path, definitions, on_progress)
    try:
        return _resolved_in_parts(scanned, file_id, path, definitions, on_progress, count)
    except (PartFailed, OSError, ValueError, EOFError):
        return bibtex.resolve(scanned, file_id, path, definitions, on_progress)


def _runs(total: int, children: int) -> list[tuple[int, int]]:
    """(start, end) of this process's run, then of each child's."""
    own = int(total / (children + 1) * _OWN_SHARE)
    bounds = [0, own] + [own + (total - own) * number // children for number in range(1, children + 1)]
    return list(itertools.pairwise(bounds))


def _resolved_in_parts(
    scanned: BibScan,
    file_id: str,
    path: str,
    definitions: Definitions,
    on_progress: Callable[[float], None] | None,
    children: int,
) -> tuple[ReadResult, tuple[Dependency, ...]]:
    entries = scanned.entries
    runs = _runs(len(entries), children)
    macros = [
        (fact.file_id, fact.signature, [(s.name, s.value, s.line) for s in fact.strings])
        for fact in definitions.facts
    ]
    payloads: list[Any] = [
        (file_id, path, macros, [(e.entry_type, e.key, e.line, e.raw) for e in entries[start:end]])
        for start, end in runs[1:]
    ]
    progress = Monotonic(on_progress)
    evaluator = Evaluator(definitions, file_id, path)
    result = ReadResult(problems=ProblemLog(scanned.problems))
    bibtex.check_strings(scanned, evaluator, result)
    records = result.records
    with children_working("evaluate", payloads) as workers:
        decoder = PaperDecoder(path, path)
        gathered = [
            _Gathered(ChildStream(child), entries[start:end], decoder, path)
            for child, (start, end) in zip(workers, runs[1:], strict=True)
        ]

        def report(own: int) -> None:
            progress((own + sum(run.entries_done for run in gathered)) / len(entries))

        start, end = runs[0]
        for done, entry in enumerate(entries[start:end], start=1):
            records.append(_evaluated_here(entry, evaluator, path))
            if done % _LOOK_EVERY == 0:
                # The children's papers are rebuilt meanwhile: left to the end, they would wait
                # for this run, and each child for this process to empty its pipe.
                for run in gathered:
                    run.take(run.stream.ready())
                report(done)
        for run in gathered:
            for event in run.stream.rest():
                run.take((event,))
                report(end - start)
            records.extend(run.finished(evaluator))
    result.problems.extend(evaluator.problems)
    return result, tuple(sorted(evaluator.used))


class _Gathered:
    """A child's run as it comes: its papers rebuilt as its batches arrive, and in their order
    what must wait for this process's own run, which comes first in the file: its entries with a
    crossref parent, and its problems."""

    def __init__(
        self, stream: ChildStream, entries: Sequence[RawEntry], decoder: PaperDecoder, path: str
    ) -> None:
        self.stream = stream
        self.entries = entries
        self.decoder = decoder
        self.path = path
        self.papers: list[Paper | None] = []
        self.later: list[tuple[int, tuple[_Event, ...] | None]] = []  # None: to be evaluated here
        self.entries_done = 0
        self.used: list[Dependency] | None = None

    def take(self, events: Iterable[ChildEvent]) -> None:
        for event, value in events:
            if event == "progress":
                self.entries_done = int(value * len(self.entries))
            elif event == "batch":
                self._rebuilt(marshal.loads(value))
            else:
                self.used = marshal.loads(value)

    def _rebuilt(self, outcomes: list[Any]) -> None:
        papers, entries = self.papers, self.entries
        for outcome in outcomes:
            position = len(papers)
            if position >= len(entries):
                raise PartFailed("a child process evaluated more entries than it was given")
            if outcome is None:  # left to this process: it has a crossref parent
                self.later.append((position, None))
                papers.append(None)
                continue
            encoded, strings, events = outcome
            if events:
                self.later.append((position, events))
            entry = entries[position]
            source = Source(self.path, entry.line)
            papers.append(self.decoder.paper(encoded, (bibtex.record_of(entry, source, strings),), (source,)))

    def finished(self, evaluator: Evaluator) -> list[Paper]:
        """The run's papers, once the child has sent them all and every earlier entry is evaluated."""
        if len(self.papers) != len(self.entries) or self.used is None:
            raise PartFailed("a child process evaluated fewer entries than it was given")
        papers = self.papers
        for position, events in self.later:
            if events is None:
                papers[position] = _evaluated_here(self.entries[position], evaluator, self.path)
            else:
                evaluator.replay(events)
        evaluator.used.update(self.used)
        return cast("list[Paper]", papers)  # every None was replaced above


def _evaluated_here(entry: RawEntry, evaluator: Evaluator, path: str) -> Paper:
    values = evaluator.fields(entry)
    return bibtex.paper_from_fields(entry, values, path, evaluator.strings_used(entry))


class _RunEvaluator(Evaluator):
    """An evaluator for a child's run: problems are kept with the macro they are about, and all
    of them, so that they can be replayed in the parent (`Evaluator.replay`)."""

    def __init__(self, definitions: Definitions, file_id: str, path: str) -> None:
        super().__init__(definitions, file_id, path)
        self.events: list[_Event] = []

    def _problem(self, message: str, line: int | None, undefined: str = "") -> None:
        self.events.append((message, line, undefined))


def _no_entries(_: str) -> Sequence[RawEntry]:
    raise AssertionError("an entry with a crossref parent is evaluated by the parent process")


def evaluate_job(payload: Any, report: Callable[[float], None], send: Callable[[Any], None]) -> Any:
    """A child's run, sent in batches: for each entry None (its crossref parent is looked up by
    the parent process), or its paper encoded without its record, the `@string`s it used, and its
    problems; then, returned, every macro lookup made."""
    file_id, path, macros, raw_entries = payload
    del payload
    facts = [
        BibFileFacts(home, signature, tuple(RawString(*string) for string in strings), ())
        for home, signature, strings in macros
    ]
    evaluator = _RunEvaluator(Definitions(facts, _no_entries), file_id, path)
    events = evaluator.events
    outcomes: list[Any] = []
    total = len(raw_entries)
    raw_entries.reverse()  # taken from the end, each entry is let go once evaluated
    for done in range(1, total + 1):
        entry_type, key, line, raw = raw_entries.pop()
        # Only the fields as written are sent: those read are picked out again here, as scanning did.
        entry = RawEntry(entry_type, key, line, fields_read(raw), raw)
        before = len(events)
        values = evaluator.own_fields(entry)
        if crossref_of(values):
            del events[before:]
            outcomes.append(None)
        else:
            strings = evaluator.strings_used(entry)
            paper = bibtex.paper_from_fields(entry, values, path, strings, with_record=False)
            outcomes.append((encode_paper(paper), strings, tuple(events[before:])))
        if done % _PROGRESS_EVERY == 0 or done == total:
            send(outcomes)
            outcomes.clear()
            report(done / total)
    return list(evaluator.used)
