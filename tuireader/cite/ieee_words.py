"""The words the IEEE Reference Guide abbreviates in the names of journals and conferences.

From the guide's "Common Abbreviations of Words in References" (section IV): `Proceedings of the
16th International Conference on …` is cited as `Proc. 16th Int. Conf. …`, `IEEE Transactions on
…` as `IEEE Trans. …`. The guide also drops the article or preposition that follows such a word
(`of the`, `on`), which is done here; what it asks beyond that (a conference's acronym for its
name, `Fifth` as `5th`) needs knowledge a name alone does not give, so the rest is left as written.
"""

from __future__ import annotations

import re

# Lower-case word -> the guide's abbreviation. Plurals the guide abbreviates the same way are
# listed too; a word not here is written in full.
ABBREVIATIONS = {
    "acoustics": "Acoust.",
    "academy": "Acad.",
    "administration": "Admin.",
    "advances": "Adv.",
    "aeronautics": "Aeronaut.",
    "american": "Amer.",
    "analysis": "Anal.",
    "annals": "Ann.",
    "annual": "Annu.",
    "applications": "Appl.",
    "applied": "Appl.",
    "association": "Assoc.",
    "australasian": "Australas.",
    "automatic": "Automat.",
    "automation": "Automat.",
    "biomedical": "Biomed.",
    "bulletin": "Bull.",
    "bureau": "Bur.",
    "chemistry": "Chem.",
    "communications": "Commun.",
    "computational": "Comput.",
    "computer": "Comput.",
    "computers": "Comput.",
    "computing": "Comput.",
    "conference": "Conf.",
    "congress": "Congr.",
    "conversion": "Convers.",
    "cybernetics": "Cybern.",
    "department": "Dept.",
    "development": "Develop.",
    "digest": "Dig.",
    "distributed": "Distrib.",
    "dynamics": "Dyn.",
    "electrical": "Elect.",
    "electronic": "Electron.",
    "electronics": "Electron.",
    "engineering": "Eng.",
    "experimental": "Exp.",
    "faculty": "Fac.",
    "foundation": "Found.",
    "geoscience": "Geosci.",
    "graphics": "Graph.",
    "hydraulics": "Hydraul.",
    "imaging": "Imag.",
    "industrial": "Ind.",
    "industry": "Ind.",
    "information": "Inf.",
    "innovation": "Innov.",
    "institute": "Inst.",
    "integrated": "Integr.",
    "intelligence": "Intell.",
    "intelligent": "Intell.",
    "international": "Int.",
    "journal": "J.",
    "language": "Lang.",
    "learning": "Learn.",
    "letters": "Lett.",
    "machine": "Mach.",
    "magazine": "Mag.",
    "management": "Manage.",
    "manufacturing": "Manuf.",
    "mathematical": "Math.",
    "mathematics": "Math.",
    "medical": "Med.",
    "military": "Mil.",
    "national": "Nat.",
    "networks": "Netw.",
    "particle": "Part.",
    "patent": "Pat.",
    "physics": "Phys.",
    "proceedings": "Proc.",
    "processing": "Process.",
    "quarterly": "Quart.",
    "record": "Rec.",
    "research": "Res.",
    "review": "Rev.",
    "robotics": "Robot.",
    "science": "Sci.",
    "sciences": "Sci.",
    "security": "Secur.",
    "sensing": "Sens.",
    "society": "Soc.",
    "software": "Softw.",
    "statistics": "Statist.",
    "symposium": "Symp.",
    "systems": "Syst.",
    "technical": "Tech.",
    "technology": "Technol.",
    "transactions": "Trans.",
    "vehicular": "Veh.",
}
# What the guide leaves out after an abbreviated word: `Proc. of the` is `Proc.`.
_DROPPED_AFTER = frozenset({"of", "the", "on", "in", "for"})
_WORD = re.compile(r"[A-Za-z]+|[^A-Za-z]+")


def ieee_container(name: str) -> str:
    """A journal's or conference's name with the guide's abbreviations (`Proc. Int. Conf. X`)."""
    out: list[str] = []
    after_abbreviation = False
    for token in _WORD.findall(name):
        if not token[0].isalpha():
            if after_abbreviation and token == " ":
                continue  # the space comes back with the next word kept
            out.append(token)
            after_abbreviation = after_abbreviation and token.isspace()
            continue
        lowered = token.lower()
        if after_abbreviation and lowered in _DROPPED_AFTER:
            continue
        short = ABBREVIATIONS.get(lowered) if token[0].isupper() else None
        if out and after_abbreviation:
            out.append(" ")
        out.append(short or token)
        after_abbreviation = short is not None
    return "".join(out).rstrip()
