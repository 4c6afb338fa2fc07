"""The `tuireader` command: the reader by default, plus scriptable subcommands."""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
import threading
from collections.abc import Sequence

from tuireader import __version__
from tuireader.cli import options
from tuireader.cli.options import EXIT_OK, EXIT_UNREADABLE, Command, add_corpus_option

# Which module holds each subcommand. A module is imported only when its command runs, so that
# `--version`, `--help` and the reader load nothing they do not use (a test checks this table
# against the modules' own COMMANDS).
COMMAND_MODULES: dict[str, str] = {
    "list": "corpus_commands",
    "show": "corpus_commands",
    "authors": "corpus_commands",
    "search": "search_commands",
    "related": "search_commands",
    "index": "search_commands",
    "cite": "cite_commands",
    "export": "cite_commands",
    "check": "check_command",
    "state": "state_commands",
}


def command_named(name: str) -> Command:
    module = importlib.import_module(f"tuireader.cli.{COMMAND_MODULES[name]}")
    return next(command for command in module.COMMANDS if command.name == name)


def _app_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tuireader",
        description="A keyboard-driven terminal reader for research-paper collections.",
        epilog="commands: " + ", ".join(COMMAND_MODULES) + " (`tuireader COMMAND --help`)",
    )
    parser.add_argument("--version", action="version", version=f"tuireader {__version__}")
    parser.add_argument("paths", nargs="*", metavar="PATH", help="library files or folders to open")
    add_corpus_option(parser)
    return parser


def _command_parser(command: Command) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=f"tuireader {command.name}", description=command.help)
    add_corpus_option(parser)
    command.configure(parser)
    return parser


def _split_command(argv: list[str]) -> tuple[Command | None, list[str]]:
    """Find the subcommand, allowing `--corpus PATH` before it."""
    index = 0
    while index < len(argv):
        token = argv[index]
        if token == "--corpus":
            index += 2
            continue
        if token in COMMAND_MODULES:
            return command_named(token), argv[:index] + argv[index + 1 :]
        if not token.startswith("-"):
            break
        index += 1
    return None, argv


def run_reader(args: argparse.Namespace) -> int:
    """The Textual reader on the bundled corpus or the given paths."""
    from tuireader.app.app import ReaderApp  # Textual loads only when the reader runs
    from tuireader.cli.common import corpus_paths

    app = ReaderApp(corpus_paths(args))
    app.run()
    code = app.return_code or EXIT_OK
    if _threads_left():
        # A loading step that cannot stop mid-way (parsing one large file) would keep the process
        # alive after the window closed: quitting means now. Its index build leaves the previous
        # index in place, and its worker processes stop when they see this one gone.
        sys.stdout.flush()
        sys.stderr.flush()
        logging.shutdown()
        os._exit(code)
    return code


def _threads_left() -> bool:
    return any(not thread.daemon and thread.is_alive() for thread in threading.enumerate()[1:])


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    command, rest = _split_command(arguments)
    options.commands_started += 1  # each command reads the config file afresh, once
    try:
        if command is None:
            return run_reader(_app_parser().parse_args(rest))
        return command.run(_command_parser(command).parse_args(rest))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        sys.stderr.close()  # `tuireader list | head` is not an error
        return EXIT_OK
    except OSError as error:  # a full disk, an index that cannot be used: one line, no traceback
        from tuireader.safe_text import visible_controls

        print(f"tuireader: {visible_controls(str(error))}", file=sys.stderr)
        return EXIT_UNREADABLE
