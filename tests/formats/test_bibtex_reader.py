"""The BibTeX reader on small files written here: fields, names, macros, crossrefs, damage."""

from __future__ import annotations

import gzip

from tests.formats.corpora import write
from tuireader.corpus.library import load_library
from tuireader.corpus.model import Author

ARTICLE = """\ufeff% A library as people write them.
@comment{jabref-meta: databaseType:bibtex;}
@string{jmlr = "Journal of Machine Learning Research"}

@Article{Doe2020Deep,
  author    = {Doe, Jane and van der Berg, Piet and Smith, Jr, John and
               {Research Triangle Institute} and others},
  title     = {{Deep} Learning for {B}ib{T}e{X} with {\\'E}cole~Accents},
  journal   = jmlr,
  year      = 2020,
  month     = jan,
  volume    = {21},
  number    = {4},
  pages     = {1--29},
  publisher = {JMLR},
  doi       = {https://doi.org/10.5555/ABC.123},
  url       = {\\url{https://example.org/doe\\_2020}},
  keywords  = {learning; bibliographies, parsing},
  eprint    = {2101.00001v2},
  archivePrefix = {arXiv},
  primaryClass  = {cs.CL},
  abstract  = {We parse 99.9{\\%} of {``}entries{''} --- \\emph{quickly}.},
}
"""


def test_an_entry_becomes_a_paper_with_every_field_mapped(tmp_path):
    path = write(tmp_path, "refs.bib", ARTICLE)
    library = load_library([path])
    assert library.problems == ()
    [paper] = library.papers
    assert paper.entry_type == "article"
    assert paper.citation_key == "Doe2020Deep"
    assert paper.id == "2101.00001"  # the arXiv id, any version, is the id
    assert paper.arxiv_id == "2101.00001"
    assert paper.categories == ("cs.CL",)
    assert paper.title == "Deep Learning for BibTeX with École Accents"
    assert paper.venue == paper.journal == "Journal of Machine Learning Research"
    assert paper.booktitle is None
    assert (paper.year, paper.volume, paper.number, paper.pages) == (2020, "21", "4", "1–29")
    assert paper.publisher == "JMLR"
    assert paper.doi == "10.5555/ABC.123"
    assert paper.url == "https://example.org/doe_2020"
    assert paper.keywords == ("learning", "bibliographies", "parsing")
    assert paper.abstract.text == "We parse 99.9% of “entries” — quickly."
    assert [paper.abstract.text[s.start : s.end] for s in paper.abstract.spans] == ["quickly"]
    assert [str(s) for s in paper.sources] == [f"{path}:5"]


def test_names_follow_bibtex_rules_and_others_is_dropped(tmp_path):
    [paper] = load_library([write(tmp_path, "refs.bib", ARTICLE)]).papers
    assert paper.authors == (
        Author("Doe", "Jane"),
        Author("van der Berg", "Piet"),
        Author("Smith Jr", "John"),
        Author("", literal="Research Triangle Institute"),
    )


def test_first_von_last_names(tmp_path):
    text = "@book{b, author = {Ludwig van Beethoven and Jean de La Fontaine and Plato}, title = {T}}\n"
    [paper] = load_library([write(tmp_path, "b.bib", text)]).papers
    assert paper.authors == (
        Author("van Beethoven", "Ludwig"),
        Author("de La Fontaine", "Jean"),
        Author("Plato"),
    )


def test_macros_and_crossref_parents_come_from_other_files_of_the_library(tmp_path):
    write(tmp_path, "a-strings.bib", '@string{popl = "Principles of Programming Languages"}\n')
    write(
        tmp_path,
        "b-parents.bib",
        '@proceedings{POPL2020, title = "Proc. " # popl # " 2020", year = 2020, publisher = {ACM}}\n',
    )
    write(
        tmp_path,
        "c-papers.bib",
        "@inproceedings{x, author = {A, B}, title = {Child}, crossref = {popl2020}}\n",
    )
    library = load_library([tmp_path])
    assert library.problems == ()
    child = next(p for p in library.papers if p.citation_key == "x")
    assert child.booktitle == child.venue == "Proc. Principles of Programming Languages 2020"
    assert (child.year, child.publisher, child.title) == (2020, "ACM", "Child")
    assert child.doi is None


