"""CSL-JSON as Zotero exports it, and a damaged item among good ones."""

from __future__ import annotations

import datetime as dt
import json

from tests.formats.corpora import write
from tuireader.corpus.library import load_library
from tuireader.corpus.model import Author

ITEMS = [
    {
        "id": "http://zotero.org/users/1/items/ABCD",
        "citation-key": "vaswani2017attention",
        "type": "paper-conference",
        "title": "Attention is All you Need",
        "container-title": "Advances in Neural Information Processing Systems",
        "author": [{"family": "Vaswani", "given": "Ashish"}, {"literal": "Google Brain"}],
        "issued": {"date-parts": [[2017, 12, 4]]},
        "page": "5998-6008",
        "volume": "30",
        "publisher": "Curran Associates",
        "URL": "https://arxiv.org/abs/1706.03762",
        "DOI": "10.48550/arXiv.1706.03762",
        "abstract": "The dominant sequence transduction models ...",
        "keyword": "transformers, attention",
    },
    {
        "id": "knuth1984",
        "type": "article-journal",
        "title": "Literate Programming",
        "container-title": "The Computer Journal",
        "author": [{"family": "Knuth", "given": "Donald E."}],
        "issued": {"date-parts": [["1984"]]},
        "DOI": "10.1093/comjnl/27.2.97",
        "issue": "2",
    },
]


def test_items_become_papers(tmp_path):
    text = json.dumps(ITEMS, indent=2)
    path = write(tmp_path, "zotero.json", text)
    library = load_library([path])
    assert library.problems == ()
    attention, knuth = library.papers
    assert attention.id == attention.arxiv_id == "1706.03762"
    assert attention.citation_key == "vaswani2017attention"
    assert attention.authors == (Author("Vaswani", "Ashish"), Author("", literal="Google Brain"))
    assert (attention.year, attention.date) == (2017, dt.date(2017, 12, 4))
    assert attention.entry_type == "inproceedings"
    assert attention.booktitle == attention.venue == "Advances in Neural Information Processing Systems"
    assert attention.keywords == ("transformers", "attention")
    assert (knuth.entry_type, knuth.journal, knuth.year, knuth.number) == (
        "article",
        "The Computer Journal",
        1984,
        "2",
    )
    opening_line = text.splitlines().index('    "id": "knuth1984",')  # the `{` above it, 1-based
    assert [str(s) for s in knuth.sources] == [f"{path}:{opening_line}"]


def test_a_damaged_item_is_skipped_and_the_next_one_reads(tmp_path):
    text = json.dumps(ITEMS, indent=2).replace(
        '"title": "Attention is All you Need",', '"title": "Attention,,'
    )
    path = write(tmp_path, "damaged.json", text)
    library = load_library([path])
    assert [p.title for p in library.papers] == ["Literate Programming"]
    [problem] = library.problems
    assert (problem.path, problem.line) == (str(path), 2)
