"""Sentence case (APA, IEEE) and headline case (MLA, Chicago), by the rules each style states."""

from __future__ import annotations

import pytest

from tuireader.cite.titlecase import Headline, headline_case, looks_headline_cased, sentence_case


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        # Capitals after the first letter (acronyms, names) are never lowered.
        (
            "Sleeper Agents: Training Deceptive LLMs that Persist Through Safety Training",
            "Sleeper agents: Training deceptive LLMs that persist through safety training",
        ),
        # The first word after a colon is capitalised; hyphenated compounds are lowered part by part.
        (
            "Jailbreak Defense in a Narrow Domain: Limitations of Existing Methods and a New "
            "Transcript-Classifier Approach",
            "Jailbreak defense in a narrow domain: Limitations of existing methods and a new "
            "transcript-classifier approach",
        ),
        # A title already in sentence case keeps every capital: they may be proper nouns.
        (
            "Calibrate your listeners! Robust communication-based training for pragmatic speakers",
            "Calibrate your listeners! Robust communication-based training for pragmatic speakers",
        ),
        (
            "Learning Bayesian networks: the combination of knowledge",
            "Learning Bayesian networks: The combination of knowledge",
        ),
        ("U-SOPHISTRY in GPT-4 Models", "U-SOPHISTRY in GPT-4 models"),
        ("What Is the Point?", "What is the point?"),
    ],
)
def test_sentence_case(title: str, expected: str) -> None:
    assert sentence_case(title) == expected


def test_headline_detection() -> None:
    assert looks_headline_cased("Learning to Compress Prompts with Gist Tokens")
    assert not looks_headline_cased("Characterizing tradeoffs between teaching via language")
    assert not looks_headline_cased("LLMs and GPT")  # nothing ordinary to judge by


@pytest.mark.parametrize(
    ("title", "mla", "chicago"),
    [
        # Prepositions are lowercased whatever their length; a relative pronoun is capitalised.
        (
            "Sleeper Agents: Training Deceptive LLMs that Persist Through Safety Training",
            "Sleeper Agents: Training Deceptive LLMs That Persist through Safety Training",
            "Sleeper Agents: Training Deceptive LLMs That Persist through Safety Training",
        ),
        # MLA capitalises every part of a compound; Chicago leaves the word after a bound prefix low.
        (
            "Teaching via language and demonstrations in multi-agent systems",
            "Teaching via Language and Demonstrations in Multi-Agent Systems",
            "Teaching via Language and Demonstrations in Multi-agent Systems",
        ),
        # The first word of a subtitle and the last word are capitalised even when minor.
        (
            "Calibrate your listeners! Robust communication-based training for pragmatic speakers",
            "Calibrate Your Listeners! Robust Communication-Based Training for Pragmatic Speakers",
            "Calibrate Your Listeners! Robust Communication-Based Training for Pragmatic Speakers",
        ),
        ("a theory of what we are up to", "A Theory of What We Are Up To", "A Theory of What We Are Up To"),
        # `so` and `yet` are lowercased by MLA, capitalised by Chicago.
        ("fast yet accurate parsing", "Fast yet Accurate Parsing", "Fast Yet Accurate Parsing"),
        (
            "the state-of-the-art in iPhone apps",
            "The State-of-the-Art in iPhone Apps",
            "The State-of-the-Art in iPhone Apps",
        ),
    ],
)
def test_headline_case(title: str, mla: str, chicago: str) -> None:
    assert headline_case(title, Headline.MLA) == mla
    assert headline_case(title, Headline.CHICAGO) == chicago
