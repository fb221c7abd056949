"""An article's Markdown body → its tree (`ArticleBody`): numbered, sanitized, every block with its source line.

Python-Markdown parses the body with its `tables` and `footnotes` extensions;
our tree processors number the headings (headings.py), make figures, tables,
footnotes and lists (richtext.py) and note each block's line in the file
(lines.py). Raw HTML goes through the allowlist sanitizer (sanitize.py); the
result is parsed once into the frozen tree every later stage transforms.
"""

from __future__ import annotations

from collections.abc import Callable

import markdown

from jianbao.markup.headings import HeadingsExtension
from jianbao.markup.images import ImagesExtension
from jianbao.markup.lines import LINE_ATTRIBUTE, SourceLines
from jianbao.markup.richtext import EXTENSION_CONFIGS, Counts, RichTextExtension
from jianbao.markup.sanitize import sanitize
from jianbao.model import ArticleBody
from jianbao.tree import Node, parse_fragment


def convert_markdown(source: str, slug: str, first_line: int = 1, counts: Counts | None = None) -> ArticleBody:
    """Convert one article body; `first_line` is its line in the file.

    `counts` carries figure and table numbers across an issue's articles.
    """
    counts = counts if counts is not None else Counts()
    lines = SourceLines(source, first_line)
    headings = HeadingsExtension(slug)
    images = ImagesExtension(lines.index)
    rich = RichTextExtension(slug, counts, lines.index)
    converter = markdown.Markdown(
        extensions=["tables", "footnotes", "sane_lists", lines, headings, images, rich],
        extension_configs=EXTENSION_CONFIGS,
        output_format="html",
    )
    html = converter.convert(source)
    processor, sizes = headings.processor, images.processor
    assert processor is not None and sizes is not None
    return ArticleBody(
        tree=parse_fragment(sanitize(html), LINE_ATTRIBUTE),
        headings=tuple(processor.headings),
        warnings=tuple(sorted(processor.warnings + sizes.warnings)),
        # Every image asked for, before the sanitizer drops the unsafe ones: the loader refuses those by name.
        images=image_lines(parse_fragment(html, LINE_ATTRIBUTE), source, first_line),
    )


def image_lines(tree: Node, source: str, first_line: int) -> tuple[tuple[int, str], ...]:
    """(file line, src) of every image in the tree: the first line from its block's on that names it."""
    found: list[tuple[int, str]] = []

    def walk(node: Node, line: int) -> None:
        line = node.line or line
        src = node.get("src") if node.tag == "img" else None
        if src:
            found.append((_line_naming(source, first_line, line, src), src))
        for child in node.elements():
            walk(child, line)

    walk(tree, first_line)
    return tuple(found)


def _line_naming(source: str, first_line: int, line: int, src: str) -> int:
    """The first line at or after `line` that holds `src` (images in raw HTML blocks have no line of their own)."""
    lines = source.split("\n")
    for index in range(max(0, line - first_line), len(lines)):
        if src and src in lines[index]:
            return first_line + index
    for index, text in enumerate(lines):
        if src and src in text:
            return first_line + index
    return line


def issue_converter() -> Callable[[str, str, int], ArticleBody]:
    """A converter for one issue's articles, in order: figures and tables are numbered through the issue."""
    counts = Counts()

    def convert(source: str, slug: str, first_line: int) -> ArticleBody:
        return convert_markdown(source, slug, first_line, counts)

    return convert
