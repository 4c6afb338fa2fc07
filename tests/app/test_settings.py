"""Theme, sort and pane layout persist in the config file, which is the user's: a change rewrites only
the keys that changed, a file that cannot be read is never written over, and a wrong value costs
only its own setting."""

from __future__ import annotations

import os
import stat
from argparse import Namespace
from dataclasses import replace
from pathlib import Path

import pytest

from tests.app.conftest import ready
from tuireader.app.app import ReaderApp
from tuireader.cli.common import corpus_paths
from tuireader.config import Settings, SettingsNotSaved, config_path, load_settings, save_settings

HAND_WRITTEN = """\
# tuireader settings, kept by hand
theme = "nord"   # dark, but not too dark

sort = 'title'  # literal string, kept as written
libraries = [
    "~/papers",  # the main collection
    "~/reading-group.bib",
]
future_option = { enabled = true, level = 3 }

# a table tuireader does not know about yet
[plugins.zotero]
url = "http://localhost:23119"
"""


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def folder_listing(path: Path) -> list[str]:
    return sorted(os.listdir(path.parent))


# --- through the app ------------------------------------------------------------------------------


async def test_theme_sort_and_facet_pane_are_saved() -> None:
    app = ReaderApp(cursor_blink=False)
    async with app.run_test(size=(160, 48)) as pilot:
        await ready(pilot)
        app.theme = "nord"
        await pilot.press("s", "f")
        await ready(pilot)
    saved, problem = load_settings()
    assert problem is None
    assert (saved.theme, saved.sort, saved.show_facets) == ("nord", "year", False)

    again = ReaderApp(cursor_blink=False)
    async with again.run_test(size=(160, 48)) as pilot:
        screen = await ready(pilot)
        assert again.theme == "nord"
        assert screen.sort == "year"
        assert not screen.query_one("#facet-pane").display


async def test_a_change_in_the_app_keeps_the_rest_of_a_hand_written_file() -> None:
    path = write(config_path(), HAND_WRITTEN.replace("sort = 'title'", "sort = 'relevance'"))
    app = ReaderApp(cursor_blink=False)
    async with app.run_test(size=(160, 48)) as pilot:
        await ready(pilot)
        await pilot.press("s")
        await ready(pilot)
    assert app.settings.sort == "year"
    assert path.read_text(encoding="utf-8") == HAND_WRITTEN.replace(
        "sort = 'title'  # literal", 'sort = "year"  # literal'
    )


async def test_a_damaged_config_falls_back_to_defaults_says_so_and_is_never_written() -> None:
    damaged = b'theme = "nord"\nsort = [not toml\nlibraries = ["~/papers"]\n'
    path = write(config_path(), damaged)
    app = ReaderApp(cursor_blink=False)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await ready(pilot)
        assert screen.sort == "relevance"
        await pilot.press("s", "f")
        await ready(pilot)
        assert screen.sort == "year"  # the change holds for this session
        messages = [notification.message for notification in app._notifications]
    assert any(
        str(path) in message and "not be saved until the file is fixed" in message for message in messages
    )
    assert path.read_bytes() == damaged
    assert folder_listing(path) == ["config.toml"]


# --- the file ------------------------------------------------------------------------------------


def test_settings_round_trip_through_the_file() -> None:
    settings = Settings(
        theme="gruvbox", sort="title", show_facets=False, libraries=("~/papers", 'odd "name"')
    )
    save_settings(settings)
    assert load_settings() == (settings, None)


def test_a_change_rewrites_only_its_own_line(tmp_path) -> None:
    path = write(tmp_path / "config.toml", HAND_WRITTEN)
    settings, problem = load_settings(path)
    assert problem is None
    assert settings == Settings(theme="nord", sort="title", libraries=("~/papers", "~/reading-group.bib"))

    save_settings({"sort": "year"}, path)
    expected = HAND_WRITTEN.replace("sort = 'title'", 'sort = "year"')
    assert path.read_text(encoding="utf-8") == expected

    # All the settings at once (as the app saves them): still only what differs is written.
    save_settings(replace(settings, sort="year", show_facets=False), path)
    # A new key follows the last top-level one, above the comment that introduces the table.
    expected = expected.replace("level = 3 }\n", "level = 3 }\nshow_facets = false\n")
    assert path.read_text(encoding="utf-8") == expected
    assert load_settings(path)[0] == replace(settings, sort="year", show_facets=False)
    assert folder_listing(path) == ["config.toml"]


