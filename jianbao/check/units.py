"""An article's tree and its Markdown source → its units of prose, each with the source lines it came from.

The tree (the one the build renders) says what is prose and where it is:
each block, list item, table row and footnote carries its line in the file
(jianbao/markup/lines.py). A unit owns the source lines from its own line to
the next placed node's, up to a blank line; code, raw HTML and images are not
prose, so their lines are never read. The source lines give the columns the
safe fixes need.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from jianbao.check.rules import MASKED, Unit
from jianbao.tree import Node

# Spans that are not prose: code, links' targets, HTML tags, footnote marks, autolinks, URLs.
_MASK = re.compile(r"`+[^`]*`+|\]\([^)]*\)|<[^>\n]*>|\[\^[^\]]*\]|https?://\S+|www\.\S+|[\w.+-]+@[\w-]+\.[\w.]+")
# A line's Markdown block prefix: quote marks, a list marker, a heading's #s, a footnote's `[^1]:`.
_BLOCK_PREFIX = re.compile(r"^(\s*(?:>\s?)*)(\s*(?:[-*+]|\d+[.)])\s+|\s*#{1,6}\s+|\s*\[\^?[^\]]+\]:\s*)?")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_PARAGRAPHS = frozenset({"p", "blockquote"})
_HEADINGS = frozenset({"h3", "h4", "h5", "h6"})
_LINES = frozenset({"li", "tr", "figure"})


def mask(text: str) -> str:
    """Blank out spans that are not prose, keeping every column where it was."""
    return _MASK.sub(lambda m: MASKED * len(m.group(0)), text)


def placed_nodes(tree: Node) -> list[tuple[int, int, Node]]:
    """(line, depth, node) of every node that carries its own line, in document order."""
    found: list[tuple[int, int, Node]] = []

    def walk(node: Node, depth: int) -> None:
        if node.line:
            found.append((node.line, depth, node))
        for child in node.elements():
            walk(child, depth + 1)

    walk(tree, 0)
    return found


def prose_units(tree: Node, body: str, first_line: int) -> Iterator[Unit]:
    """The units of prose of an article body (`first_line`: the body's line in the file)."""
    lines = body.split("\n")
    owners: dict[int, Node] = {}
    for line, _depth, node in sorted(placed_nodes(tree), key=lambda found: (found[0], found[1])):
        owners[line] = node  # the deepest node on a line owns it (a list's first item, not the list)
    starts = sorted(owners)
    for index, start in enumerate(starts):
        node = owners[start]
        kind = "paragraph" if node.tag in _PARAGRAPHS else "line" if node.tag in _LINES else None
        kind = "heading" if node.tag in _HEADINGS else kind
        if kind is None:
            continue  # code, rules, a list or table as a whole: no prose of its own
        end = starts[index + 1] if index + 1 < len(starts) else first_line + len(lines)
        unit = _unit_lines(lines, first_line, start, end)
        if unit:
            yield Unit(tuple(unit), kind)


def _unit_lines(lines: list[str], first_line: int, start: int, end: int) -> list[tuple[int, int, str]]:
    """(line, prose column, masked text) of the prose lines from `start` up to `end` or a blank line."""
    unit: list[tuple[int, int, str]] = []
    fenced = False  # inside ``` … ```: the tree holds it as code
    for number in range(start, end):
        raw = lines[number - first_line] if 0 <= number - first_line < len(lines) else ""
        stripped = raw.strip()
        if not stripped:
            break
        if _FENCE.match(raw):
            fenced = not fenced
            continue
        if (
            fenced
            or stripped.startswith(("<", "!["))
            or raw.startswith(("    ", "\t"))
            or set(stripped) <= set("|-:= ")
        ):
            continue  # code, HTML, an image, an indented line, a table's or a heading's rule
        prefix = _BLOCK_PREFIX.match(raw)
        unit.append((number, prefix.end() if prefix else 0, mask(raw)))
    return unit
