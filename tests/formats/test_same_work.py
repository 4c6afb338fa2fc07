"""Only records of one work merge: a workshop version, a proceedings volume sharing a DOI with a
paper in it, or a look-alike by title stay papers of their own, and every key a source gave a
paper finds it, merged or not."""

from __future__ import annotations

import gzip
import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import ACL_ANTHOLOGY, shared_corpus
from tests.formats.corpora import write
from tuireader.corpus.library import load_library
from tuireader.corpus.merge import merge_records
from tuireader.corpus.model import Author, Paper

TUIREADER = Path(sys.executable).parent / "tuireader"

# The two Lipstick entries of the ACL Anthology: the NAACL paper and its Widening NLP version.
_TITLE = "Lipstick on a Pig: {D}ebiasing Methods Cover up Systematic Gender Biases in Word Embeddings"
_NAACL = (
    "Proceedings of the 2019 Conference of the North {A}merican Chapter of the Association for "
    "Computational Linguistics: Human Language Technologies, Volume 1 (Long and Short Papers)"
)
LIPSTICK = f"""
@inproceedings{{gonen-goldberg-2019-lipstick-pig,
    title = "{_TITLE.replace("{D}", "D")} But do not Remove Them",
    author = "Gonen, Hila  and
      Goldberg, Yoav",
    booktitle = "Proceedings of the 2019 Workshop on Widening NLP",
    month = aug,
    year = "2019",
    pages = "60--63",
}}

@inproceedings{{gonen-goldberg-2019-lipstick,
    title = "{_TITLE} But do not Remove Them",
    author = "Gonen, Hila  and
      Goldberg, Yoav",
    booktitle = "{_NAACL}",
    month = jun,
    year = "2019",
    doi = "10.18653/v1/N19-1061",
    pages = "609--614",
}}
"""

# A proceedings volume and a paper in it, given the volume's DOI (as the Anthology does).
VOLUME_AND_PAPER = """
@proceedings{ws-2015-hybrid,
    title = "Proceedings of the Fourth Workshop on Hybrid Approaches to Translation",
    editor = "Costa-juss{\\`a}, Marta R.",
    year = "2015",
    doi = "10.18653/v1/W15-41",
}

@inproceedings{rikters-2015-multi,
    title = "Multi-system machine translation using online {API}s",
    author = "Rikters, Mat{\\=\\i}ss",
    booktitle = "Proceedings of the Fourth Workshop on Hybrid Approaches to Translation",
    year = "2015",
    doi = "10.18653/v1/W15-41",
    pages = "1--5",
}
"""


def _paper(title: str, **facts: object) -> Paper:
    return Paper(title=title, authors=(Author("Doe", "Jane"),), year=2020, **facts)  # type: ignore[arg-type]


def test_a_conference_paper_and_its_workshop_version_stay_two_papers_each_found_by_its_key(tmp_path):
    write(tmp_path, "acl.bib", LIPSTICK)
    library = load_library([tmp_path], cache=False)
    assert len(library.papers) == 2
    assert library.merges == ()
    naacl = library.get("gonen-goldberg-2019-lipstick")
    workshop = library.get("gonen-goldberg-2019-lipstick-pig")
    assert naacl is not None and workshop is not None and naacl is not workshop
    assert naacl.doi == "10.18653/v1/N19-1061"
    assert workshop.doi is None  # the sibling is not cited with the other paper's DOI
    assert workshop.pages == "60–63"


def test_a_volume_and_a_paper_sharing_its_doi_stay_apart(tmp_path):
    write(tmp_path, "acl.bib", VOLUME_AND_PAPER)
    library = load_library([tmp_path], cache=False)
    assert sorted(paper.id for paper in library.papers) == ["rikters-2015-multi", "ws-2015-hybrid"]
    paper = library.get("rikters-2015-multi")
    assert paper is not None and paper.entry_type == "inproceedings"


def test_shared_doi_with_different_types_venues_or_pages_is_not_enough():
    doi = "10.1/x"
    assert (
        len(
            merge_records(
                [
                    _paper("A", doi=doi, entry_type="article", journal="J"),
                    _paper("A", doi=doi, entry_type="inproceedings", booktitle="B"),
                ]
            )
        )
        == 2
    )
    assert (
        len(
            merge_records(
                [
                    _paper("A", doi=doi, journal="J1", entry_type="article"),
                    _paper("A", doi=doi, journal="J2", entry_type="article"),
                ]
            )
        )
        == 2
    )
    assert len(merge_records([_paper("A", doi=doi, pages="1--5"), _paper("A", doi=doi, pages="7--9")])) == 2


def test_same_title_authors_and_year_at_two_venues_stay_apart():
    records = [
        _paper("Deep Parsing", booktitle="Proc. of ACL"),
        _paper("Deep Parsing", booktitle="Workshop on X"),
    ]
    assert len(merge_records(records)) == 2