def test_a_new_key_goes_above_the_first_table_not_into_it(tmp_path) -> None:
    path = write(tmp_path / "config.toml", '[plugins]\nname = "x"\n')
    save_settings({"citation_style": "apa"}, path)
    settings, problem = load_settings(path)
    assert problem is None and settings.citation_style == "apa"
    text = path.read_text(encoding="utf-8")
    assert text.index("citation_style") < text.index("[plugins]")
    assert 'name = "x"' in text


def test_saving_unchanged_settings_writes_nothing(tmp_path) -> None:
    path = tmp_path / "config.toml"
    save_settings(Settings(), path)
    assert not path.exists()  # defaults need no file
    write(path, HAND_WRITTEN)
    before = path.stat().st_mtime_ns
    save_settings(load_settings(path)[0], path)
    save_settings({"theme": "nord"}, path)
    assert path.read_text(encoding="utf-8") == HAND_WRITTEN
    assert path.stat().st_mtime_ns == before


def test_a_first_save_creates_the_file_with_just_that_setting(tmp_path) -> None:
    path = tmp_path / "new" / "config.toml"
    save_settings({"sort": "author"}, path)
    assert path.read_text(encoding="utf-8") == 'sort = "author"\n'


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b'theme = "nord"\nsort = [not toml\n', "it is not valid TOML"),
        (b'theme = "nord"\ntheme = "gruvbox"\n', "it is not valid TOML"),
        (b'# caf\xe9 in Latin-1\ntheme = "nord"\n', "it is not UTF-8 text"),
    ],
    ids=["bad-toml", "duplicate-key", "bad-utf8"],
)
def test_a_damaged_file_is_reported_and_left_byte_for_byte(tmp_path, content, reason) -> None:
    path = write(tmp_path / "config.toml", content)
    settings, problem = load_settings(path)
    assert settings == Settings()
    assert problem is not None
    assert str(path) in problem and reason in problem
    assert "settings will not be saved until the file is fixed" in problem

    for change in ({"sort": "year"}, Settings(sort="year")):
        with pytest.raises(SettingsNotSaved, match="not saved until the file is fixed"):
            save_settings(change, path)
    assert path.read_bytes() == content
    assert folder_listing(path) == ["config.toml"]


def test_a_folder_where_the_file_should_be_is_reported_and_left_alone(tmp_path) -> None:
    path = tmp_path / "config.toml"
    (path / "inside").mkdir(parents=True)
    settings, problem = load_settings(path)
    assert settings == Settings()
    assert problem is not None and str(path) in problem and "it is a folder, not a file" in problem
    with pytest.raises(SettingsNotSaved):
        save_settings({"sort": "year"}, path)
    assert path.is_dir() and os.listdir(path) == ["inside"]
    assert folder_listing(path) == ["config.toml"]


def test_an_unreadable_file_is_reported_and_left_alone(tmp_path, monkeypatch) -> None:
    # Root reads any file whatever its permissions, so the refusal is simulated.
    path = write(tmp_path / "config.toml", 'sort = "title"\n')
    real_read_bytes = Path.read_bytes

    def refused(self: Path) -> bytes:
        if self.name == "config.toml":
            raise PermissionError(13, "Permission denied", str(self))
        return real_read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", refused)
    settings, problem = load_settings(path)
    assert settings == Settings()
    assert problem is not None and "Permission denied" in problem and str(path) in problem
    with pytest.raises(SettingsNotSaved):
        save_settings({"sort": "year"}, path)
    monkeypatch.undo()
    assert path.read_text(encoding="utf-8") == 'sort = "title"\n'


def test_a_wrong_value_costs_only_its_own_setting_and_stays_in_the_file(tmp_path) -> None:
    original = '# mine\ntheme = "nord"\nsort = 5  # meant "year"\nshow_facets = "no"\n'
    path = write(tmp_path / "config.toml", original)
    settings, problem = load_settings(path)
    assert settings == Settings(theme="nord")
    assert problem is not None and str(path) in problem
    assert "“sort” must be a string in quotes, not 5" in problem
    assert '“show_facets” must be true or false, not "no"' in problem
    assert problem.endswith("Using the default for “sort” and “show_facets”.")

    # Another setting changes: the user's values are kept, whichever way the change is given.
    save_settings(replace(settings, theme="gruvbox"), path)
    save_settings({"citation_style": "apa"}, path)
    text = path.read_text(encoding="utf-8")
    assert text == original.replace('"nord"', '"gruvbox"') + 'citation_style = "apa"\n'

    # That very setting changes: now it is replaced, and its comment stays.
    save_settings(replace(settings, theme="gruvbox", sort="year"), path)
    assert 'sort = "year"  # meant "year"\n' in path.read_text(encoding="utf-8")
    assert 'show_facets = "no"' in path.read_text(encoding="utf-8")


