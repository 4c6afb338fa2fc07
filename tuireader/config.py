"""User settings in a small TOML file under the user config folder, a file users also edit by hand.

The file is the user's, so nothing in it is ever lost:

* Saving patches only the settings that changed, through tomlkit: every other key, value, comment,
  blank line and unknown table stays exactly as written. Before the new text is written it is
  parsed again and must mean the old file plus the changes, nothing else.
* A file that cannot be read or parsed is never written over. Loading falls back to the defaults
  and says so; every save reads the file again first and refuses while it is still damaged.
* A value of the wrong type costs only its own setting, which falls back to the default and is
  named in the message. The value stays in the file until that very setting is changed here.
* Writes are atomic: a temporary file beside the real one, synced, given the old file's
  permissions, then renamed over it. Through a symlink, the link's target is what is replaced,
  so a config kept in a dotfiles repository stays linked.
"""

from __future__ import annotations

import codecs
import json
import tomllib
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, replace
from datetime import date, time
from pathlib import Path
from typing import Any

import tomlkit
from platformdirs import user_config_path
from tomlkit.exceptions import TOMLKitError
from tomlkit.items import AoT, Table

from tuireader.atomic import write_atomically

SORT_KEYS = ("relevance", "year", "title", "author")


@dataclass(frozen=True, slots=True)
class Settings:
    theme: str = "textual-dark"
    sort: str = "relevance"
    show_facets: bool = True
    citation_style: str = "bibtex"
    libraries: tuple[str, ...] = ()
    merge_duplicates: bool = True  # one paper for the same work read from several entries


DEFAULTS = Settings()
NAMES = tuple(spec.name for spec in fields(Settings))


class SettingsNotSaved(OSError):
    """The settings file was left as it is, because writing it could lose what the user wrote.

    An OSError, so that a caller reporting failed writes reports this too.
    """


class _Unusable(Exception):
    """The file is there but could not be read or parsed; the message says why."""


def config_path() -> Path:
    return user_config_path("tuireader") / "config.toml"


# --- reading ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Contents:
    text: str
    data: dict[str, Any]
    byte_order_mark: bool = False