def test_true_duplicates_still_join():
    doi = "10.1/x"
    same_doi = [
        _paper("A", doi=doi, entry_type="inproceedings", booktitle="Proc. B", pages="1--5"),
        _paper(
            "A", doi=f"https://doi.org/{doi}", entry_type="inproceedings", booktitle="Proc.  B", pages="1-5"
        ),
    ]
    assert len(merge_records(same_doi)) == 1
    # The preprint and the published version carry one arXiv id: one work, whatever their types.
    same_arxiv = [
        _paper("A", arxiv_id="2101.00001", entry_type="misc"),
        _paper("A", arxiv_id="2101.00001", entry_type="inproceedings", booktitle="Proc. B"),
    ]
    assert len(merge_records(same_arxiv)) == 1
    # ... but no arXiv id names a whole volume.
    volume = [_paper("A", arxiv_id="2101.00001", entry_type="proceedings"), same_arxiv[1]]
    assert len(merge_records(volume)) == 2


def test_a_duplicate_across_files_and_formats_joins_and_keeps_both_keys(tmp_path):
    entry = (
        "@inproceedings{{{key}, title = {{Deep Parsing}}, author = {{Doe, Jane}},"
        " booktitle = {{Proc. B}}, year = 2020}}\n"
    )
    write(tmp_path, "a.bib", entry.format(key="doe2020deep"))
    write(tmp_path, "b.bib", entry.format(key="Doe:2020"))
    write(
        tmp_path,
        "c.ris",
        "TY  - CONF\nTI  - Deep parsing\nAU  - Doe, Jane\nT2  - Proc. B\nPY  - 2020\nER  -\n",
    )
    library = load_library([tmp_path], cache=False)
    [paper] = library.papers
    assert library.get("doe2020deep") is paper and library.get("Doe:2020") is paper
    assert library.get("doe:2020") is paper  # BibTeX matches keys in any case
    [merge] = library.merges
    assert merge.paper_id == paper.id
    assert [key for key, _ in merge.records] == ["doe2020deep", "Doe:2020", None]
    assert {source.path for _, source in merge.records if source} == {
        str(tmp_path / n) for n in ("a.bib", "b.bib", "c.ris")
    }


def test_merging_can_be_switched_off_and_the_snapshot_keeps_both_choices_apart(tmp_path):
    entry = (
        "@article{{{key}, title = {{Deep Parsing}}, author = {{Doe, Jane}}, journal = {{J}}, year = 2020}}\n"
    )
    write(tmp_path, "a.bib", entry.format(key="one"))
    write(tmp_path, "b.bib", entry.format(key="two"))
    for _ in range(2):  # the second time from the snapshot
        assert len(load_library([tmp_path]).papers) == 1
        separate = load_library([tmp_path], merge=False)
        assert [paper.id for paper in separate.papers] == ["one", "two"]
        assert separate.merges == ()
    kept = load_library([tmp_path])
    assert kept.get("two") is kept.get("one") is not None
    assert [key for key, _ in kept.merges[0].records] == ["one", "two"]


def test_check_lists_every_merge_with_both_sources(tmp_path):
    entry = (
        "@article{{{key}, title = {{Deep Parsing}}, author = {{Doe, Jane}}, journal = {{J}}, year = 2020}}\n"
    )
    write(tmp_path, "a.bib", entry.format(key="one"))
    write(tmp_path, "b.bib", entry.format(key="two"))
    done = subprocess.run(
        [str(TUIREADER), "check", "--corpus", str(tmp_path)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "1 paper merged from several entries" in done.stdout
    assert f"  one: one ({tmp_path / 'a.bib'}:1) + two ({tmp_path / 'b.bib'}:1)" in done.stdout.splitlines()


def test_show_and_cite_accept_every_original_key(tmp_path):
    write(tmp_path, "acl.bib", LIPSTICK)
    for key in ("gonen-goldberg-2019-lipstick", "gonen-goldberg-2019-lipstick-pig"):
        for command in ("show", "cite"):
            done = subprocess.run(
                [str(TUIREADER), command, "--corpus", str(tmp_path), key],
                capture_output=True,
                text=True,
                timeout=120,
            )
            assert done.returncode == 0, done.stderr
            assert "Lipstick" in done.stdout


def test_every_key_of_the_acl_anthology_finds_its_paper(tmp_path):
    source = shared_corpus(ACL_ANTHOLOGY)
    with gzip.open(source, "rt", encoding="utf-8") as stream:
        text = stream.read()
    keys = re.findall(r"^@\w+\{([^,\s]+),", text, re.MULTILINE)  # counted without any BibTeX parser
    assert len(keys) == 63_737
    bib = tmp_path / "anthology.bib"
    bib.write_text(text, encoding="utf-8")
    library = load_library([bib], cache=False)
    assert [key for key in keys if library.get(key) is None] == []
    assert library.records_read == len(keys)
    assert len(library.merges) < 60  # was 384 before venues, types and pages were compared
    assert library.get("gonen-goldberg-2019-lipstick") is not library.get("gonen-goldberg-2019-lipstick-pig")
