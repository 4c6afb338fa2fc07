"""The entry point loads only what a command needs: `--version` and `--help` never import the
search engine, the BibTeX parser or Textual, and every subcommand is found through one table."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys

from tuireader.cli import COMMAND_MODULES, command_named

HEAVY = ("textual", "whoosh", "bibtexparser", "pylatexenc", "rich", "tuireader.corpus", "tuireader.index")


def _modules_after(*arguments: str) -> set[str]:
    program = (
        "import json, sys\n"
        "from tuireader.cli import main\n"
        "try:\n"
        f"    main({list(arguments)!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(json.dumps(sorted(sys.modules)), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True)
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


def test_version_and_help_import_nothing_heavy() -> None:
    for arguments in (["--version"], ["--help"]):
        loaded = _modules_after(*arguments)
        assert not {
            name for name in loaded for heavy in HEAVY if name == heavy or name.startswith(heavy + ".")
        }


def test_the_command_table_names_every_command_of_every_module() -> None:
    modules = {f"tuireader.cli.{module}" for module in COMMAND_MODULES.values()}
    defined = {
        command.name: name
        for name in modules
        for command in importlib.import_module(name).COMMANDS  # type: ignore[attr-defined]
    }
    assert defined == {name: f"tuireader.cli.{module}" for name, module in COMMAND_MODULES.items()}
    assert all(command_named(name).name == name for name in COMMAND_MODULES)
