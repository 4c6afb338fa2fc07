"""RIS records: fields, records missing their start or end, and the real JabRef test files."""

from __future__ import annotations

import datetime as dt

from tests.formats.corpora import corpus, write
from tuireader.corpus.library import load_library
from tuireader.corpus.model import Author

RECORD = """TY  - JOUR
TI  - A transversely isotropic composite
T2  - Journal of the Mechanics and Physics of Solids
VL  - 52
IS  - 10
SP  - 2309
EP  - 2327
PY  - 2004/03/05/
DO  - 10.1016/j.jmps.2004.03.010
AU  - Federico, S.
AU  - Grillo, A.
KW  - Composite
KW  - Inclusions
AB  - An abstract that goes on
  over a second line.
ER  -
"""


def test_a_record_becomes_a_paper(tmp_path):
    path = write(tmp_path, "export.ris", RECORD)
    [paper] = load_library([path]).papers
    assert paper.title == "A transversely isotropic composite"
    assert paper.authors == (Author("Federico", "S."), Author("Grillo", "A."))
    assert paper.journal == paper.venue == "Journal of the Mechanics and Physics of Solids"
    assert (paper.volume, paper.number, paper.pages) == ("52", "10", "2309–2327")
    assert (paper.year, paper.date) == (2004, dt.date(2004, 3, 5))
    assert paper.doi == "10.1016/j.jmps.2004.03.010"
    assert paper.keywords == ("Composite", "Inclusions")
    assert paper.abstract.text == "An abstract that goes on over a second line."
    assert paper.entry_type == "article"


def test_records_missing_their_start_or_end_are_skipped_with_their_line(tmp_path):
    orphan = "T1  - No type line\nAU  - Someone\nER  -\n"
    truncated = "TY  - JOUR\nTI  - Cut off\n"
    path = write(tmp_path, "bad.ris", RECORD + "\n" + orphan + "\n" + RECORD + truncated)
    library = load_library([path])
    assert len(library.papers) == 1  # the two good copies are one paper
    assert len(library.papers[0].sources) == 2
    assert sorted((p.line, p.message.split(";")[0]) for p in library.problems) == [
        (18, "record has no TY line"),
        (38, "record is not closed by an ER line (truncated?)"),
    ]


def test_jabref_ris_files_with_a_doi_and_a_title():
    folder = corpus("jabref")
    path = next(folder.rglob("RisImporterTestScopus.ris"))
    [paper] = load_library([path]).papers
    assert paper.doi == "10.1016/j.jmps.2004.03.010"
    assert paper.title.startswith("A transversely isotropic composite with a statistical distribution")
    assert [a.family for a in paper.authors] == ["Federico", "Grillo", "Herzog"]
