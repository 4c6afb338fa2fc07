"""`show --json` prints every fact and record of a paper; a command reads the config file once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

SHOWN_KEYS = [
    "id",
    "title",
    "authors",
    "year",
    "date",
    "arxiv_id",
    "venue",
    "doi",
    "citation_key",
    "abstract",
    "emphasis",
    "comments",
    "sources",
    "entry_type",
    "journal",
    "booktitle",
    "volume",
    "number",
    "pages",
    "publisher",
    "url",
    "edition",
    "month",
    "address",
    "school",
    "institution",
    "organization",
    "series",
    "chapter",
    "howpublished",
    "note",
    "file",
    "isbn",
    "issn",
    "subtitle",
    "language",
    "type",
    "editors",
    "categories",
    "keywords",
    "collections",
    "records",
]


def _run(program: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, cwd=REPO, env=env, timeout=120
    )


def _environment(home: Path) -> dict[str, str]:
    return {
        **os.environ,
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "XDG_STATE_HOME": str(home / "state"),
        "XDG_DATA_HOME": str(home / "data"),
    }


def test_show_json_prints_every_fact_and_record_in_a_stable_order(tmp_path: Path) -> None:
    library = tmp_path / "thesis.bib"
    library.write_text(
        "@phdthesis{doe2001,\n  author = {Doe, Jane},\n  title = {On Things},\n  school = {MIT},\n"
        "  address = {Cambridge, MA},\n  type = {{PhD} dissertation},\n  month = mar,\n  year = 2001,\n"
        "  isbn = {978-0-00-000000-0},\n  keywords = {things, theses}\n}\n",
        encoding="utf-8",
    )
    program = "import sys\nfrom tuireader.cli import main\nsys.exit(main(sys.argv[1:]))"
    done = subprocess.run(
        [sys.executable, "-c", program, "show", "doe2001", "--json", "--corpus", str(library)],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=_environment(tmp_path),
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    shown = json.loads(done.stdout)
    assert list(shown) == SHOWN_KEYS
    assert shown["school"] == "MIT"
    assert shown["address"] == "Cambridge, MA"
    assert shown["isbn"] == "978-0-00-000000-0"
    assert shown["keywords"] == ["things", "theses"]
    (record,) = shown["records"]
    assert record["format"] == "bibtex"
    assert record["key"] == "doe2001"
    assert record["source"] == f"{library}:1"
    assert ["school", "{MIT}"] in record["fields"]
    assert ["month", "mar"] in record["fields"]


def test_a_command_reads_the_config_file_once(tmp_path: Path) -> None:
    library = tmp_path / "one.bib"
    library.write_text("@article{a, title = {A}, author = {Doe, J.}, journal = {J}, year = 2001}\n")
    config = tmp_path / "config" / "tuireader" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text(f"libraries = [{json.dumps(str(library))}]\n", encoding="utf-8")
    # Python's audit hook sees every file the command opens.
    program = (
        "import sys\n"
        "opened = []\n"
        "sys.addaudithook(lambda event, args: event == 'open' and opened.append(str(args[0])))\n"
        "from tuireader.cli import main\n"
        "for _ in range(2):\n"
        "    main(['list'])\n"
        "print(sum(path.endswith('config.toml') for path in opened), file=sys.stderr)\n"
    )
    done = _run(program, _environment(tmp_path))
    assert done.returncode == 0, done.stderr
    assert "A" in done.stdout
    assert done.stderr.strip().splitlines()[-1] == "2"  # once for each of the two commands