def test_a_file_on_its_own_says_which_macro_and_parent_it_misses(tmp_path):
    path = write(tmp_path, "c.bib", "@inproceedings{x, title = {T}, booktitle = popl, crossref = {gone}}\n")
    library = load_library([path])
    [paper] = library.papers
    assert paper.booktitle == "popl"
    messages = sorted(p.message for p in library.problems)
    assert any("popl" in m and "not defined" in m for m in messages)
    assert any("gone" in m for m in messages)


def test_a_damaged_entry_is_skipped_with_its_line_and_the_rest_loads(tmp_path):
    text = (
        "@article{good1, title = {First}, year = 2001}\n"
        "\n"
        "@article{broken, title = {Never closed, year = 2002\n"
        "\n"
        "@article{good2, title = {Second}, year = 2003}\n"
    )
    path = write(tmp_path, "damaged.bib", text)
    library = load_library([path])
    assert sorted(p.title for p in library.papers) == ["First", "Second"]
    [problem] = library.problems
    assert (problem.path, problem.line) == (str(path), 3)
    assert "broken" in problem.message


def test_a_truncated_last_entry_is_reported(tmp_path):
    path = write(tmp_path, "cut.bib", "@article{a, title = {A}}\n@article{b,\n  title = {B")
    library = load_library([path])
    assert [p.title for p in library.papers] == ["A"]
    assert [(p.line, "truncated" in p.message) for p in library.problems] == [(2, True)]


def test_gzip_is_found_by_content_not_by_name(tmp_path):
    path = tmp_path / "library.txt"
    path.write_bytes(gzip.compress(ARTICLE.encode("utf-8")))
    library = load_library([path])
    assert library.problems == ()
    assert library.papers[0].citation_key == "Doe2020Deep"


def test_a_cut_gzip_file_gives_what_it_can_and_says_so(tmp_path):
    entries = "".join(f"@misc{{k{i}, title = {{Paper number {i}}}}}\n" for i in range(2000))
    data = gzip.compress(entries.encode())
    path = tmp_path / "cut.bib.gz"
    path.write_bytes(data[: len(data) // 2])
    library = load_library([path])
    assert 0 < len(library.papers) < 2000
    assert any("damaged or cut short" in p.message for p in library.problems)


def test_latin1_and_utf16_files(tmp_path):
    latin = tmp_path / "latin.bib"
    latin.write_bytes("@misc{a, title = {Élémentaire}}\n".encode("cp1252"))
    utf16 = tmp_path / "utf16.bib"
    utf16.write_bytes("@misc{b, title = {Über}}\n".encode("utf-16"))
    titles = sorted(p.title for p in load_library([latin, utf16]).papers)
    assert titles == ["Élémentaire", "Über"]


def test_a_string_only_file_is_not_a_problem(tmp_path):
    write(tmp_path, "strings.bib", '@string{a = "A"}\n')
    write(tmp_path, "refs.bib", "@misc{x, title = a}\n")
    library = load_library([tmp_path])
    assert library.problems == ()
    assert library.papers[0].title == "A"


def test_arxiv_ids_hidden_in_journal_fields_and_urls(tmp_path):
    text = (
        "@article{dblp, title = {BERT}, journal = {CoRR}, volume = {abs/1810.04805}, year = 2018}\n"
        "@misc{scholar, title = {Other}, journal = {arXiv preprint arXiv:2101.00001}}\n"
        "@misc{link, title = {Third}, url = {https://arxiv.org/abs/2102.00002v3}}\n"
        "@misc{doi, title = {Fourth}, doi = {10.48550/arXiv.2103.00003}}\n"
    )
    library = load_library([write(tmp_path, "ml.bib", text)])
    assert [p.arxiv_id for p in library.papers] == ["1810.04805", "2101.00001", "2102.00002", "2103.00003"]
