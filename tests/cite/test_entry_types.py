"""Every entry type in APA 7, MLA 9, Chicago author-date (18th ed.) and IEEE, read from BibTeX.

The entries go through the real BibTeX reader, so that what the styles see is what a user's .bib
gives them: `month = jan`, `{Smith, Jr., John}`, `{S}wedish`. Each expected string follows the
rule named beside it, written from the manuals' own patterns and examples.
"""

from __future__ import annotations

import pytest

from tuireader.cite import format_citation, format_many
from tuireader.cite.facts import chicago_second_number, mla_second_number
from tuireader.corpus.model import Paper
from tuireader.corpus.readers.bibtex import read

BIB = r"""
@article{smith2019swedish,
  title = {Learning {S}wedish Morphology},
  author = {Smith, Jr., John and Doe, Jane},
  journal = {Proceedings of the National Academy of Sciences},
  year = {2019}, month = mar, volume = {116}, number = {12}, pages = {1496--1504},
  publisher = {National Academy of Sciences}, doi = {10.1073/pnas.1}
}
@inproceedings{biagetti2021toward,
  title = "Toward the Creation of {W}ord{N}ets for Ancient {I}ndo-{E}uropean Languages",
  author = "Biagetti, Erica and Zanchi, Chiara and Short, William Michael",
  editor = "Vossen, Piek and Fellbaum, Christiane",
  booktitle = "Proceedings of the 11th Global Wordnet Conference",
  month = jan, year = "2021", address = "University of South Africa (UNISA)",
  publisher = "Global Wordnet Association", pages = "258--266",
  url = "https://aclanthology.org/2021.gwc-1.30"
}
@proceedings{wosp2020,
  title = "Proceedings of the 8th International Workshop on Mining Scientific Publications",
  editor = "Knoth, Petr and Stahl, Christopher and Gyawali, Bikash",
  month = "05 " # aug, year = "2020", address = "Wuhan, China",
  publisher = "Association for Computational Linguistics",
  url = "https://aclanthology.org/2020.wosp-1.0"
}
@book{jurafsky2009speech,
  title = {Speech and Language Processing}, subtitle = {An Introduction to Natural Language Processing},
  author = {Jurafsky, Daniel and Martin, James H.}, edition = {2}, year = {2009},
  publisher = {Prentice Hall}, address = {Upper Saddle River, NJ}
}
@book{rustin1973nlp,
  title = {Natural Language Processing}, editor = {Rustin, Randall}, year = {1973},
  publisher = {Algorithmics Press}, address = {New York}
}
@incollection{kay1973structure,
  title = {The Structure of Language}, author = {Kay, Martin}, editor = {Rustin, Randall},
  booktitle = {Natural Language Processing}, year = {1973}, pages = {155--188},
  publisher = {Algorithmics Press}, address = {New York}
}
@phdthesis{ruder2019neural,
  title = {Neural Transfer Learning for Natural Language Processing}, author = {Ruder, Sebastian},
  year = {2019}, school = {National University of Ireland, Galway}
}
@mastersthesis{lee2015parsing,
  title = {Parsing Noisy Text}, author = {Lee, Ann}, year = {2015}, school = {University of Edinburgh}
}
@techreport{nivre2003dependency,
  title = {A Dependency Parser for {E}nglish}, author = {Nivre, Joakim}, year = {2003},
  number = {TR-05}, institution = {V{\"a}xj{\"o} University}, type = {Technical Report}
}
@manual{unicode2022,
  title = {The {U}nicode Standard}, edition = {15.0}, organization = {Unicode Consortium},
  year = {2022}, address = {Mountain View, CA}
}
@unpublished{knuth1990notes,
  title = {Notes on Parsing}, author = {Knuth, Donald E.}, year = {1990}, note = {Unpublished manuscript}
}
@misc{alammar2018illustrated,
  title = {The Illustrated Transformer}, author = {Alammar, Jay}, year = {2018}, month = jun,
  howpublished = {Jay Alammar's Blog}, url = {https://jalammar.github.io/illustrated-transformer/}
}
@article{devlin2018bert,
  title = {{BERT}: Pre-training of Deep Bidirectional Transformers for Language Understanding},
  author = {Devlin, Jacob and Chang, Ming-Wei}, journal = {arXiv preprint arXiv:1810.04805}, year = {2018}
}
@article{brown2020language,
  title = {Language Models are Few-Shot Learners}, author = {Brown, Tom B.},
  journal = {Advances in Neural Information Processing Systems}, volume = {33}, pages = {1877--1901},
  year = {2020}, eprint = {2005.14165}, archivePrefix = {arXiv}
}
"""


