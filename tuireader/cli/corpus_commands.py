"""`list`, `show` and `authors`: the corpus as lines or JSON."""

from __future__ import annotations

import argparse
import shutil
import sys
import textwrap

from tuireader.cli.common import (
    EXIT_NOT_FOUND,
    EXIT_OK,
    EXIT_UNREADABLE,
    Command,
    add_json_option,
    emit,
    emit_json,
    open_library,
)
from tuireader.cli.paper_json import paper_in_full
from tuireader.corpus.model import Paper
from tuireader.corpus.serialise import paper_as_json, short_byline
from tuireader.safe_text import visible_controls


def _list_line(paper: Paper, id_width: int) -> str:
    year = str(paper.year) if paper.year else "----"
    title = " ".join(paper.display_title.split())  # a title spanning lines must not break the listing
    return f"{paper.id:<{id_width}}  {year}  {short_byline(paper)[:24]:<24}  {title}"


def run_list(args: argparse.Namespace) -> int:
    library = open_library(args)
    if library is None:
        return EXIT_UNREADABLE
    if args.json:
        emit_json([paper_as_json(paper) for paper in library.papers])
        return EXIT_OK
    id_width = max(len(paper.id) for paper in library.papers)
    width = shutil.get_terminal_size().columns if sys.stdout.isatty() else None
    for paper in library.papers:
        line = _list_line(paper, id_width)
        emit(line[: width - 1] + "…" if width and len(line) > width else line)
    return EXIT_OK


def _paper_text(paper: Paper) -> str:
    width = min(shutil.get_terminal_size().columns, 100)
    facts = [
        ("id", paper.id),
        ("key", paper.citation_key),
        ("year", str(paper.year) if paper.year else None),
        ("date", paper.date.isoformat() if paper.date else None),
        ("venue", paper.venue),
        ("arXiv", f"{paper.arxiv_id}  {paper.arxiv_url}" if paper.arxiv_id else None),
        ("doi", paper.doi),
        ("comments", "; ".join(paper.comments) or None),
        ("sources", ", ".join(str(s) for s in paper.sources)),
    ]
    lines = [paper.display_title, "; ".join(a.display_name for a in paper.authors) or "(authors unknown)", ""]
    lines += [f"{label + ':':<10}{value}" for label, value in facts if value]
    if paper.abstract:
        lines.append("")
        for paragraph in paper.abstract.text.split("\n\n"):
            lines += [*textwrap.wrap(paragraph, width), ""]
    return "\n".join(lines).rstrip()


def run_show(args: argparse.Namespace) -> int:
    library = open_library(args)
    if library is None:
        return EXIT_UNREADABLE
    paper = library.get(args.id)
    if paper is None:
        wanted = visible_controls(args.id)
        print(f"tuireader: no paper with id “{wanted}” (see `tuireader list`)", file=sys.stderr)
        return EXIT_NOT_FOUND
    if args.json:
        emit_json(paper_in_full(paper))
    else:
        emit(_paper_text(paper))
    return EXIT_OK


def run_authors(args: argparse.Namespace) -> int:
    library = open_library(args)
    if library is None:
        return EXIT_UNREADABLE
    counts = library.people.counts(library.papers)
    if args.json:
        emit_json([{"name": person.name, "count": count} for person, count in counts])
    else:
        for person, count in counts:
            emit(f"{count:>5}  {person.name}")
    return EXIT_OK


def _configure_show(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id", help="a paper id as `tuireader list` prints it (arXiv ids too)")
    add_json_option(parser)


COMMANDS = (
    Command("list", "one line per paper", add_json_option, run_list),
    Command("show", "one paper in full", _configure_show, run_show),
    Command("authors", "authors with their paper counts, most papers first", add_json_option, run_authors),
)