def _read(path: Path) -> _Contents | None:
    """What the file holds, None when there is no file; raises _Unusable when it cannot be used."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise _Unusable("it is a folder, not a file") from None
    except OSError as error:
        raise _Unusable(error.strerror or str(error)) from None
    # Some Windows editors start UTF-8 files with a byte order mark, which TOML parsers reject.
    byte_order_mark = raw.startswith(codecs.BOM_UTF8)
    try:
        text = raw.removeprefix(codecs.BOM_UTF8).decode("utf-8")
    except UnicodeDecodeError as error:
        raise _Unusable(f"it is not UTF-8 text (byte {error.start + 3 * byte_order_mark})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise _Unusable(f"it is not valid TOML: {error}") from None
    return _Contents(text, data, byte_order_mark)


def _shown(value: Any) -> str:
    """A value from the file as the message names it: strings quoted, containers by kind."""
    if isinstance(value, str):
        shown = json.dumps(value, ensure_ascii=False)
        return shown if len(shown) <= 60 else shown[:57] + '…"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def _checked(name: str, value: Any) -> Any:
    """`value` as the setting `name` holds it; ValueError naming the value when it cannot be."""
    default = getattr(DEFAULTS, name)
    if isinstance(default, tuple):
        return _checked_paths(name, value)
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise ValueError(f"“{name}” must be true or false, not {_shown(value)}")
        return value
    if not isinstance(value, str):
        raise ValueError(f"“{name}” must be a string in quotes, not {_shown(value)}")
    if name == "sort" and value not in SORT_KEYS:
        raise ValueError(f"“sort” must be one of {', '.join(SORT_KEYS)}, not {_shown(value)}")
    return value


def _checked_paths(name: str, value: Any) -> tuple[str, ...]:
    # The CLI and the reader open every entry as a library, and an empty path means the current
    # folder, so an entry that names nothing is refused rather than quietly read as ".".
    if not isinstance(value, list | tuple):
        raise ValueError(f"“{name}” must be a list of paths in quotes, not {_shown(value)}")
    for number, entry in enumerate(value, start=1):
        if not isinstance(entry, str):
            raise ValueError(f"“{name}” entry {number} must be a path in quotes, not {_shown(entry)}")
        if not entry.strip():
            raise ValueError(
                f"“{name}” entry {number} is {_shown(entry)}: an empty path names no file or folder"
            )
    return tuple(value)


def _settings_from(data: Mapping[str, Any]) -> tuple[Settings, dict[str, str]]:
    """The settings `data` holds, and why each setting that fell back to its default did."""
    values: dict[str, Any] = {}
    problems: dict[str, str] = {}
    for name in NAMES:
        if name in data:
            try:
                values[name] = _checked(name, data[name])
            except ValueError as error:
                problems[name] = str(error)
    return replace(DEFAULTS, **values), problems


def load_settings(path: Path | None = None) -> tuple[Settings, str | None]:
    """The settings, and a message for the user when the file could not be used as it is.

    A damaged file gives the defaults; a wrong value gives the default for that setting only.
    """
    path = path or config_path()
    try:
        contents = _read(path)
    except _Unusable as problem:
        return DEFAULTS, (
            f"The settings file {path} could not be read: {problem}. "
            "Using the default settings; settings will not be saved until the file is fixed."
        )
    if contents is None:
        return DEFAULTS, None
    settings, problems = _settings_from(contents.data)
    if not problems:
        return settings, None
    names = " and ".join(f"“{name}”" for name in problems)
    return settings, f"{path}: {'; '.join(problems.values())}. Using the default for {names}."


# --- writing ------------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _patch(changes: Settings | Mapping[str, Any], contents: _Contents | None) -> dict[str, Any]:
    """The settings to write: those that change what the file says."""
    data = contents.data if contents else {}
    if isinstance(changes, Settings):
        # Only what differs from what the file means now: a value the user wrote that could not be
        # used reads as its default, and stays unless that setting itself has changed.
        current, _ = _settings_from(data)
        wanted = {name: value for name, value in asdict(changes).items() if value != getattr(current, name)}
    else:
        unknown = sorted(set(changes) - set(NAMES))
        if unknown:
            raise ValueError(f"no such setting: {', '.join(unknown)}")
        wanted = {name: _checked(name, value) for name, value in changes.items()}
    return {
        name: _plain(value)
        for name, value in wanted.items()
        if name not in data or data[name] != _plain(value)
    }


def _edited(text: str, patch: Mapping[str, Any]) -> str:
    """`text` with `patch` applied. A key already there changes in place, keeping its comment; a new
    one goes right after the last top-level key, so that it does not land under a comment that
    introduces the table below (where tomlkit would put it)."""
    document = tomlkit.parse(text)
    anchors = [
        key.key
        for key, item in document.body
        if key is not None and not key.is_dotted() and not isinstance(item, Table | AoT)
    ]
    try:
        for name, value in patch.items():
            if name in document or not anchors:
                document[name] = value
            else:
                document._insert_after(anchors[-1], name, value)  # tomlkit has no public way
                anchors.append(name)
    except (AttributeError, LookupError, TypeError, ValueError, TOMLKitError):
        # Should that private method change: the same edit, with new keys where tomlkit puts them.
        document = tomlkit.parse(text)
        for name, value in patch.items():
            document[name] = value
    return document.as_string()


def _patched_text(path: Path, contents: _Contents | None, patch: Mapping[str, Any]) -> str:
    """The new text of the file, checked to mean exactly the old one with `patch` applied."""
    text = contents.text if contents else ""
    refused = f"{path} was left as it is"
    try:
        patched = _edited(text, patch)
        # Floats are compared as written, so that a `nan` somewhere still equals itself.
        meant = tomllib.loads(patched, parse_float=str)
        expected = {**tomllib.loads(text, parse_float=str), **patch}
    except (TOMLKitError, tomllib.TOMLDecodeError, ValueError) as error:
        raise SettingsNotSaved(f"{refused}: changing {', '.join(patch)} failed ({error})") from None
    if meant != expected:
        raise SettingsNotSaved(f"{refused}: changing {', '.join(patch)} would have changed other settings")
    return patched


def save_settings(changes: Settings | Mapping[str, Any], path: Path | None = None) -> None:
    """Write the settings that changed into the file, leaving everything else in it as it was.

    `changes` maps setting names to their new values (only those are written); given all the
    `Settings`, only those that differ from what the file means now are written. Raises
    SettingsNotSaved (an OSError) when the file cannot be read or parsed, OSError when it cannot be
    written, ValueError for an unknown setting or a wrong value in `changes`.
    """
    path = path or config_path()
    try:
        target = path.resolve()  # through a symlink, its target is rewritten and the link is kept
    except (OSError, RuntimeError):  # a symlink loop: reading it below says so
        target = path
    try:
        contents = _read(target)
    except _Unusable as problem:
        raise SettingsNotSaved(
            f"{path} could not be read ({problem}), so settings are not saved until the file is fixed"
        ) from None
    patch = _patch(changes, contents)
    if not patch:
        return
    text = _patched_text(path, contents, patch)
    byte_order_mark = codecs.BOM_UTF8 if contents and contents.byte_order_mark else b""
    write_atomically(target, byte_order_mark + text.encode("utf-8"))
