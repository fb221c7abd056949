"""argparse's help formatter → one that says 用法： and lines its columns up in terminal columns.

The one reach into argparse's internals. argparse documents only the names
of its formatter classes, none of their methods; it measures and pads the
option column by characters, and a Chinese metavar (`--port 端口`) takes two
terminal columns per character, so the help column comes out ragged.
`Formatter` therefore overrides `add_usage` (for the prefix) and, to measure
in columns, `add_argument` and `_format_action`, reading the private
`_current_indent` and `_action_max_length` and calling the private
`_format_action_invocation`. `formatter_class()` checks those are still
there (verified on CPython 3.11); where one is missing, help is argparse's
own, merely with ragged columns. Canary: tests/test_cli_help.py
(`-m upgrade`), run it first on a new Python.
"""

from __future__ import annotations

import argparse
import unicodedata

# What `Formatter` uses of HelpFormatter beyond its name: (instance attribute, method) names.
PRIVATE_ATTRIBUTES = ("_current_indent", "_action_max_length")
PRIVATE_METHODS = ("_format_action", "_format_action_invocation")
PREFIX = "用法："


def columns(text: str) -> int:
    """How many terminal columns `text` takes (a Chinese character takes two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


class PlainFormatter(argparse.RawDescriptionHelpFormatter):
    """Help text with a Chinese "用法：" line (no reach into internals)."""

    def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[no-untyped-def]
        super().add_usage(usage, actions, groups, PREFIX if prefix is None else prefix)


class Formatter(PlainFormatter):
    """Help text with a Chinese "用法：" line, its columns aligned for Chinese metavars."""

    # argparse measures and pads by characters; a Chinese character takes two columns.
    def add_argument(self, action: argparse.Action) -> None:
        super().add_argument(action)
        if action.help is not argparse.SUPPRESS:
            width = self._current_indent + columns(self._format_action_invocation(action))
            self._action_max_length = max(self._action_max_length, width)

    def _format_action(self, action: argparse.Action) -> str:
        text = super()._format_action(action)
        head = " " * self._current_indent + self._format_action_invocation(action)
        wide = columns(head) - len(head)
        rest = text[len(head) :]
        if wide and text.startswith(head) and len(rest) - len(rest.lstrip(" ")) >= wide + 2:
            text = head + rest[wide:]
        return text


def internals_present() -> bool:
    """Whether this Python's argparse still has every private member `Formatter` uses."""
    formatter = argparse.RawDescriptionHelpFormatter("prog")
    attributes = all(isinstance(getattr(formatter, name, None), int) for name in PRIVATE_ATTRIBUTES)
    return attributes and all(callable(getattr(formatter, name, None)) for name in PRIVATE_METHODS)


def formatter_class() -> type[argparse.HelpFormatter]:
    """`Formatter` where argparse has what it needs, else `PlainFormatter`."""
    return Formatter if internals_present() else PlainFormatter
