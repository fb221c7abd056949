"""One article body (Markdown) laid out alone with print.css: no masthead, so
the text starts on the first line of page 1's grid and a test can fill a page
line by line."""

from __future__ import annotations

from pathlib import Path

from jianbao.markup.article import convert_markdown
from jianbao.pdf.engine import write_pdf
from jianbao.pdf.fonts import resolve_fonts

ROOT = Path(__file__).resolve().parent.parent


def full_lines(lines: int, char: str) -> str:
    """A paragraph of exactly `lines` full lines of `char` (28 a line, 2 of indent)."""
    return char * (26 + 28 * (lines - 1))


def body_html(source: str) -> str:
    """The print HTML of a page holding only the article body made from `source`."""
    body = convert_markdown(source, "a").html
    css = (ROOT / "layouts" / "print.css").as_uri()
    fonts = resolve_fonts(ROOT / "fonts").css()  # the font stacks, as every build puts them beside print.css
    return (
        f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><link rel="stylesheet" href="{css}">'
        f"<style>{fonts}</style></head>"
        f'<body><article class="article"><div class="body">{body}</div></article></body></html>'
    )


def body_pdf(source: str, path: Path) -> Path:
    """Lay out `body_html(source)` the way builds do and write it to `path`."""
    path.write_bytes(write_pdf(body_html(source), ROOT, [ROOT]))
    return path
