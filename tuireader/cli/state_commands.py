"""`state export` and `state import`: personal state to and from a JSON backup."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from tuireader.atomic import write_atomically
from tuireader.cli.common import EXIT_OK, EXIT_UNREADABLE, Command
from tuireader.safe_text import visible_controls
from tuireader.state import StateError, StateStore


def _say(message: str) -> None:
    print(f"tuireader: {visible_controls(message)}", file=sys.stderr)


def _configure_state(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    export = actions.add_parser("export", help="write all personal state as JSON")
    export.add_argument("-o", "--output", metavar="FILE", help="write to FILE (atomically) instead of stdout")
    restore = actions.add_parser("import", help="restore personal state from a JSON backup")
    restore.add_argument("file", metavar="FILE", help="a backup made by `state export` (`-` for stdin)")
    restore.add_argument(
        "--replace",
        action="store_true",
        help="replace all personal state with the backup's (default: merge, keeping what is here)",
    )


def _open_store() -> StateStore:
    store = StateStore.open()
    if store.notice:
        _say(store.notice)
    return store


def run_export(args: argparse.Namespace) -> int:
    try:
        with _open_store() as store:
            document = store.export_json()
    except StateError as error:
        _say(str(error))
        return EXIT_UNREADABLE
    # ensure_ascii keeps every control character in a note escaped, so the JSON is inert on a terminal.
    text = json.dumps(document, indent=2, ensure_ascii=True) + "\n"
    if not args.output:
        sys.stdout.write(text)
        return EXIT_OK
    try:
        write_atomically(Path(args.output), text.encode("utf-8"))
    except OSError as error:
        _say(f"cannot write {args.output}: {error.strerror or error}")
        return EXIT_UNREADABLE
    _say(f"personal state of {len(document['papers'])} papers written to {args.output}")
    return EXIT_OK


def run_import(args: argparse.Namespace) -> int:
    try:
        text = sys.stdin.read() if args.file == "-" else Path(args.file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else error
        _say(f"cannot read {args.file}: {reason}")
        return EXIT_UNREADABLE
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        _say(f"{args.file} is not JSON: {error}")
        return EXIT_UNREADABLE
    try:
        with _open_store() as store:
            summary = store.import_json(data, merge=not args.replace)
    except StateError as error:
        _say(str(error))
        return EXIT_UNREADABLE
    _say(str(summary))
    return EXIT_OK


def run_state(args: argparse.Namespace) -> int:
    return run_export(args) if args.action == "export" else run_import(args)


COMMANDS: tuple[Command, ...] = (
    Command("state", "export or import personal state (stars, tags, notes…)", _configure_state, run_state),
)