@pytest.fixture(scope="module")
def entries() -> dict[str, Paper]:
    papers = read(BIB, "types.bib").records
    return {paper.citation_key or "": paper for paper in papers}


EXPECTED: dict[tuple[str, str], str] = {
    # ---- Journal article in a journal called "Proceedings …": a periodical, volume and issue, no
    # publisher (APA 10.1, MLA 5.x container, CMOS 14.70). Jr. after the given name (APA 9.8, MLA
    # 5.x, CMOS 13.x); {S}wedish protected in sentence case; page ranges shortened (MLA 2.139:
    # 1496–504; CMOS 9.63: 1496–504); month (MLA date, IEEE abbreviations).
    ("smith2019swedish", "apa"): (
        "Smith, J., Jr., & Doe, J. (2019). Learning Swedish morphology. Proceedings of the National "
        "Academy of Sciences, 116(12), 1496–1504. https://doi.org/10.1073/pnas.1"
    ),
    ("smith2019swedish", "mla"): (
        "Smith, John, Jr., and Jane Doe. “Learning Swedish Morphology.” Proceedings of the National "
        "Academy of Sciences, vol. 116, no. 12, Mar. 2019, pp. 1496–504, https://doi.org/10.1073/pnas.1."
    ),
    ("smith2019swedish", "chicago"): (
        "Smith, John, Jr., and Jane Doe. 2019. “Learning Swedish Morphology.” Proceedings of the "
        "National Academy of Sciences 116 (12): 1496–504. https://doi.org/10.1073/pnas.1."
    ),
    ("smith2019swedish", "ieee"): (
        # The IEEE Reference Guide's word abbreviations: "Proc. Nat. Acad. Sci."
        "J. Smith, Jr. and J. Doe, “Learning Swedish morphology,” Proc. Nat. Acad. Sci., "
        "vol. 116, no. 12, pp. 1496–1504, Mar. 2019, doi: 10.1073/pnas.1."
    ),
    # ---- Conference paper with editors: APA 10.5 as a chapter ("In P. Vossen & C. Fellbaum
    # (Eds.),"); MLA "edited by"; CMOS "In …, edited by …, 258–66."; IEEE "in Proc., place, date, pp."
    ("biagetti2021toward", "apa"): (
        "Biagetti, E., Zanchi, C., & Short, W. M. (2021). Toward the creation of WordNets for ancient "
        "Indo-European languages. In P. Vossen & C. Fellbaum (Eds.), Proceedings of the 11th Global "
        "Wordnet Conference (pp. 258–266). Global Wordnet Association. https://aclanthology.org/2021.gwc-1.30"
    ),
    ("biagetti2021toward", "mla"): (
        "Biagetti, Erica, et al. “Toward the Creation of WordNets for Ancient Indo-European Languages.” "
        "Proceedings of the 11th Global Wordnet Conference, edited by Piek Vossen and Christiane "
        "Fellbaum, Global Wordnet Association, Jan. 2021, pp. 258–66, aclanthology.org/2021.gwc-1.30."
    ),
    ("biagetti2021toward", "chicago"): (
        "Biagetti, Erica, Chiara Zanchi, and William Michael Short. 2021. “Toward the Creation of "
        "WordNets for Ancient Indo-European Languages.” In Proceedings of the 11th Global Wordnet "
        "Conference, edited by Piek Vossen and Christiane Fellbaum, 258–66. Global Wordnet "
        "Association. https://aclanthology.org/2021.gwc-1.30."
    ),
    ("biagetti2021toward", "ieee"): (
        "E. Biagetti, C. Zanchi, and W. M. Short, “Toward the creation of WordNets for ancient "
        "Indo-European languages,” in Proc. 11th Global Wordnet Conf., University "
        "of South Africa (UNISA), Jan. 2021, pp. 258–266. [Online]. Available: "
        "https://aclanthology.org/2021.gwc-1.30"
    ),
    # ---- Whole proceedings: credited to the editors (APA 10.2 "(Eds.)."; MLA 5.x "editors";
    # CMOS "eds."; IEEE "Eds.,"), never "Authors unknown".
    ("wosp2020", "apa"): (
        "Knoth, P., Stahl, C., & Gyawali, B. (Eds.). (2020). Proceedings of the 8th international "
        "workshop on mining scientific publications. Association for Computational Linguistics. "
        "https://aclanthology.org/2020.wosp-1.0"
    ),
    ("wosp2020", "mla"): (
        "Knoth, Petr, et al., editors. Proceedings of the 8th International Workshop on Mining "
        "Scientific Publications. Association for Computational Linguistics, Aug. 2020, "
        "aclanthology.org/2020.wosp-1.0."
    ),
    ("wosp2020", "chicago"): (
        "Knoth, Petr, Christopher Stahl, and Bikash Gyawali, eds. 2020. Proceedings of the 8th "
        "International Workshop on Mining Scientific Publications. Association for Computational "
        "Linguistics. https://aclanthology.org/2020.wosp-1.0."
    ),
    ("wosp2020", "ieee"): (
        "P. Knoth, C. Stahl, and B. Gyawali, Eds., Proceedings of the 8th International Workshop on "
        "Mining Scientific Publications. Wuhan, China: Association for Computational Linguistics, "
        "Aug. 2020. [Online]. Available: https://aclanthology.org/2020.wosp-1.0"
    ),
    # ---- Book with subtitle and edition: APA "(2nd ed.)."; MLA "2nd ed.," before the publisher;
    # CMOS "2nd ed." after the title; IEEE "Title, 2nd ed. City: Publisher, year."
    ("jurafsky2009speech", "apa"): (
        "Jurafsky, D., & Martin, J. H. (2009). Speech and language processing: An introduction to "
        "natural language processing (2nd ed.). Prentice Hall."
    ),
    ("jurafsky2009speech", "mla"): (
        "Jurafsky, Daniel, and James H. Martin. Speech and Language Processing: An Introduction to "
        "Natural Language Processing. 2nd ed., Prentice Hall, 2009."
    ),
    ("jurafsky2009speech", "chicago"): (
        "Jurafsky, Daniel, and James H. Martin. 2009. Speech and Language Processing: An Introduction "
        "to Natural Language Processing. 2nd ed. Prentice Hall."
    ),
    ("jurafsky2009speech", "ieee"): (
        "D. Jurafsky and J. H. Martin, Speech and Language Processing: An Introduction to Natural "
        "Language Processing, 2nd ed. Upper Saddle River, NJ: Prentice Hall, 2009."
    ),
    # ---- Edited book (APA 10.2; MLA "editor"; CMOS "ed."; IEEE "Ed.,"); MLA abbreviates Press as P.
    ("rustin1973nlp", "apa"): "Rustin, R. (Ed.). (1973). Natural language processing. Algorithmics Press.",
    ("rustin1973nlp", "mla"): "Rustin, Randall, editor. Natural Language Processing. Algorithmics P, 1973.",
    (
        "rustin1973nlp",
        "chicago",
    ): "Rustin, Randall, ed. 1973. Natural Language Processing. Algorithmics Press.",
    ("rustin1973nlp", "ieee"): (
        "R. Rustin, Ed., Natural Language Processing. New York: Algorithmics Press, 1973."
    ),
    # ---- Chapter in an edited book: APA 10.3 "In R. Rustin (Ed.), Book (pp. 155–188)."
    ("kay1973structure", "apa"): (
        "Kay, M. (1973). The structure of language. In R. Rustin (Ed.), Natural language processing "
        "(pp. 155–188). Algorithmics Press."
    ),
    ("kay1973structure", "mla"): (
        "Kay, Martin. “The Structure of Language.” Natural Language Processing, edited by Randall "
        "Rustin, Algorithmics P, 1973, pp. 155–88."
    ),
    ("kay1973structure", "chicago"): (
        "Kay, Martin. 1973. “The Structure of Language.” In Natural Language Processing, edited by "
        "Randall Rustin, 155–88. Algorithmics Press."
    ),
    ("kay1973structure", "ieee"): (
        "M. Kay, “The structure of language,” in Natural Language Processing, R. Rustin, Ed. New "
        "York: Algorithmics Press, 1973, pp. 155–188."
    ),
    # ---- Theses: APA 10.6 "[Doctoral dissertation, School]"; MLA "School, PhD dissertation.";
    # CMOS "PhD diss., School."; IEEE "Ph.D. dissertation" / "M.S. thesis".
    ("ruder2019neural", "apa"): (
        "Ruder, S. (2019). Neural transfer learning for natural language processing [Doctoral "
        "dissertation, National University of Ireland, Galway]."
    ),
    ("ruder2019neural", "mla"): (
        "Ruder, Sebastian. Neural Transfer Learning for Natural Language Processing. 2019. National U "
        "of Ireland, Galway, PhD dissertation."
    ),
    ("ruder2019neural", "chicago"): (
        "Ruder, Sebastian. 2019. “Neural Transfer Learning for Natural Language Processing.” PhD "
        "diss., National University of Ireland, Galway."
    ),
    ("ruder2019neural", "ieee"): (
        "S. Ruder, “Neural transfer learning for natural language processing,” Ph.D. dissertation, "
        "National University of Ireland, Galway, 2019."
    ),
    (
        "lee2015parsing",
        "apa",
    ): "Lee, A. (2015). Parsing noisy text [Master’s thesis, University of Edinburgh].",
    ("lee2015parsing", "mla"): "Lee, Ann. Parsing Noisy Text. 2015. U of Edinburgh, MA thesis.",
    (
        "lee2015parsing",
        "chicago",
    ): "Lee, Ann. 2015. “Parsing Noisy Text.” Master’s thesis, University of Edinburgh.",
    ("lee2015parsing", "ieee"): "A. Lee, “Parsing noisy text,” M.S. thesis, University of Edinburgh, 2015.",
    # ---- Report: APA 10.4 "(Technical Report No. TR-05)"; IEEE "Institution, Tech. Rep. TR-05, year".
    ("nivre2003dependency", "apa"): (
        "Nivre, J. (2003). A dependency parser for English (Technical Report No. TR-05). Växjö University."
    ),
    ("nivre2003dependency", "mla"): (
        "Nivre, Joakim. A Dependency Parser for English. Växjö U, 2003. Technical Report TR-05."
    ),
    ("nivre2003dependency", "chicago"): (
        "Nivre, Joakim. 2003. A Dependency Parser for English. Technical Report TR-05. Växjö University."
    ),
    ("nivre2003dependency", "ieee"): (
        "J. Nivre, “A dependency parser for English,” Växjö University, Tech. Rep. TR-05, 2003."
    ),
    # ---- Manual: the organisation as group author, not repeated as publisher (APA 9.11, 9.29);
    # MLA 5.x begins with the title when the author is also the publisher.
    ("unicode2022", "apa"): "Unicode Consortium. (2022). The Unicode standard (15.0 ed.).",
    ("unicode2022", "mla"): "The Unicode Standard. 15.0 ed., Unicode Consortium, 2022.",
    ("unicode2022", "chicago"): "Unicode Consortium. 2022. The Unicode Standard. 15.0 ed.",
    ("unicode2022", "ieee"): "The Unicode Standard, 15.0 ed., Unicode Consortium, Mountain View, CA, 2022.",
    # ---- Unpublished manuscript (APA 10.8 "[Unpublished manuscript]"; IEEE "unpublished").
    ("knuth1990notes", "apa"): "Knuth, D. E. (1990). Notes on parsing [Unpublished manuscript].",
    ("knuth1990notes", "mla"): "Knuth, Donald E. “Notes on Parsing.” 1990. Unpublished manuscript.",
    ("knuth1990notes", "chicago"): "Knuth, Donald E. 1990. “Notes on Parsing.” Unpublished manuscript.",
    ("knuth1990notes", "ieee"): "D. E. Knuth, “Notes on parsing,” unpublished.",
    # ---- Web page: APA 10.16 "(2018, June)." with the site's name; MLA the site in italics.
    ("alammar2018illustrated", "apa"): (
        "Alammar, J. (2018, June). The illustrated transformer. Jay Alammar's Blog. "
        "https://jalammar.github.io/illustrated-transformer/"
    ),
    ("alammar2018illustrated", "mla"): (
        "Alammar, Jay. “The Illustrated Transformer.” Jay Alammar's Blog, June 2018, "
        "jalammar.github.io/illustrated-transformer/."
    ),
    ("alammar2018illustrated", "chicago"): (
        "Alammar, Jay. 2018. “The Illustrated Transformer.” Jay Alammar's Blog. "
        "https://jalammar.github.io/illustrated-transformer/."
    ),
    ("alammar2018illustrated", "ieee"): (
        "J. Alammar, “The illustrated transformer,” Jay Alammar's Blog, Jun. 2018. [Online]. "
        "Available: https://jalammar.github.io/illustrated-transformer/"
    ),
    # ---- Preprint whose "journal" is arXiv: a preprint, not an article in a journal "arXiv …".
    ("devlin2018bert", "apa"): (
        "Devlin, J., & Chang, M.-W. (2018). BERT: Pre-training of deep bidirectional transformers for "
        "language understanding (arXiv:1810.04805). arXiv. https://arxiv.org/abs/1810.04805"
    ),
    ("devlin2018bert", "chicago"): (
        "Devlin, Jacob, and Ming-Wei Chang. 2018. “BERT: Pre-training of Deep Bidirectional "
        "Transformers for Language Understanding.” Preprint, arXiv. https://arxiv.org/abs/1810.04805."
    ),
    ("devlin2018bert", "ieee"): (
        "J. Devlin and M.-W. Chang, “BERT: Pre-training of deep bidirectional transformers for "
        "language understanding,” 2018, arXiv:1810.04805."
    ),
    # ---- A preprint with a later journal version is cited as the article (APA 10.1 ex. 8 note).
    ("brown2020language", "apa"): (
        "Brown, T. B. (2020). Language models are few-shot learners. Advances in Neural Information "
        "Processing Systems, 33, 1877–1901. https://arxiv.org/abs/2005.14165"
    ),
    ("brown2020language", "chicago"): (
        "Brown, Tom B. 2020. “Language Models Are Few-Shot Learners.” Advances in Neural Information "
        "Processing Systems 33: 1877–901. https://arxiv.org/abs/2005.14165."
    ),
}


