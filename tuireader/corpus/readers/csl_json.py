"""CSL-JSON, as Zotero and Better BibTeX export it: a JSON array of items.

    [{"id": "mu2023", "type": "paper-conference", "title": "…",
      "author": [{"family": "Mu", "given": "Jesse"}], "issued": {"date-parts": [[2023, 7]]},
      "container-title": "…", "DOI": "…", "URL": "…", "abstract": "…"}, …]

Items are decoded one by one, so each keeps its line and one damaged item costs only itself: the
reader resumes at the next item that starts at the same indentation.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from tuireader.corpus.model import Author, Paper, Problem, Record, Source, StyledText
from tuireader.corpus.problem_log import ProblemLog
from tuireader.corpus.readers.base import Reader, ReadResult
from tuireader.corpus.readers.identifiers import arxiv_id_in, arxiv_id_of_doi, clean_doi

# CSL item types and the BibTeX types people know them by.
_ENTRY_TYPES = {
    "article-journal": "article",
    "article": "article",
    "paper-conference": "inproceedings",
    "chapter": "incollection",
    "book": "book",
    "thesis": "phdthesis",
    "report": "techreport",
    "manuscript": "unpublished",
    "webpage": "online",
}
RECORD_FORMAT = "csl-json"
_BETWEEN_ITEMS = re.compile(r"\s*(,\s*)?")
_DECODER = json.JSONDecoder()
_WINDOW = 4096
# A token cut by a window's end (`\uXXXX`, `tru`, `1e`) fails this close to it, or closer.
_LONGEST_TOKEN_CUT = 8


def sniff(head: str) -> bool:
    match = re.match(r"\s*\[\s*\{", head)
    if not match:
        return False
    opening = head[match.end() - 1 : match.end() + 4000]
    return '"type"' in opening and any(key in opening for key in ('"title"', '"author"', '"issued"'))


def _text(item: dict[str, Any], key: str) -> str | None:
    value = item.get(key)
    if value is None or isinstance(value, (dict, list)):
        return None
    return " ".join(str(value).split()) or None


def _names(item: dict[str, Any], role: str = "author") -> tuple[Author, ...]:
    """The people of one CSL role (`author`, `editor`)."""
    authors = []
    for name in item.get(role) or []:
        if not isinstance(name, dict):
            continue
        literal = _text(name, "literal")
        family = _text(name, "family")
        if family:
            particle = _text(name, "non-dropping-particle")
            family = f"{particle} {family}" if particle else family
            authors.append(Author(family=family, given=_text(name, "given") or ""))
        elif literal:
            authors.append(Author(family="", literal=literal))
    return tuple(authors)


def _issued(item: dict[str, Any]) -> tuple[int | None, dt.date | None]:
    issued = item.get("issued")
    if not isinstance(issued, dict):
        return None, None
    parts = issued.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
        numbers = [int(part) for part in parts[0][:3] if str(part).strip().lstrip("-").isdigit()]
        if len(numbers) == 3:
            try:
                return numbers[0], dt.date(*numbers)
            except ValueError:
                pass
        return (numbers[0], None) if numbers else (None, None)
    raw = str(issued.get("raw") or issued.get("literal") or "")
    year = re.search(r"\b(\d{4})\b", raw)
    return (int(year.group(1)), None) if year else (None, None)


def paper_from_item(item: dict[str, Any], path: str, line: int) -> Paper:
    year, date = _issued(item)
    doi = clean_doi(_text(item, "DOI"))
    url = _text(item, "URL")
    container = _text(item, "container-title")
    csl_type = _text(item, "type") or ""
    keywords = tuple(k.strip() for k in re.split(r"[,;]", _text(item, "keyword") or "") if k.strip())
    is_journal = csl_type in ("article-journal", "article-magazine", "article-newspaper")
    key = _text(item, "citation-key") or _text(item, "id")
    return Paper(
        title=_text(item, "title"),
        authors=_names(item),
        editors=_names(item, "editor"),
        abstract=StyledText(_text(item, "abstract") or ""),
        year=year,
        date=date,
        arxiv_id=arxiv_id_of_doi(doi)
        or arxiv_id_in(_text(item, "number"), url if url and "arxiv" in url else None),
        venue=container,
        doi=doi,
        entry_type=_ENTRY_TYPES.get(csl_type, csl_type or None),
        citation_key=key,
        journal=container if is_journal else None,
        booktitle=container if container and not is_journal else None,
        volume=_text(item, "volume"),
        # A journal's issue is `issue`; a report's number is `number` (CSL keeps them apart).
        number=_text(item, "issue") or (_text(item, "number") if csl_type == "report" else None),
        pages=_text(item, "page"),
        publisher=_text(item, "publisher"),
        address=_text(item, "publisher-place"),
        edition=_text(item, "edition"),
        series=_text(item, "collection-title"),
        publication_type=_text(item, "genre"),
        isbn=_text(item, "ISBN"),
        issn=_text(item, "ISSN"),
        language=_text(item, "language"),
        note=_text(item, "note"),
        url=url,
        keywords=keywords,
        sources=(Source(path, line),),
        records=(Record(RECORD_FORMAT, csl_type, key or "", json_fields(item), Source(path, line)),),
    )


def json_fields(item: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """Every variable of an item in its order, each value as JSON text: a number, a list of names
    or a date object comes back as it was read (`json.loads`), not as its string."""
    return tuple((str(name), json.dumps(value, ensure_ascii=False)) for name, value in item.items())


def read(text: str, path: str) -> ReadResult:
    result = ReadResult()
    start = re.match(r"\s*\[", text)
    if start is None:
        return ReadResult(problems=ProblemLog([Problem(path, "not a JSON array of CSL items")]))
    position = start.end()
    line, counted_to = 1, 0
    while True:
        position = _between_items(text, position)
        if position >= len(text) or text[position] == "]":
            break
        # Counted on from the last item, not from the top: a big export has tens of thousands.
        line += text.count("\n", counted_to, position)
        counted_to = position
        item, position, failure = _decoded(text, position)
        if failure:
            result.problems.append(Problem(path, failure, line))
            resume = _next_item(text, position)
            if resume is None:
                break
            position = resume
            continue
        if isinstance(item, dict):
            result.records.append(paper_from_item(item, path, line))
        else:
            result.problems.append(Problem(path, "an item that is not a JSON object; skipped", line))
    return result


def _between_items(text: str, position: int) -> int:
    """Where the next item (or the closing `]`) starts: past white space and one comma."""
    gap = _BETWEEN_ITEMS.match(text, position)
    assert gap is not None  # every part of the pattern may match nothing
    return gap.end()


def _decoded(text: str, position: int) -> tuple[Any, int, str | None]:
    """The item at `position` and where it ends, or why it cannot be read.

    The item is decoded from a window of the text, widened while the item runs past it: to report
    an error the json module counts the lines before it, and over the whole text that would make
    a large export with many damaged items cost time quadratic in its size.
    """
    size = _WINDOW
    while True:
        window = text[position : position + size]
        cut = position + size < len(text)
        try:
            item, end = _DECODER.raw_decode(window)
        except ValueError as error:
            if cut and _ran_out(error, len(window)):
                size *= 4
                continue
            return None, position, f"damaged item ({getattr(error, 'msg', error)}); skipped"
        except RecursionError:
            return None, position, "item nested too deeply to read; skipped"
        if cut and end == len(window):  # a bare number or word may go on past the window
            size *= 4
            continue
        return item, position + end, None


def _ran_out(error: ValueError, length: int) -> bool:
    """Whether decoding failed for want of the text after the window, not for damage inside it."""
    if not isinstance(error, json.JSONDecodeError):
        return False
    return error.pos >= length - _LONGEST_TOKEN_CUT or error.msg.startswith("Unterminated string")


def _next_item(text: str, failed_at: int) -> int | None:
    """Where the next item starts: a line opening with `{` at the damaged item's indentation."""
    line_start = text.rfind("\n", 0, failed_at) + 1
    indent = len(text[line_start:failed_at]) - len(text[line_start:failed_at].lstrip())
    pattern = re.compile(r"\n" + re.escape(text[line_start : line_start + indent]) + r"\{")
    found = pattern.search(text, failed_at + 1)
    return found.start() + 1 + indent if found else None


READER = Reader(name="CSL-JSON", sniff=sniff, read=read, version=3)