def test_a_sort_order_that_does_not_exist_is_named(tmp_path) -> None:
    path = write(tmp_path / "config.toml", 'sort = "sideways"\n')
    settings, problem = load_settings(path)
    assert settings == Settings()
    assert problem is not None
    assert '“sort” must be one of relevance, year, title, author, not "sideways"' in problem


@pytest.mark.parametrize(
    ("line", "said"),
    [
        ('libraries = [""]', '“libraries” entry 1 is "": an empty path names no file or folder'),
        ('libraries = ["~/papers", "  "]', '“libraries” entry 2 is "  ": an empty path names no file'),
        ('libraries = ["~/papers", 3]', "“libraries” entry 2 must be a path in quotes, not 3"),
        ('libraries = [["~/papers"]]', "“libraries” entry 1 must be a path in quotes, not a list"),
        ('libraries = "~/papers"', '“libraries” must be a list of paths in quotes, not "~/papers"'),
    ],
    ids=["empty", "blank", "number", "nested", "not-a-list"],
)
def test_libraries_that_name_nothing_are_refused_by_value(tmp_path, line, said) -> None:
    path = write(tmp_path / "config.toml", f'theme = "nord"\n{line}\n')
    settings, problem = load_settings(path)
    assert settings == Settings(theme="nord")  # no library: the bundled corpus, not the current folder
    assert problem is not None and said in problem


def test_a_change_keeps_the_files_permissions(tmp_path) -> None:
    if os.name != "posix":
        pytest.skip("POSIX permissions")
    path = write(tmp_path / "config.toml", 'theme = "nord"\n')
    for mode in (0o600, 0o640):
        path.chmod(mode)
        save_settings({"sort": "title" if mode == 0o600 else "year"}, path)
        assert stat.S_IMODE(path.stat().st_mode) == mode


def test_a_symlinked_file_is_changed_through_the_link(tmp_path) -> None:
    if os.name != "posix":
        pytest.skip("symlinks need privileges elsewhere")
    target = write(tmp_path / "dotfiles" / "tuireader.toml", '# shared\ntheme = "nord"\n')
    link = tmp_path / "config" / "config.toml"
    link.parent.mkdir()
    link.symlink_to(target)
    save_settings({"sort": "year"}, link)
    assert link.is_symlink()
    assert target.read_text(encoding="utf-8") == '# shared\ntheme = "nord"\nsort = "year"\n'
    assert os.listdir(link.parent) == ["config.toml"] and os.listdir(target.parent) == ["tuireader.toml"]


def test_a_symlink_loop_is_reported_and_left_alone(tmp_path) -> None:
    if os.name != "posix":
        pytest.skip("symlinks need privileges elsewhere")
    path = tmp_path / "config.toml"
    path.symlink_to(path)
    settings, problem = load_settings(path)
    assert settings == Settings() and problem is not None and str(path) in problem
    with pytest.raises(SettingsNotSaved):
        save_settings({"sort": "year"}, path)
    assert path.is_symlink() and folder_listing(path) == ["config.toml"]


def test_a_byte_order_mark_is_read_and_kept(tmp_path) -> None:
    path = write(tmp_path / "config.toml", b'\xef\xbb\xbftheme = "nord"\n')
    assert load_settings(path) == (Settings(theme="nord"), None)
    save_settings({"sort": "year"}, path)
    assert path.read_bytes() == b'\xef\xbb\xbftheme = "nord"\nsort = "year"\n'


def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(tmp_path, monkeypatch) -> None:
    path = write(tmp_path / "config.toml", HAND_WRITTEN)

    def crash(self: Path, target: Path) -> Path:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "replace", crash)
    with pytest.raises(OSError, match="No space left"):
        save_settings({"sort": "year"}, path)
    monkeypatch.undo()
    assert path.read_text(encoding="utf-8") == HAND_WRITTEN
    assert folder_listing(path) == ["config.toml"]


def test_a_change_to_a_setting_that_does_not_exist_is_refused(tmp_path) -> None:
    path = write(tmp_path / "config.toml", HAND_WRITTEN)
    with pytest.raises(ValueError, match="no such setting: colour"):
        save_settings({"colour": "red"}, path)
    with pytest.raises(ValueError, match="“sort” must be one of"):
        save_settings({"sort": "sideways"}, path)
    assert path.read_text(encoding="utf-8") == HAND_WRITTEN


def test_the_command_line_reads_no_library_from_an_empty_entry(capsys) -> None:
    write(config_path(), 'libraries = [""]\n')
    assert corpus_paths(Namespace()) is None  # the bundled corpus, not the current folder
    said = capsys.readouterr().err
    assert str(config_path()) in said and '“libraries” entry 1 is ""' in said
