"""Corpus text is data: control characters are shown, never sent to the terminal as commands."""

from __future__ import annotations

import re

_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    if code < 0x20:
        return chr(0x2400 + code)  # Unicode "control pictures": ESC shows as ␛
    if code == 0x7F:
        return "\u2421"
    return f"\\x{code:02x}"


def visible_controls(text: str) -> str:
    """`text` with every control character except tab and newline made visible and inert."""
    return _CONTROLS.sub(_visible, text)
