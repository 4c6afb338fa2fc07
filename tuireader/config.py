"""User settings in a small TOML file under the user config folder.

A damaged file never stops the reader: it falls back to the defaults and says why.
"""

from __future__ import annotations

import json
import os
import tomllib
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

from platformdirs import user_config_path

SORT_KEYS = ("relevance", "year", "title", "author")


@dataclass(frozen=True, slots=True)
class Settings:
    theme: str = "textual-dark"
    sort: str = "relevance"
    show_facets: bool = True
    citation_style: str = "bibtex"
    libraries: tuple[str, ...] = ()


def config_path() -> Path:
    return user_config_path("tuireader") / "config.toml"


def _coerce(name: str, value: Any, default: Any) -> Any:
    if isinstance(default, tuple):
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise ValueError(f"“{name}” must be a list of strings")
        return tuple(value)
    if not isinstance(value, type(default)):
        raise ValueError(f"“{name}” must be a {type(default).__name__}")
    if name == "sort" and value not in SORT_KEYS:
        raise ValueError(f"“sort” must be one of {', '.join(SORT_KEYS)}")
    return value


def load_settings(path: Path | None = None) -> tuple[Settings, str | None]:
    """The settings, and a message when the file could not be used (defaults are returned then)."""
    path = path or config_path()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Settings(), None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        return Settings(), f"{path}: unreadable settings ({error}); using defaults"
    defaults = Settings()
    known = {spec.name for spec in fields(Settings)}
    values: dict[str, Any] = {}
    for name, value in data.items():
        if name not in known:
            continue
        try:
            values[name] = _coerce(name, value, getattr(defaults, name))
        except ValueError as error:
            return defaults, f"{path}: {error}; using defaults"
    return replace(defaults, **values), None


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    return json.dumps(value)  # a JSON string is a valid TOML basic string


def save_settings(settings: Settings, path: Path | None = None) -> None:
    """Write atomically, so a crash mid-write leaves the previous file intact."""
    path = path or config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [f"{name} = {_toml_value(value)}" for name, value in asdict(settings).items()]
    temporary = path.with_suffix(f".tmp{os.getpid()}")
    temporary.write_text("\n".join(lines) + "\n", encoding="utf-8")
    temporary.replace(path)