@pytest.mark.parametrize(("key", "style"), list(EXPECTED), ids=[f"{k}-{s}" for k, s in EXPECTED])
def test_entry_type_in_style(entries: dict[str, Paper], key: str, style: str) -> None:
    assert format_citation(entries[key], style) == EXPECTED[(key, style)]


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        ("3", "10", "10"),
        ("71", "72", "72"),
        ("100", "104", "104"),
        ("1100", "1113", "1113"),
        ("101", "108", "8"),
        ("808", "833", "33"),
        ("1103", "1104", "4"),
        ("321", "328", "28"),
        ("498", "532", "532"),
        ("1087", "1089", "89"),
        ("1496", "1500", "500"),
        ("11564", "11615", "615"),
        ("12991", "13001", "3001"),
    ],
)
def test_chicago_inclusive_numbers_by_cmos_9_63(first: str, last: str, expected: str) -> None:
    assert chicago_second_number(first, last) == expected


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        ("1", "12", "12"),
        ("75", "99", "99"),
        ("105", "119", "19"),
        ("2104", "2108", "08"),
        ("5362", "5451", "451"),
    ],
)
def test_mla_page_ranges_by_the_handbook(first: str, last: str, expected: str) -> None:
    assert mla_second_number(first, last) == expected


def test_alphabetical_reference_lists_and_ieee_in_citation_order(entries: dict[str, Paper]) -> None:
    papers = [entries[key] for key in ("smith2019swedish", "kay1973structure", "brown2020language")]
    for style in ("apa", "mla", "chicago"):
        lines = format_many(papers, style).splitlines()
        assert [line.split(",")[0] for line in lines] == ["Brown", "Kay", "Smith"], style
    ieee = format_many(papers, "ieee").splitlines()
    assert [line[:10] for line in ieee] == ["[1] J. Smi", "[2] M. Kay", "[3] T. B. "]


def test_one_authors_works_file_by_year(entries: dict[str, Paper]) -> None:
    from dataclasses import replace

    older = replace(entries["knuth1990notes"], year=1968, title="Zeta")
    lines = format_many([entries["knuth1990notes"], older], "apa").splitlines()
    assert [line[:22] for line in lines] == ["Knuth, D. E. (1968). Z", "Knuth, D. E. (1990). N"]


def test_degrees_become_a_degree_sign() -> None:
    bib = r"@article{d, title = {Turning 360{\mbox{$^\circ$}} Around}, journal = {J}, year = {2020}}"
    paper = read(bib, "d.bib").records[0]
    assert "360°" in format_citation(paper, "apa")
