"""Body headings → numbered headings (part of the Markdown stage).

`##`…`#####` are levels 1–4 and get `一、` `（一）` `1.` `（1）`, counted per
article (jianbao/text/numbers.py); in HTML they become h3–h6 (h1 is the
masthead, h2 the article title). A heading that already carries its number
keeps it; a wrong one is a warning at the heading's own line. Line breaks
inside Chinese text are dropped here too, before anything reads the text.
"""

from __future__ import annotations

from xml.etree import ElementTree as etree  # noqa: N813 (Markdown's own spelling)

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from jianbao.markup.lines import line_of
from jianbao.model import Heading
from jianbao.text.numbers import (
    any_marker,
    heading_marker,
    heading_number_of_paragraph,
    marker_of_level,
    with_number_fixed,
)
from jianbao.text.spacing import join_cjk_lines


class NumberHeadings(Treeprocessor):
    """Number body headings, shift them below the article title, join CJK lines."""

    def __init__(self, md: markdown.Markdown, slug: str):
        super().__init__(md)
        self.slug = slug
        self.headings: list[Heading] = []
        self.warnings: list[tuple[int, str]] = []

    def run(self, root: etree.Element) -> None:
        counters = [0, 0, 0, 0, 0]
        top = set(root)
        for element in root.iter():
            if element.tag not in ("pre", "code") and element.text:
                element.text = join_cjk_lines(element.text)
            if element.tail:
                element.tail = join_cjk_lines(element.tail)
            if element.tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                self.number(element, counters)
            elif element.tag == "p" and element in top:
                self.count_paragraph(element, counters)

    def count_paragraph(self, paragraph: etree.Element, counters: list[int]) -> None:
        """A paragraph that reads as a level-1 heading typed without `## ` (`二、存在问题`): counted as one, so the
        headings after it are not all told they are wrong, and pointed out."""
        text = "".join(paragraph.itertext()).strip()
        marker = heading_number_of_paragraph(text)
        if marker is None:
            return
        counters[1] += 1
        for deeper in range(2, 5):
            counters[deeper] = 0
        self.warnings.append(
            (line_of(paragraph), f"标题编号“{marker}”开头的这一段像是漏写了“## ”的标题（其后的标题接着它编号）：{text}")
        )

    def number(self, element: etree.Element, counters: list[int]) -> None:
        """Give one heading its number (or check the one it has), its level class and its anchor."""
        line = line_of(element)
        level = int(element.tag[1]) - 1  # "##" is level 1
        _fix_typed_number(element)  # 一.总体 → 一、总体 (check's heading-number rule says so, and --fix writes it)
        text = "".join(element.itertext()).strip()
        if level < 1 or level > 4:
            self.warnings.append((line, f"标题层级不支持：“{text}”（正文标题只用 ## 到 #####）"))
            level = min(max(level, 1), 4)
        counters[level] += 1
        for deeper in range(level + 1, 5):
            counters[deeper] = 0
        expected = heading_marker(level, counters[level])
        given = marker_of_level(level, text)
        other = any_marker(text) if given is None else None
        if given is not None and given != expected:
            self.warnings.append((line, f"标题编号“{given}”应为“{expected}”：{text}"))
        elif other is not None:
            self.warnings.append((line, f"标题编号“{other}”与层级不符，应为“{expected}”：{text}"))
        elif given is None:
            element.text = expected + (element.text or "")
            text = expected + text
        anchor = f"{self.slug}-{len(self.headings) + 1}"
        element.tag = f"h{level + 2}"
        element.set("id", anchor)
        element.set("class", f"h-l{level}")
        self.headings.append(Heading(level=level, text=text, anchor=anchor))


def _fix_typed_number(heading: etree.Element) -> None:
    """A level-1 number typed another way at the start of a heading's text (`一.` `一 ` `一，`) made `一、`."""
    holder = heading if (heading.text or "").strip() or not len(heading) else heading[0]
    text = (holder.text or "").lstrip()
    fixed = with_number_fixed(text)
    if fixed != text:
        holder.text = fixed


class HeadingsExtension(Extension):
    """Registers `NumberHeadings` for one article."""

    def __init__(self, slug: str):
        super().__init__()
        self.processor: NumberHeadings | None = None
        self.slug = slug

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Markdown's API)
        self.processor = NumberHeadings(md, self.slug)
        # After "inline" (20) so the text is final; before "prettify" (10).
        md.treeprocessors.register(self.processor, "jianbao-chinese", 15)
