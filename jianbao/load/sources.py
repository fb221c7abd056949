"""Markdown and HTML source → what it points at: images, headings, code — one scanner for every stage.

Loading, the Markdown stage, `check` and the PDF stage all ask "which images
does this article show, on which line?" and "is this line inside fenced
code?". They ask here, so an image written as `![](a.png)` and one written
as `<img src="a.png">` meet the same rules (one list of image types) and
are copied to the site alike.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import PurePosixPath
from urllib.parse import unquote

# Image files an article may show: what both WeasyPrint and every intranet browser draw.
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".svg")
# HTML elements that never have content (no end tag).
VOID_TAGS = frozenset({"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"})

FENCE = re.compile(r"^ {0,3}(```|~~~)")
ATX_HEADING = re.compile(r"^ {0,3}#{1,6}\s")
MARKDOWN_IMAGE = re.compile(r"!\[[^\]\n]*\]\(\s*<?([^)\s>]+)")
_HTML_IMAGE = re.compile(r"<img\b[^>]*?\bsrc\s*=\s*[\"']?([^\"'\s>]+)", re.IGNORECASE)
_CODE = re.compile(r"^ {0,3}(```|~~~).*?(?:^ {0,3}\1[^\n]*$|\Z)|`+[^`\n]*`+", re.MULTILINE | re.DOTALL)


def is_wide(char: str) -> bool:
    """Whether `char` is a full-width (Chinese) character."""
    return bool(char) and unicodedata.east_asian_width(char) in "WF"


def prose_lines(source: str, first_line: int = 1) -> Iterator[tuple[int, str]]:
    """(file line, text) of every line outside fenced code."""
    fenced = False
    for offset, text in enumerate(source.splitlines()):
        if FENCE.match(text):
            fenced = not fenced
        elif not fenced:
            yield first_line + offset, text


def heading_lines(source: str, first_line: int = 1) -> list[int]:
    """File lines of ATX headings, in order."""
    return [line for line, text in prose_lines(source, first_line) if ATX_HEADING.match(text)]


def markdown_image_lines(source: str, first_line: int = 1) -> list[tuple[int, str]]:
    """(file line, src) of every Markdown image `![…](src)`, in order."""
    return [(line, m[1]) for line, text in prose_lines(source, first_line) for m in MARKDOWN_IMAGE.finditer(text)]


def image_refs(source: str, first_line: int = 1) -> list[tuple[int, str]]:
    """(file line, src) of every image as written, Markdown or raw `<img>`, in order.

    Code is blanked first (keeping line breaks): an image shown as an example is no image.
    """
    prose = _CODE.sub(lambda m: re.sub(r"[^\n]", " ", m[0]), source)
    found = [(m.start(), m[1]) for pattern in (MARKDOWN_IMAGE, _HTML_IMAGE) for m in pattern.finditer(prose)]
    return [(first_line + source.count("\n", 0, start), src) for start, src in sorted(found)]


class _ImageSources(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.sources: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            self.sources.extend(value or "" for name, value in attrs if name == "src")


def html_image_sources(html: str) -> list[str]:
    """Every `<img src>` in an HTML fragment, in order."""
    parser = _ImageSources()
    parser.feed(html)
    parser.close()
    return parser.sources


def line_of(source: str, needle: str, first_line: int = 1) -> int:
    """The line of `source` where `needle` (or its file name) first appears."""
    for candidate in (needle, unquote(needle), PurePosixPath(unquote(needle)).name):
        index = source.find(candidate) if candidate else -1
        if index >= 0:
            return first_line + source.count("\n", 0, index)
    return first_line
