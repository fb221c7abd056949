"""Terminal output: colour, only when a person is watching.

Takes text and a stream; on a terminal (and without NO_COLOR) errors are red
and warnings yellow. Piped or redirected output stays plain, one message a line.
(The progress bar of long builds is progress.py.) Also the exit codes and the
say / shout / report_problems helpers every command prints with.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import TextIO

from jianbao.errors import Problem

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


EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2  # all went well / the content has errors / wrong command line


def say(text: str, *, quiet: bool = False, stream: TextIO | None = None) -> None:
    """Print a message for the user, on stdout unless told (suppressed by -q)."""
    if not quiet:
        print(text, file=stream or sys.stdout, flush=True)


def shout(text: str, colour: str = "red") -> None:
    """Print a message to stderr (in colour on a terminal)."""
    print(paint(text, colour, sys.stderr), file=sys.stderr, flush=True)


def report_problems(problems: Sequence[Problem]) -> None:
    """Each problem on its own line of stderr: errors red, warnings yellow."""
    for problem in problems:
        shout(str(problem), "red" if problem.severity == "error" else "yellow")
