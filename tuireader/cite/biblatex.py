"""BibLaTeX entries: `date`, `journaltitle`, and arXiv as `eprinttype = {arxiv}`."""

from __future__ import annotations

from tuireader.cite import bibfile
from tuireader.cite.bibtex import choose_entry_type, venue_note
from tuireader.cite.facts import Kind, citation_key, doi_of, full_date, page_range, year_of
from tuireader.corpus.model import Paper

_TYPE_FOR_KIND = {
    Kind.ARTICLE: "article",
    Kind.PAPER: "inproceedings",
    Kind.CHAPTER: "incollection",
    Kind.PROCEEDINGS: "proceedings",
    Kind.BOOK: "book",
    Kind.THESIS: "phdthesis",
    Kind.REPORT: "report",
    Kind.MANUAL: "manual",
    Kind.UNPUBLISHED: "unpublished",
    Kind.PREPRINT: "online",
    Kind.OTHER: "misc",
}
BIBLATEX_TYPES = frozenset(
    """article book booklet inbook incollection inproceedings manual mastersthesis misc online
    patent periodical phdthesis proceedings report techreport thesis unpublished""".split()
)


def _date(paper: Paper) -> str:
    day = full_date(paper)
    if day is not None:
        return day.isoformat()
    year = year_of(paper)
    return str(year) if year else ""


def format_biblatex(paper: Paper) -> str:
    fields = [
        ("title", bibfile.protected_title(paper.title or "")),
        ("author", bibfile.names(paper.authors)),
        ("journaltitle", bibfile.escape(paper.journal or "")),
        ("booktitle", bibfile.escape(paper.booktitle or "")),
        ("date", _date(paper)),
        ("volume", bibfile.escape(paper.volume or "")),
        ("number", bibfile.escape(paper.number or "")),
        ("pages", bibfile.escape(page_range(paper, "--"))),
        ("publisher", bibfile.escape(paper.publisher or "")),
        ("doi", bibfile.verbatim(doi_of(paper))),
        ("eprint", bibfile.verbatim(paper.arxiv_id or "")),
        ("eprinttype", "arxiv" if paper.arxiv_id else ""),
        ("eprintclass", bibfile.verbatim(paper.categories[0]) if paper.arxiv_id and paper.categories else ""),
        ("url", bibfile.verbatim(paper.url or paper.arxiv_url or "")),
        ("note", bibfile.escape(venue_note(paper))),
    ]
    return bibfile.entry(
        choose_entry_type(paper, BIBLATEX_TYPES, _TYPE_FOR_KIND), citation_key(paper), fields
    )
