"""One name per venue, for the venue facet: "Proceedings of the 58th Annual Meeting of the
Association for Computational Linguistics" and its 57th and 48th editions are all "Annual Meeting
of the Association for Computational Linguistics".

Only the facet (and `venue:`) sees these names; a paper is always shown with its venue as written.
What goes is what changes from one edition to the next: "Proceedings of the", ordinals (58th,
Third, 18e), years (2020, ACL-04, LREC'02), dates, volume and issue numbers, the paper kind of
the main track ("Volume 1: Long Papers") and parenthesised acronyms, which carry edition numbers
as often as not ("(EMNLP 2002)", "(TAG+6)"). A journal keeps its name as written.
"""

from __future__ import annotations

import re
from functools import lru_cache

from tuireader.corpus.model import Paper

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:tember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_UNITS = "First|Second|Third|Fourth|Fifth|Sixth|Seventh|Eighth|Ninth"
_SPELLED_ORDINAL = (
    rf"(?:(?:Twenty|Thirty|Forty|Fifty)[- ]?(?:{_UNITS})|{_UNITS}|Tenth|Eleventh|Twelfth"
    r"|(?:Thir|Four|Fif|Six|Seven|Eigh|Nine)teenth|Twentieth|Thirtieth|Fortieth|Fiftieth)"
)
_YEAR = r"(?:1[89]|20)\d\d"
_DAYS = r"(?:\s+\d{1,2}(?:\s*[-–]\s*\d{1,2})?)?"

# Applied in order; each removes one kind of edition detail.
_REMOVALS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), replacement)
    for pattern, replacement in (
        # "Proceedings of the", "The Companion Volume to the Proceedings of", "Actes de la"
        (
            r"^(?:the\s+)?"
            r"(?:companion\s+volume\s+to\s+(?:the\s+)?)?proceedings\s+(?:of|from)\s+(?:the\s+)?",
            "",
        ),
        (r"^actes\s+d[eu]\s+(?:la\s+|l['’])?", ""),
        # …a second one inside: "51st Annual Meeting of the ACL Proceedings of the Student Research Workshop"
        (r"\s*[,:]?\s+(?:companion\s+volume\s+)?proceedings\s+of\s+(?:the\s+)?", ": "),
        (r"\(.*?\)", " "),
        (r"[\s:,.–-]*\bspecial\s+issue\b.*$", ""),
        (rf"\b{_MONTH}(?:\s*/\s*{_MONTH})?{_DAYS}\s*,?\s*(?={_YEAR}\b)", ""),  # "May 21-23, 1991"
        (r"[,:.]?\s*\bcompanion\s+volume\b", ""),
        (r"[,:.]?\s*\bvol(?:ume|\.)?\s*(?:\d+|[IVXLC]+\b)", ""),
        (r"[,:.]?\s*\b(?:preprint\s+)?(?:number|no\.)\s*\d+(?:\s*[-–]\s*\d+)?", ""),
        (r"[,:.]?\s*\b(?:long|short|full|regular|technical)\s+papers\b", ""),
        (r"(?<=[A-Za-z])(?<!covid)\s*[-‐]?['’]?\d\d(?:\d\d)?\b", ""),  # ACL-04, LREC'02, CoNLL-2009
        (rf"\b{_YEAR}\b", ""),
        (r"\b\d+\s?(?:st|nd|rd|th|e|er|ère|ème|eme)\b", ""),
        (rf"(^|\b(?:the|and|and\s+the|of)\s+){_SPELLED_ORDINAL}\b", r"\1"),
        (r"\b(conference|workshop|symposium|meeting|congress|rocling)\s+[IVXLC]+\b", r"\1"),
    )
)
_CLEANUPS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\s+"), " "),
    (re.compile(r"\s+([,:;.])"), r"\1"),
    (re.compile(r"([,:;.])(?:\s*[,:;.])+"), r"\1"),
    (re.compile(r"^[\s,:;.–-]+|[\s,:;.–-]+$"), ""),
    (re.compile(r"^(?:the|and)\s+", re.IGNORECASE), ""),
)


# A library names a few thousand venues over and over (63k ACL papers, ~2k venues): each name is
# worked out once, which took seconds of a large library's first open per pass over it.
@lru_cache(maxsize=65_536)
def normalise_venue(name: str) -> str:
    """The venue's name without what changes between editions (see the module's comment);
    blank when nothing is left (or nothing was given)."""
    text = " ".join(name.split())
    for pattern, replacement in _REMOVALS:
        text = pattern.sub(replacement, text)
    previous = None
    while previous != text:  # "Proceedings of the The Fourth…" leaves a leading "The"
        previous = text
        for pattern, replacement in _CLEANUPS:
            text = pattern.sub(replacement, text)
    return text[:1].upper() + text[1:]


def venue_facet(paper: Paper) -> str:
    """The name the venue facet counts this paper under: its journal as written, else its
    normalised venue (or the venue as written, when normalising leaves nothing)."""
    venue = " ".join((paper.venue or "").split())
    if not venue:
        return ""
    if paper.journal and " ".join(paper.journal.split()) == venue:
        return venue
    return normalise_venue(venue) or venue
