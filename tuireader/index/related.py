"""Papers most like a given one, from the index alone: its most telling words, and its authors.

A paper's own title and abstract terms are weighed by tf·idf (document frequencies of the
index's live documents); the strongest become an OR query over titles and abstracts, and papers
sharing an author get a bonus. No network, no stored term vectors: the terms come from the paper's text.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable

from tuireader.corpus.model import Paper
from tuireader.index.evaluate import Evaluator, Scores, add_scores
from tuireader.index.postings import idf

TERMS_USED = 15
# Shared authors break ties between papers about the same thing; they must not outweigh the
# topic (a large collaboration would otherwise make all its papers "related" to each other).
SHARED_AUTHOR_BONUS = 0.05  # of the best topical score, per shared author
SHARED_AUTHORS_COUNTED = 3
_TITLE_WEIGHT = 3


def telling_terms(evaluator: Evaluator, paper: Paper) -> list[str]:
    """The paper's stems that best tell it apart: frequent in it, rare in the library."""
    view = evaluator.view
    extractor = view.extractor
    counts: Counter[str] = Counter()
    for word in extractor.words(paper.title or ""):
        counts[extractor.stem(word)] += _TITLE_WEIGHT
    for word in extractor.words(paper.abstract.text):
        counts[extractor.stem(word)] += 1
    total = view.document_count
    weights = {}
    frequency = view.postings.document_frequency
    for term, count in counts.items():
        documents = frequency("abstract", term) + frequency("title", term)
        if documents > 1:  # a word only this paper has finds nothing else
            weights[term] = (1 + math.log(count)) * idf(total, min(documents, total))
    return sorted(weights, key=lambda term: -weights[term])[:TERMS_USED]


def related_scores(
    evaluator: Evaluator, terms: list[str], shared_author_docs: Iterable[Iterable[int]]
) -> Scores:
    found = [
        evaluator.scored(field_name, term, False, weight)
        for term in terms
        for field_name, weight in (("title", float(_TITLE_WEIGHT)), ("abstract", 1.0))
    ]
    scores = add_scores([s for s in found if s]) or {}
    bonus = SHARED_AUTHOR_BONUS * max(scores.values(), default=1.0)
    shared: Counter[int] = Counter()
    for docnums in shared_author_docs:
        shared.update(set(docnums))
    for docnum, count in shared.items():
        scores[docnum] = scores.get(docnum, 0.0) + bonus * min(count, SHARED_AUTHORS_COUNTED)
    return scores
