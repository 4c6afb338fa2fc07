"""Evaluating BibTeX values: `@string` macros (from any file of the library), `#` joins, month
names, and crossref parents whose fields a child inherits.

Every macro and parent an evaluation looks up is recorded with what it resolved to, so that a
file's cached result can later be checked against the library as it is now.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from tuireader.corpus.model import Problem
from tuireader.corpus.problem_log import ProblemLog
from tuireader.corpus.readers.bibtex_scan import RawEntry, RawString

MONTH_MACROS = {
    "jan": "January",
    "feb": "February",
    "mar": "March",
    "apr": "April",
    "may": "May",
    "jun": "June",
    "jul": "July",
    "aug": "August",
    "sep": "September",
    "oct": "October",
    "nov": "November",
    "dec": "December",
}
# Journal macros the standard BibTeX styles (plain, alpha, abbrv, unsrt) define.
STYLE_MACROS = {
    "acmcs": "ACM Computing Surveys",
    "acta": "Acta Informatica",
    "cacm": "Communications of the ACM",
    "ibmjrd": "IBM Journal of Research and Development",
    "ibmsj": "IBM Systems Journal",
    "ieeese": "IEEE Transactions on Software Engineering",
    "ieeetc": "IEEE Transactions on Computers",
    "ieeetcad": "IEEE Transactions on Computer-Aided Design of Integrated Circuits",
    "ipl": "Information Processing Letters",
    "jacm": "Journal of the ACM",
    "jcss": "Journal of Computer and System Sciences",
    "scp": "Science of Computer Programming",
    "sicomp": "SIAM Journal on Computing",
    "tocs": "ACM Transactions on Computer Systems",
    "tods": "ACM Transactions on Database Systems",
    "tog": "ACM Transactions on Graphics",
    "toms": "ACM Transactions on Mathematical Software",
    "toois": "ACM Transactions on Office Information Systems",
    "toplas": "ACM Transactions on Programming Languages and Systems",
    "tcs": "Theoretical Computer Science",
}
BUILT_IN_MACROS = MONTH_MACROS | STYLE_MACROS
# A parent's identity and its own bibliographic details are not the child's.
_NOT_INHERITED = frozenset(
    """crossref xref ids key label shorthand sortkey title subtitle titleaddon abstract doi url
    eprint eprinttype archiveprefix primaryclass pages note""".split()
)
_IN_A_PARENT = frozenset({"inproceedings", "incollection", "inbook", "conference", "bookinbook", "suppbook"})


class ExpressionError(ValueError):
    pass


_BRACES = re.compile(r"\\.|[{}]")
_BRACES_AND_QUOTES = re.compile(r'\\.|[{}"]')


def _closing_brace(text: str, start: int) -> int:
    depth = 0
    for match in _BRACES.finditer(text, start):
        char = match.group()
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return match.start()
    raise ExpressionError("a brace is not closed")


def _closing_quote(text: str, start: int) -> int:
    depth = 0
    for match in _BRACES_AND_QUOTES.finditer(text, start + 1):
        char = match.group()
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif char == '"' and depth <= 0:
            return match.start()
    raise ExpressionError("a quote is not closed")


def _single_literal(text: str) -> str | None:
    """The text of a value that is one plain `{…}` or `"…"`, the usual case, found cheaply.

    Braces inside one quoted string need not balance here: bibtexparser accepts them so, and so
    do real files (an abstract opening with a stray `{`).
    """
    if len(text) < 2:
        return None
    inner = text[1:-1]
    if text[0] == '"' and text[-1] == '"' and '"' not in inner:
        return inner
    if text[0] == "{" and text[-1] == "}" and "{" not in inner and "}" not in inner:
        return inner
    return None


def parts(expression: str) -> list[tuple[bool, str]]:
    """(is_macro, text) for each `#`-joined part: `"Proc. " # popl` → [(False, "Proc. "), (True, "popl")]."""
    text = expression.strip()
    single = _single_literal(text)
    return [(False, single)] if single is not None else _scanned_parts(text)


def _scanned_parts(text: str) -> list[tuple[bool, str]]:
    found: list[tuple[bool, str]] = []
    index = 0
    while True:
        while index < len(text) and text[index].isspace():
            index += 1
        if index >= len(text):
            raise ExpressionError("a value is missing" if found else "the value is empty")
        char = text[index]
        if char == "{":
            end = _closing_brace(text, index)
            found.append((False, text[index + 1 : end]))
        elif char == '"':
            end = _closing_quote(text, index)
            found.append((False, text[index + 1 : end]))
        else:
            word = _WORD.match(text, index)
            assert word is not None  # the pattern matches at least the character at `index`
            end = word.end() - 1
            found.append((not word.group().isdigit(), word.group()))
        index = end + 1
        while index < len(text) and text[index].isspace():
            index += 1
        if index >= len(text):
            return found
        if text[index] != "#":
            raise ExpressionError(f"unexpected “{text[index:][:20]}” after a value")
        index += 1


_WORD = re.compile(r'[^\s#{"][^\s#{"]*')


@dataclass(frozen=True, slots=True)
class BibFileFacts:
    """What the other files of a library may use from one BibTeX file: macros and entry keys."""

    file_id: str
    signature: str
    strings: tuple[RawString, ...]
    keys: tuple[str, ...]


def entry_keys(entry: RawEntry) -> list[str]:
    """The lower-case key and any `ids` aliases (biblatex) a crossref may name."""
    keys = [entry.key.lower()] if entry.key else []
    ids = dict(entry.fields).get("ids")
    if ids:
        with contextlib.suppress(ExpressionError):
            keys += [
                k.strip().lower() for is_macro, text in parts(ids) if not is_macro for k in text.split(",")
            ]
    return [key for key in keys if key]


class Definitions:
    """Macros and entries of all BibTeX files of a library, looked up the way BibTeX users expect:
    a file's own definitions first, then the last file defining a macro / the first defining a key."""

    def __init__(
        self, facts: Sequence[BibFileFacts], entries_of: Callable[[str], Sequence[RawEntry]]
    ) -> None:
        self._entries_of = entries_of
        self._signature = {f.file_id: f.signature for f in facts}
        self._own_strings: dict[str, dict[str, RawString]] = {}
        self._strings: dict[str, tuple[str, RawString]] = {}
        self._key_owner: dict[str, str] = {}
        self._own_keys: dict[str, frozenset[str]] = {}
        for fact in facts:
            own = {s.name: s for s in fact.strings}
            self._own_strings[fact.file_id] = own
            for string in fact.strings:
                self._strings[string.name] = (fact.file_id, string)
            self._own_keys[fact.file_id] = frozenset(fact.keys)
            for key in fact.keys:
                self._key_owner.setdefault(key, fact.file_id)
        self.facts = tuple(facts)
        self._entries_by_key: dict[str, dict[str, RawEntry]] = {}
        self._macro_memo: dict[tuple[str, str], tuple[str | None, frozenset[tuple[str, str, str, str]]]] = {}

    def macro(self, home: str, name: str) -> tuple[str, RawString] | None:
        own = self._own_strings.get(home, {}).get(name)
        return (home, own) if own is not None else self._strings.get(name)

    def macro_token(self, home: str, name: str) -> str:
        found = self.macro(home, name)
        if found is not None:
            file_id, string = found
            return f"{file_id}\x1f{string.line}\x1f{string.value}"
        return "built-in" if name in BUILT_IN_MACROS else ""

    def parent_owner(self, home: str, key: str) -> str | None:
        return home if key in self._own_keys.get(home, ()) else self._key_owner.get(key)

    def parent_token(self, home: str, key: str) -> str:
        owner = self.parent_owner(home, key)
        return f"{owner}\x1f{self._signature.get(owner, '')}" if owner else ""

    def token(self, kind: str, home: str, name: str) -> str:
        return self.macro_token(home, name) if kind == "macro" else self.parent_token(home, name)

    def parent(self, home: str, key: str) -> tuple[str, RawEntry] | None:
        owner = self.parent_owner(home, key)
        if owner is None:
            return None
        by_key = self._entries_by_key.get(owner)
        if by_key is None:
            by_key = {}
            for entry in self._entries_of(owner):
                for alias in entry_keys(entry):
                    by_key.setdefault(alias, entry)
            self._entries_by_key[owner] = by_key
        found = by_key.get(key)
        return (owner, found) if found is not None else None


