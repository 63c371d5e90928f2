"""Control characters: the one definition of which characters are not text.

An estate, a catalog or a command-line argument may carry control characters (an ESC
sequence that clears the terminal, a NUL that corrupts an XML file). Loaders refuse
them in documents; every writer of terminal lines, XML, HTML, Markdown, CSV or
calendar files passes user strings through :func:`printable` as a second guard.
"""

from __future__ import annotations

import re

# C0 controls except tab, line feed and carriage return; DEL; C1 controls.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# The same, without tab, line feed and carriage return either (for one-line fields).
_CONTROL_OR_BREAK = re.compile("[\x00-\x1f\x7f-\x9f]")


def first_control(text: str) -> int | None:
    """The index of the first control character in ``text`` (tab and line breaks
    are text), or None."""
    match = _CONTROL.search(text)
    return match.start() if match else None


def printable(text: str, one_line: bool = False) -> str:
    """``text`` without its control characters; with ``one_line``, tabs and line
    breaks become spaces too."""
    if one_line:
        return _CONTROL_OR_BREAK.sub(lambda m: " " if m.group() in "\t\n\r" else "", text)
    return _CONTROL.sub("", text)
