"""Library text is data: it is shown literally, never read as markup, actions or terminal commands.

Every piece of text that comes from a library (titles, names, venues, keys, notes, file names,
problems naming a file) reaches the screen through `literal` (a Rich `Text`, which Textual never
parses as markup); where only a string will do and nothing parses it (CLI output, notifications
with `markup=False`), through `visible_controls`; where an API reads every string as markup (the
command palette's help line), through `inert_markup`. All three make control characters visible,
so an `ESC ]…` in a title is shown as `␛]…` rather than sent to the terminal.
"""

from __future__ import annotations

import re

from rich.style import Style
from rich.text import Text

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


def literal(text: str, style: str | Style = "", *, no_wrap: bool | None = None, end: str = "\n") -> Text:
    """`text` as a Rich `Text` shown exactly as written: never markup, never a terminal command."""
    return Text(visible_controls(text), style=style, no_wrap=no_wrap, end=end)


def inert_markup(text: str) -> str:
    """`text` for a Textual API that insists on reading a string as content markup (the command
    palette's help line): controls made visible and every `[` escaped, so no tag can open.

    Textual's own `escape` leaves tags it does not expect alone (`[ @click=…]`, with a space, is
    still an action), hence escaping every bracket. Rich's console markup treats backslashes
    differently: this is for Textual's markup only.
    """
    return visible_controls(text).replace("[", "\\[")
