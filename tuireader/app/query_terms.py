"""Facets that filter through the query: a collection or keyword picked in a list becomes a term
of the search bar (`collection:thesis/chapter_2`, `keyword:"machine translation"`).

Kept in the query, such a filter is saved, restored and gone back to with it, and the user sees
and edits it like any other term.
"""

from __future__ import annotations

import re

from tuireader.index.documents import collection_term

_TERM = re.compile(r'(?<![\w:])(collection|keyword)s?:("[^"]*"|[^\s()]+)', re.IGNORECASE)


def facet_term(field: str, value: str) -> str:
    """The query term for one value of the `collection` or `keyword` facet."""
    if field == "collection":
        return f"collection:{collection_term(value)}"
    words = " ".join(value.replace('"', " ").split())
    return f"keyword:{words}" if re.fullmatch(r"\w+", words) else f'keyword:"{words}"'


def _normal(field: str, value: str) -> str:
    return f"{field.lower()}:{value.strip(chr(34)).casefold()}"


def facet_terms_in(query: str) -> set[str]:
    """The collection and keyword terms of `query`, folded so that `facet_term`'s can be looked up."""
    return {_normal(field, value) for field, value in _TERM.findall(query)}


def is_in(term: str, query: str) -> bool:
    field, _, value = term.partition(":")
    return _normal(field, value) in facet_terms_in(query)


def toggled(query: str, term: str) -> str:
    """`query` without `term` if it has it, else with it added at the end."""
    field, _, value = term.partition(":")
    wanted = _normal(field, value)
    kept = _TERM.sub(lambda match: "" if _normal(*match.groups()) == wanted else match.group(0), query)
    if kept != query:
        return " ".join(kept.split())
    return f"{query.rstrip()} {term}".lstrip()