Dependency = tuple[str, str, str, str]  # (kind, home file, name, token)


class Evaluator:
    """Evaluates the entries of one file, recording every lookup in `used`."""

    def __init__(self, definitions: Definitions, file_id: str, path: str) -> None:
        self.definitions = definitions
        self.file_id = file_id
        self.path = path
        self.problems = ProblemLog()
        self.used: set[Dependency] = set()
        self._recorded: set[tuple[str, str, str]] = set()
        self._undefined_reported: set[str] = set()
        self._parent_memo: dict[tuple[str, str], dict[str, str]] = {}
        self._cycle_met = False

    def _record(self, kind: str, home: str, name: str) -> None:
        # Definitions do not change while a file is evaluated: each lookup's token is made once
        # (a month macro is looked up by nearly every entry).
        lookup = (kind, home, name)
        if lookup not in self._recorded:
            self._recorded.add(lookup)
            self.used.add((kind, home, name, self.definitions.token(kind, home, name)))

    def macro_value(
        self, home: str, name: str, active: frozenset[tuple[str, str]] = frozenset()
    ) -> str | None:
        self._record("macro", home, name)
        found = self.definitions.macro(home, name)
        if found is None:
            return BUILT_IN_MACROS.get(name)
        string_home, string = found
        if (string_home, name) in active:
            return None  # a macro defined through itself
        try:
            return self.evaluate(string.value, string_home, active | {(string_home, name)})
        except ExpressionError:
            return None

    def evaluate(self, expression: str, home: str, active: frozenset[tuple[str, str]] = frozenset()) -> str:
        pieces: list[str] = []
        for is_macro, text in parts(expression):
            if not is_macro:
                pieces.append(text)
                continue
            value = self.macro_value(home, text.lower(), active)
            if value is None:
                value = text
                if home == self.file_id and text.lower() not in self._undefined_reported:
                    self._undefined_reported.add(text.lower())
                    message = f"@string “{text}” is not defined; its name is shown instead"
                    self._problem(message, None, text.lower())
            pieces.append(value)
        return "".join(pieces)

    def strings_used(self, entry: RawEntry) -> tuple[tuple[str, str], ...]:
        """The `@string` definitions (name, value as written) the entry's own values use, each
        after those its value uses in turn; built-in months and journals are left out."""
        found: dict[str, tuple[str, str]] = {}  # by lower-case name: (name as referred to, value)
        for _, expression in entry.raw:
            self._visit(found, expression, self.file_id, frozenset())
        return tuple(found.values())

    def _visit(
        self, found: dict[str, tuple[str, str]], expression: str, home: str, active: frozenset[str]
    ) -> None:
        # A method, not a closure calling itself: that would be a reference cycle per entry.
        try:
            pieces = parts(expression)
        except ExpressionError:
            return
        for is_macro, text in pieces:
            name = text.lower()
            if not is_macro or name in found or name in active:
                continue
            self._record("macro", home, name)
            defined = self.definitions.macro(home, name)
            if defined is None:
                continue
            string_home, string = defined
            self._visit(found, string.value, string_home, active | {name})
            found[name] = (text, string.value)

    def _problem(self, message: str, line: int | None, undefined: str = "") -> None:
        """Every problem of the file's entries passes here; `undefined` names the macro a
        "not defined" problem is about (reported once per file, where first met)."""
        self.problems.append(Problem(self.path, message, line))

    def replay(self, events: Iterable[tuple[str, int | None, str]]) -> None:
        """Problems met by an evaluator of the same file that saw only some of its entries, as if
        met here: a macro another evaluator reported as undefined is reported only if this one has
        not already."""
        for message, line, undefined in events:
            if undefined:
                if undefined in self._undefined_reported:
                    continue
                self._undefined_reported.add(undefined)
            self.problems.append(Problem(self.path, message, line))

    def own_fields(self, entry: RawEntry, home: str | None = None, reporting: bool = True) -> dict[str, str]:
        """The entry's own evaluated fields, without what a crossref parent would add."""
        home = home or self.file_id
        values: dict[str, str] = {}
        for name, expression in entry.fields:
            try:
                values[name] = self.evaluate(expression, home)
            except ExpressionError as error:
                if reporting:
                    self._problem(f"field “{name}” of “{entry.key}” left out: {error}", entry.line)
        return values

    def fields(self, entry: RawEntry, home: str | None = None, chain: tuple[str, ...] = ()) -> dict[str, str]:
        """The entry's evaluated fields, with those inherited from its crossref parents."""
        home = home or self.file_id
        reporting = home == self.file_id and not chain
        values = self.own_fields(entry, home, reporting)
        parent_key = crossref_of(values)
        if parent_key:
            self._cycle_met = self._cycle_met and not reporting
            inherited = self._parent_fields(entry, home, parent_key, (*chain, entry.key.lower()), reporting)
            _inherit(values, inherited, entry.entry_type)
            if reporting and self._cycle_met:
                message = f"crossrefs starting at “{entry.key}” run in a circle; inherited up to the repeat"
                self._problem(message, entry.line)
        return values

    def _parent_fields(
        self, entry: RawEntry, home: str, key: str, chain: tuple[str, ...], reporting: bool
    ) -> dict[str, str]:
        self._record("parent", home, key)
        if key in chain:
            self._cycle_met = True
            return {}
        found = self.definitions.parent(home, key)
        if found is None:
            if reporting:
                message = f"crossref “{key}” of “{entry.key}” is in no file of the library; read without it"
                self._problem(message, entry.line)
            return {}
        owner, parent = found
        memo_key = (owner, key)
        if memo_key not in self._parent_memo:
            self._parent_memo[memo_key] = self.fields(parent, owner, chain) | {"__type": parent.entry_type}
        return self._parent_memo[memo_key]


def crossref_of(values: dict[str, str]) -> str:
    """The lower-case key of the parent an entry's evaluated fields name, or ""."""
    return values.get("crossref", "").strip().lower()


def _inherit(values: dict[str, str], parent: dict[str, str], child_type: str) -> None:
    for name, value in parent.items():
        if name.startswith("__") or name in _NOT_INHERITED or name in values:
            continue
        values[name] = value
    # The parent's title names the book or proceedings the child appears in.
    if "booktitle" not in values and child_type in _IN_A_PARENT and parent.get("title"):
        values["booktitle"] = parent["title"]
    if parent.get("__type") == "periodical" and "journal" not in values and parent.get("title"):
        values["journal"] = parent["title"]
