"""An `id:` value is taken whole, hyphens after a slash included (ACL's DOIs end `/N19-1423`)."""

from __future__ import annotations

import pytest
from whoosh import query

from tuireader.index.querying import QueryReader


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("id:10.18653/v1/N19-1423", "10.18653/v1/n19-1423"),
        ("id:devlin-etal-2019-bert", "devlin-etal-2019-bert"),
        ("id:2020.acl-main.1", "2020.acl-main.1"),
    ],
)
def test_an_id_value_is_one_term(text: str, value: str) -> None:
    assert QueryReader().read(text).tree == query.Term("id", value)


def test_a_hyphenated_word_after_a_slash_is_still_a_phrase() -> None:
    tree = QueryReader().read("input/output-based")
    assert isinstance(tree.tree, query.And)
    assert query.Phrase("any", ["output", "based"], slop=1) in tree.tree.subqueries[1].subqueries
