"""The query language, read into a Whoosh query tree; it never raises.

    jailbreak defense        bare words, all required, ranked
    "red teaming"            a phrase
    a OR b, a AND NOT b, ()  boolean operators (upper case) and grouping
    -word                    without the word
    end-to-end               a hyphenated word: the phrase of its parts (or a whole id)
    title: author: abstract: venue: id:   one field (`arxiv:2501.18837` is an `id:`)
    cat:cs.CL  cat:cs.*      an arXiv category, whole or by prefix (`category:` too)
    keyword:parsing  keyword:"machine translation"   the paper's keywords (`keywords:` too)
    collection:thesis  collection:thesis/chapter_2   a Zotero collection (its children's too)
    year:2023  year:2020..2024  year:>=2023  year:..2019  year:[2020 TO 2024]
    gen*  simulatability~    wildcards and fuzzy words (`~2`: two edits)
    2501.18837v2  10.18653/v1/…  https://doi.org/…   a whole query that is an identifier

Bare words are searched in every field; stop words (`of`, `the`) are only searched inside
phrases. Unless the query ends in a space, its last bare word is also a prefix (`jail` finds
"jailbreak"), for search as you type. A query that cannot be read is searched as its plain
words, with a notice saying so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from whoosh import qparser, query
from whoosh.analysis import CharsetFilter, LowercaseFilter, RegexTokenizer
from whoosh.fields import TEXT, Schema
from whoosh.support.charset import accent_map

from tuireader.index.analysis import (
    WORD_PATTERN,
    find_words,
    identifier_analyzer,
    name_analyzer,
    text_analyzer,
)
from tuireader.index.schema import QUERY_FIELDS

ANY_FIELD = "any"  # the pseudo-field of bare words, expanded to every searched field
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}
_FIELD_PREFIX = re.compile(r"(?<![\w:])([A-Za-z_]\w*):(?=\S)")
_YEAR_VALUE = re.compile(r"year:(\[[^\]]*\]|[^\s()]*)", re.IGNORECASE)
_EMPTY_FIELD = re.compile(
    r"(?<![\w:])(title|author|abstract|venue|id|year|arxiv|cat|category|keywords?|collections?):(?=\s|\)|$)",
    re.I,
)
_NAMED_FIELD = re.compile(
    r"(?<![\w:])(title|author|abstract|venue|id|year|cat|category|keywords?|collections?):", re.I
)
# Other names for query fields, and the index field behind each name that differs from it
_FIELD_NAMES = {"cat": "category", "category": "category", "keywords": "keyword", "collections": "collection"}
# Fields whose values are whole words: a hyphen there is part of the value
_WHOLE_VALUE_FIELDS = {"id", "arxiv", "year", "cat", "category", "collection", "collections"}
_QUOTED = re.compile(r'"[^"]*"')
_HYPHENATED = re.compile(r"(?<![\w.*?~-])(\w[\w.]*(?:-[\w.]+)+)(?![\w*?~-])")
_FIELD_BEFORE = re.compile(r"(?:^|[\s(])([A-Za-z_]\w*):$")
# A field whose value runs on to here (`id:10.18653/v1/` before `N19-1423`)
_VALUE_BEFORE = re.compile(r"(?:^|[\s(])([A-Za-z_]\w*):[^\s()\"]*$")
_ARXIV_ID = re.compile(r"(?:arxiv:)?(\d{4}\.\d{4,5}|[a-z][a-z.-]*/\d{7})(v\d+)?", re.IGNORECASE)
_DOI = re.compile(r"(?:https?://(?:dx\.)?doi\.org/|doi:)?(10\.\d{4,9}/\S+)", re.IGNORECASE)
_YEAR_FORMS = (
    (re.compile(r"^(\d{1,4})\.\.(\d{1,4})$"), "year:[{0} TO {1}]"),
    (re.compile(r"^(\d{1,4})\.\.$"), "year:[{0} TO]"),
    (re.compile(r"^\.\.(\d{1,4})$"), "year:[TO {0}]"),
    (re.compile(r"^(\d{1,4})$"), "year:{0}"),
    (re.compile(r"^([<>]=?)(\d{1,4})$"), "year:{0}{1}"),
    (re.compile(r"^\[(\d{1,4})? ?(?:TO ?(\d{1,4})?)?\]$", re.IGNORECASE), "year:[{0} TO {1}]"),
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
        any=TEXT(analyzer=RegexTokenizer(WORD_PATTERN) | LowercaseFilter() | CharsetFilter(accent_map)),
        title=TEXT(analyzer=text_analyzer()),
        abstract=TEXT(analyzer=text_analyzer()),
        venue=TEXT(analyzer=text_analyzer()),
        author=TEXT(analyzer=name_analyzer()),
        id=TEXT(analyzer=identifier_analyzer()),
        year=TEXT(analyzer=identifier_analyzer()),
        category=TEXT(analyzer=identifier_analyzer()),
        keyword=TEXT(analyzer=text_analyzer()),
        collection=TEXT(analyzer=identifier_analyzer()),
    )


class QueryReader:
    """Reads query strings; one per engine (Whoosh's parser is not cheap to set up)."""

    def __init__(self) -> None:
        self._parser = qparser.QueryParser(ANY_FIELD, _parse_schema())
        self._parser.add_plugin(qparser.FuzzyTermPlugin())
        self._parser.add_plugin(qparser.GtLtPlugin())

    def read(self, text: str, *, typing: bool = True) -> ParsedQuery:
        """The query in `text`. While `typing`, a last bare word with no space after it is being
        typed: it also matches as a prefix. A query given whole means its words as they are."""
        if not text.strip():
            return ParsedQuery(None)
        identifier = identifier_query(text.strip())
        if identifier is not None:
            return ParsedQuery(identifier)
        text, notice = _without_empty_fields(text)
        if not text.strip():
            return ParsedQuery(query.NullQuery, notice)
        problem = syntax_problem(text)
        if problem is None:
            try:
                tree = self._parser.parse(_rewrite(text))
            except Exception as error:  # Whoosh's parser has no error type of its own
                problem = f"it could not be read ({type(error).__name__})"
            else:
                return self._with_typing_prefix(text, tree, notice, typing)
        parsed = self.plain_words(text, problem, typing)
        if notice:
            return ParsedQuery(parsed.tree, f"{notice} {parsed.notice}", parsed.typing_word)
        return parsed

    def plain_words(self, text: str, problem: str, typing: bool = True) -> ParsedQuery:
        words = [w for w in re.findall(r"\w+", text) if w.upper() not in _OPERATORS]
        notice = f"The query syntax was not understood: {problem}. Searched for its words instead."
        if not words:
            return ParsedQuery(query.NullQuery, notice)
        tree: query.Query = query.And([query.Term(ANY_FIELD, word.lower()) for word in words])
        return self._with_typing_prefix(" ".join(words) + text[len(text.rstrip()) :], tree, notice, typing)

    def _with_typing_prefix(
        self, text: str, tree: query.Query, notice: str | None, typing: bool
    ) -> ParsedQuery:
        if not typing or text != text.rstrip():
            return ParsedQuery(tree, notice)
        match = _LAST_BARE_WORD.search(text)
        if not match or match.group(1) in _OPERATORS:
            return ParsedQuery(tree, notice)
        tokens = find_words(match.group(1).lower())
        if not tokens:
            return ParsedQuery(tree, notice)
        replaced = _replace_last_bare_term(tree, tokens[-1])
        if replaced is None:
            return ParsedQuery(tree, notice)
        new_tree, word = replaced
        return ParsedQuery(new_tree, notice, word)


def identifier_query(text: str) -> query.Query | None:
    """A query that is one arXiv id (with or without `arXiv:` or a version) or one DOI (bare,
    `doi:` or a doi.org link), as the `id:` terms the index holds for it; else None."""
    arxiv = _ARXIV_ID.fullmatch(text)
    if arxiv:
        base = arxiv.group(1).lower()
        versions = [base] + ([base + arxiv.group(2).lower()] if arxiv.group(2) else [])
        return query.Or([query.Term("id", value) for value in versions])
    doi = _DOI.fullmatch(text)
    if doi:
        return query.Term("id", doi.group(1).lower())
    return None


def _without_empty_fields(text: str) -> tuple[str, str | None]:
    """`author:` with nothing after it is left out (not searched as the word "author")."""
    empty = [match.group(1).lower() for match in _EMPTY_FIELD.finditer(_QUOTED.sub('""', text))]
    if not empty:
        return text, None
    names = ", ".join(f"“{name}:”" for name in dict.fromkeys(empty))
    pieces = _QUOTED.split(text)
    quoted = _QUOTED.findall(text)
    cleaned = [_EMPTY_FIELD.sub(" ", piece) for piece in pieces]
    text = "".join(p + q for p, q in zip(cleaned, [*quoted, ""], strict=True))
    return text, f"{names} needs something to search for after it: it was left out."


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
    unquoted = _QUOTED.sub(" PHRASE ", text)  # a phrase is an operand like any word
    words = unquoted.split()
    if words and (words[-1] in {"AND", "OR", "NOT"} or words[0] in {"AND", "OR"}):
        return f"“{words[-1] if words[-1] in _OPERATORS else words[0]}” needs a word on each side"
    for match in _FIELD_PREFIX.finditer(unquoted):
        name = match.group(1).lower()
        if name not in QUERY_FIELDS and name not in _FIELD_NAMES and name != "arxiv":
            return f"“{match.group(1)}:” is not a field (fields: {', '.join(QUERY_FIELDS)})"
    for match in _YEAR_VALUE.finditer(unquoted):
        if not any(pattern.match(match.group(1)) for pattern, _ in _YEAR_FORMS):
            return f"“year:{match.group(1)}” is not a year or a range such as 2020..2024"
    return None


def _rewrite(text: str) -> str:
    """Our conveniences in Whoosh's own syntax: `-word`, `year:2020..2024`, `arxiv:…`,
    hyphenated words."""
    pieces = _QUOTED.split(text)
    quoted = _QUOTED.findall(text)
    return "".join(_rewrite_unquoted(p) + q for p, q in zip(pieces, [*quoted, ""], strict=True))


def _rewrite_unquoted(text: str) -> str:
    text = _HYPHENATED.sub(_hyphenated, text)
    text = re.sub(r"(?:(?<=^)|(?<=[\s(]))-(?=[^\s-])", "NOT ", text)
    text = re.sub(r"(?:(?<=^)|(?<=[\s(]))\+(?=\S)", "", text)
    text = re.sub(r"(?<![\w:])arxiv:", "id:arxiv:", text, flags=re.IGNORECASE)
    text = _NAMED_FIELD.sub(_lower_field, text)

    def year(match: re.Match[str]) -> str:
        for pattern, form in _YEAR_FORMS:
            found = pattern.match(match.group(1))
            if found and form:
                return form.format(*(value or "" for value in found.groups()))
        return match.group(0)

    return _YEAR_VALUE.sub(year, text)


def _hyphenated(match: re.Match[str]) -> str:
    """`end-to-end` as the phrase of its parts, as the index has them, or (for a bare word)
    the identifier it may be (`devlin-etal-2019-bert`, `2020.acl-main.1`)."""
    word = match.group(1)
    before = match.string[: match.start()]
    value = _VALUE_BEFORE.search(before)
    if value and value.group(1).lower() in _WHOLE_VALUE_FIELDS:
        return word
    field = _FIELD_BEFORE.search(before)
    phrase = '"' + " ".join(part for part in word.split("-") if part) + '"'
    if field:
        return phrase
    return f"({phrase} OR id:{word.lower()})"


def _lower_field(match: re.Match[str]) -> str:
    name = match.group(1).lower()
    return _FIELD_NAMES.get(name, name) + ":"


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


def bare_words(tree: object) -> list[str]:
    """The bare words (searched in every field) of a query tree, outside NOT, in order."""
    if isinstance(tree, query.Term) and tree.fieldname == ANY_FIELD:
        return [str(tree.text)]
    if isinstance(tree, (query.And, query.Or)):
        return [word for child in tree.subqueries for word in bare_words(child)]
    return []
