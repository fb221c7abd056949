"""Terminal output: colour, only when a person is watching.

Takes text and a stream; on a terminal (and without NO_COLOR) errors are red
and warnings yellow. Piped or redirected output stays plain, one message a line.
(The progress bar of long builds is progress.py.)
"""

from __future__ import annotations

import os
from typing import TextIO

_COLOURS = {"red": "31", "yellow": "33", "green": "32", "dim": "2"}


def is_terminal(stream: TextIO) -> bool:
    """True when `stream` is an interactive terminal."""
    return bool(getattr(stream, "isatty", lambda: False)())


def use_colour(stream: TextIO) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (no-color.org)."""
    return is_terminal(stream) and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


def paint(text: str, colour: str, stream: TextIO) -> str:
    """`text` in `colour` when `stream` shows colours, else unchanged."""
    if not use_colour(stream):
        return text
    return f"\033[{_COLOURS[colour]}m{text}\033[0m"
