"""The query language, read into a Whoosh query tree; it never raises.

    jailbreak defense        bare words, all required, ranked
    "red teaming"            a phrase
    a OR b, a AND NOT b, ()  boolean operators (upper case) and grouping
    -word                    without the word (`well-known` stays one hyphenated word)
    title: author: abstract: venue: id:   one field (`arxiv:2501.18837` is an `id:`)
    year:2023  year:2020..2024  year:>=2023  year:..2019
    gen*  simulatability~    wildcards and fuzzy words (`~2`: two edits)

Bare words are searched in every field. Unless the query ends in a space, its last bare word is
also a prefix (`jail` finds "jailbreak"), for search as you type. A query that cannot be read
is searched as its plain words, with a notice saying so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from whoosh import qparser, query
from whoosh.analysis import LowercaseFilter, RegexTokenizer
from whoosh.fields import TEXT, Schema

from tuireader.index.analysis import WORD_PATTERN, identifier_analyzer, name_analyzer, text_analyzer
from tuireader.index.schema import QUERY_FIELDS

ANY_FIELD = "any"  # the pseudo-field of bare words, expanded to every searched field
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}
_FIELD_PREFIX = re.compile(r"(?<![\w:])([A-Za-z_]\w*):(?=\S)")
_YEAR_VALUE = re.compile(r"year:(\S*)", re.IGNORECASE)
_YEAR_FORMS = (
    (re.compile(r"^(\d{1,4})\.\.(\d{1,4})$"), "year:[{0} TO {1}]"),
    (re.compile(r"^(\d{1,4})\.\.$"), "year:[{0} TO]"),
    (re.compile(r"^\.\.(\d{1,4})$"), "year:[TO {0}]"),
    (re.compile(r"^(\d{1,4})$"), "year:{0}"),
    (re.compile(r"^([<>]=?)(\d{1,4})$"), "year:{0}{1}"),
    (re.compile(r"^\[(\d{1,4})?(?: TO (\d{1,4})?)?\]$"), None),  # Whoosh's own form, kept
)
_LAST_BARE_WORD = re.compile(r"(?:^|[\s(+])([^\s\"():*?~^\[\]{}<>=-][^\s\"():*?~^\[\]{}<>=]*)$")


class TypingPrefix(query.Prefix):
    """The last bare word as a prefix: expanded to its commonest completions only."""


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    tree: query.Query | None  # None: every paper
    notice: str | None = None
    typing_word: str | None = None


def _parse_schema() -> Schema:
    return Schema(
        any=TEXT(analyzer=RegexTokenizer(WORD_PATTERN) | LowercaseFilter()),
        title=TEXT(analyzer=text_analyzer()),
        abstract=TEXT(analyzer=text_analyzer()),
        venue=TEXT(analyzer=text_analyzer()),
        author=TEXT(analyzer=name_analyzer()),
        id=TEXT(analyzer=identifier_analyzer()),
        year=TEXT(analyzer=identifier_analyzer()),
    )


class QueryReader:
    """Reads query strings; one per engine (Whoosh's parser is not cheap to set up)."""

    def __init__(self) -> None:
        self._parser = qparser.QueryParser(ANY_FIELD, _parse_schema())
        self._parser.add_plugin(qparser.FuzzyTermPlugin())
        self._parser.add_plugin(qparser.GtLtPlugin())

    def read(self, text: str) -> ParsedQuery:
        if not text.strip():
            return ParsedQuery(None)
        problem = syntax_problem(text)
        if problem is None:
            try:
                tree = self._parser.parse(_rewrite(text))
            except Exception as error:  # Whoosh's parser has no error type of its own
                problem = f"it could not be read ({type(error).__name__})"
            else:
                return self._with_typing_prefix(text, tree, None)
        return self.plain_words(text, problem)

    def plain_words(self, text: str, problem: str) -> ParsedQuery:
        words = [w for w in re.findall(r"\w+", text) if w.upper() not in _OPERATORS]
        notice = f"The query syntax was not understood: {problem}. Searched for its words instead."
        if not words:
            return ParsedQuery(query.NullQuery, notice)
        tree: query.Query = query.And([query.Term(ANY_FIELD, word.lower()) for word in words])
        return self._with_typing_prefix(" ".join(words) + text[len(text.rstrip()) :], tree, notice)

    def _with_typing_prefix(self, text: str, tree: query.Query, notice: str | None) -> ParsedQuery:
        if text != text.rstrip():
            return ParsedQuery(tree, notice)
        match = _LAST_BARE_WORD.search(text)
        if not match or match.group(1) in _OPERATORS:
            return ParsedQuery(tree, notice)
        tokens = re.findall(WORD_PATTERN.replace("(", "(?:"), match.group(1).lower())
        if not tokens:
            return ParsedQuery(tree, notice)
        replaced = _replace_last_bare_term(tree, tokens[-1])
        if replaced is None:
            return ParsedQuery(tree, notice)
        new_tree, word = replaced
        return ParsedQuery(new_tree, notice, word)


def syntax_problem(text: str) -> str | None:
    """Why `text` is not a well-formed query, or None."""
    if text.count('"') % 2:
        return "a quotation mark is not closed"
    depth = 0
    for char in re.sub(r'"[^"]*"', "", text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            return "a parenthesis is closed that was never opened"
    if depth:
        return "a parenthesis is not closed"
    unquoted = re.sub(r'"[^"]*"', " ", text)
    words = unquoted.split()
    if words and (words[-1] in {"AND", "OR", "NOT"} or words[0] in {"AND", "OR"}):
        return f"“{words[-1] if words[-1] in _OPERATORS else words[0]}” needs a word on each side"
    for match in _FIELD_PREFIX.finditer(unquoted):
        name = match.group(1).lower()
        if name not in QUERY_FIELDS and name != "arxiv":
            return f"“{match.group(1)}:” is not a field (fields: {', '.join(QUERY_FIELDS)})"
    for match in _YEAR_VALUE.finditer(unquoted):
        if not any(pattern.match(match.group(1)) for pattern, _ in _YEAR_FORMS):
            return f"“year:{match.group(1)}” is not a year or a range such as 2020..2024"
    return None


def _rewrite(text: str) -> str:
    """Our conveniences in Whoosh's own syntax: `-word`, `year:2020..2024`, `arxiv:…`."""
    text = re.sub(r"(?:(?<=^)|(?<=[\s(]))-(?=[^\s-])", "NOT ", text)
    text = re.sub(r"(?:(?<=^)|(?<=[\s(]))\+(?=\S)", "", text)
    text = re.sub(r"(?<![\w:])arxiv:", "id:arxiv:", text, flags=re.IGNORECASE)
    text = re.sub(r"(?<![\w:])(title|author|abstract|venue|id|year):", _lower_field, text, flags=re.I)

    def year(match: re.Match[str]) -> str:
        for pattern, form in _YEAR_FORMS:
            found = pattern.match(match.group(1))
            if found and form:
                return form.format(*found.groups())
        return match.group(0)

    return _YEAR_VALUE.sub(year, text)


def _lower_field(match: re.Match[str]) -> str:
    return match.group(1).lower() + ":"


def _replace_last_bare_term(tree: query.Query, word: str) -> tuple[query.Query, str] | None:
    """`tree` with its last positive clause, when it is the bare word `word`, as (word OR word*)."""
    if isinstance(tree, query.Term) and tree.fieldname == ANY_FIELD and tree.text == word:
        return query.Or([tree, TypingPrefix(ANY_FIELD, word)]), word
    if isinstance(tree, (query.And, query.Or)):
        children = list(tree.subqueries)
        for index in range(len(children) - 1, -1, -1):
            if isinstance(children[index], query.Not):
                continue
            replaced = _replace_last_bare_term(children[index], word)
            if replaced is not None:
                children[index] = replaced[0]
                return type(tree)(children), replaced[1]
            return None  # the last positive clause is not a bare word
    return None
