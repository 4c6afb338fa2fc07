"""`cite` and `export`: one paper's citation, or a whole .bib from the library or a search."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tuireader.cite import (
    DEFAULT_STYLE,
    STYLES,
    CitationStyle,
    CitationUnavailable,
    UnknownStyle,
    describe,
    format_many,
    get_style,
    uncitable,
)
from tuireader.cli.common import EXIT_NOT_FOUND, EXIT_OK, EXIT_UNREADABLE, Command, emit, open_library
from tuireader.clipboard import copy_to_clipboard, terminal_route
from tuireader.corpus.library import Library
from tuireader.corpus.model import Paper
from tuireader.safe_text import visible_controls

# The citation was printed (or written) but no clipboard confirmed the copy. OSC 52 may still have
# reached the terminal's clipboard, but a terminal never says so, and a script must not be told a
# copy succeeded on a guess.
EXIT_NOT_COPIED = 3


def _say(message: str) -> None:
    print(f"tuireader: {visible_controls(message)}", file=sys.stderr)


def _style_argument(value: str) -> CitationStyle:
    try:
        return get_style(value)
    except UnknownStyle as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _add_style_options(parser: argparse.ArgumentParser) -> None:
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = "styles:\n" + "\n".join(f"  {style.name:<10} {style.label}" for style in STYLES)
    parser.add_argument(
        "--style",
        type=_style_argument,
        default=get_style(DEFAULT_STYLE),
        metavar="NAME",
        help=f"citation style (default: {DEFAULT_STYLE}; see the list below)",
    )
    parser.add_argument(
        "--copy",
        action="store_true",
        help="also copy the result to the clipboard (through the terminal and the system clipboard)",
    )


def _copy(text: str, what: str) -> int:
    """Copy, say by which routes (and why the others failed); 0 only when a copy was confirmed."""
    report = copy_to_clipboard(text, what=what, terminal=terminal_route())
    _say(report.message)
    return EXIT_OK if report.copied else EXIT_NOT_COPIED


def run_cite(args: argparse.Namespace) -> int:
    library = open_library(args)
    if library is None:
        return EXIT_UNREADABLE
    paper = library.get(args.id)
    if paper is None:
        _say(f"no paper with id “{args.id}” (see `tuireader list`)")
        return EXIT_NOT_FOUND
    style: CitationStyle = args.style
    try:
        text = style.format(paper)
    except CitationUnavailable as error:
        _say(str(error))
        return EXIT_NOT_FOUND
    emit(text)
    return _copy(text, describe([paper], style)) if args.copy else EXIT_OK


def matching_papers(library: Library, query: str | None) -> list[Paper]:
    """Every paper, or those a search finds, best match first.

    Raises LookupError with a message for the user when searching is not possible.
    """
    if not query:
        return list(library.papers)
    try:
        from tuireader.index import SearchEngine  # the index loads only when a query needs it
    except ImportError as error:
        raise LookupError(f"searching is not available in this installation ({error})") from None
    try:
        ids = SearchEngine.open(library).search(query, limit=None, typing=False).ids
    except Exception as error:  # an index problem must reach the user as a message, not a traceback
        raise LookupError(f"the search failed: {error}") from None
    found = (library.get(paper_id) for paper_id in ids)
    return [paper for paper in found if paper is not None]


def _write(path: str, text: str) -> bool:
    try:
        Path(path).write_text(text + "\n", encoding="utf-8")
    except OSError as error:
        _say(f"cannot write {path}: {error.strerror or error}")
        return False
    return True


def run_export(args: argparse.Namespace) -> int:
    library = open_library(args)
    if library is None:
        return EXIT_UNREADABLE
    try:
        papers = matching_papers(library, args.query)
    except LookupError as error:
        _say(str(error))
        return EXIT_UNREADABLE
    style: CitationStyle = args.style
    left_out = uncitable(papers, style)
    if left_out:
        ids = ", ".join(paper.id for paper in left_out)
        _say(f"left out {len(left_out)} of {len(papers)} papers the {style.label} style cannot cite: {ids}")
    citable = [paper for paper in papers if style.can_cite(paper)]
    if not citable:
        _say(f"no papers match “{args.query}”" if args.query else "no papers to export")
        return EXIT_NOT_FOUND
    text = format_many(citable, style)
    what = describe(citable, style)
    if args.output:
        if not _write(args.output, text):
            return EXIT_UNREADABLE
        _say(f"wrote {what} to {args.output}")
    else:
        emit(text)
    return _copy(text, what) if args.copy else EXIT_OK


def _configure_cite(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id", help="a paper id as `tuireader list` prints it (arXiv ids too)")
    _add_style_options(parser)


def _configure_export(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("query", nargs="?", help="a search; every paper when omitted")
    _add_style_options(parser)
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")


COMMANDS: tuple[Command, ...] = (
    Command("cite", "one paper's citation (BibTeX unless --style says otherwise)", _configure_cite, run_cite),
    Command(
        "export",
        "citations of every paper, or of those a search finds (a .bib by default)",
        _configure_export,
        run_export,
    ),
)
