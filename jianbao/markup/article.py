"""An article's Markdown body → a numbered, sanitized HTML fragment.

Body headings `##`…`#####` are levels 1–4 and get `一、` `（一）` `1.` `（1）`,
counted per article; in HTML they become h3–h6 (h1 is the masthead, h2 the
article title). Line breaks inside a paragraph between Chinese characters
are removed rather than turned into spaces. Raw HTML goes through an
allowlist sanitizer, so the same safe fragment feeds the web page and the PDF.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from xml.etree import ElementTree as etree  # noqa: N813 (Markdown's own spelling)

import markdown
import nh3
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from jianbao.load.sources import heading_lines, is_wide, markdown_image_lines
from jianbao.markup.richtext import EXTENSION_CONFIGS, Counts, RichTextExtension
from jianbao.model import Heading

_CN_DIGITS = "零一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十 (enough for any bulletin)."""
    if n < 10:
        return _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    if n >= 100:
        return str(n)
    head = "" if tens == 1 else _CN_DIGITS[tens]
    return head + "十" + (_CN_DIGITS[ones] if ones else "")


def heading_marker(level: int, n: int) -> str:
    """The number printed before a heading of `level` (1–4)."""
    cn = chinese_numeral(n)
    return {1: f"{cn}、", 2: f"（{cn}）", 3: f"{n}.", 4: f"（{n}）"}[level]


# A heading that already carries its number: group 1 is the number itself.
_CN = "[一二三四五六七八九十百零]+"
_EXISTING = {
    1: re.compile(rf"^\s*({_CN})\s*、\s*"),
    2: re.compile(rf"^\s*[（(]\s*({_CN})\s*[）)]\s*"),
    3: re.compile(r"^\s*(\d+)\s*[.．、]\s*"),
    4: re.compile(r"^\s*[（(]\s*(\d+)\s*[）)]\s*"),
}
_ANY_MARKER = re.compile(rf"^\s*(?:{_CN}\s*、|[（(]\s*(?:{_CN}|\d+)\s*[）)]|\d+\s*[.．、])\s*")


@dataclass(frozen=True)
class Fragment:
    """What the Markdown stage returns for one article."""

    html: str
    headings: tuple[Heading, ...]
    warnings: tuple[tuple[int, str], ...]  # (line in the body, message)
    images: tuple[tuple[int, str], ...] = ()  # (line in the file, src) of every image


_SOFT_BREAK = re.compile(r"(\S?)[ \t]*\n[ \t]*(\S?)")


def join_cjk_lines(text: str) -> str:
    """Drop a line break next to a Chinese character instead of making it a space."""

    def join(match: re.Match[str]) -> str:
        before, after = match.group(1), match.group(2)
        if (before and is_wide(before)) or (after and is_wide(after)):
            return before + after
        return match.group(0)

    return _SOFT_BREAK.sub(join, text)


class _ChineseText(Treeprocessor):
    """Number body headings, shift them below the article title, join CJK lines."""

    def __init__(self, md: markdown.Markdown, slug: str, heading_lines: list[int]):
        super().__init__(md)
        self.slug = slug
        self.heading_lines = heading_lines
        self.headings: list[Heading] = []
        self.warnings: list[tuple[int, str]] = []

    def run(self, root: etree.Element) -> None:
        counters = [0, 0, 0, 0, 0]
        seen = 0
        for element in root.iter():
            if element.tag not in ("pre", "code") and element.text:
                element.text = join_cjk_lines(element.text)
            if element.tail:
                element.tail = join_cjk_lines(element.tail)
            if element.tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                line = self.heading_lines[seen] if seen < len(self.heading_lines) else 0
                seen += 1
                self._number(element, counters, line)

    def _number(self, element: etree.Element, counters: list[int], line: int) -> None:
        level = int(element.tag[1]) - 1  # "##" is level 1
        text = "".join(element.itertext()).strip()
        if level < 1 or level > 4:
            self.warnings.append((line, f"标题层级不支持：“{text}”（正文标题只用 ## 到 #####）"))
            level = min(max(level, 1), 4)
        counters[level] += 1
        for deeper in range(level + 1, 5):
            counters[deeper] = 0
        expected = heading_marker(level, counters[level])
        found = _EXISTING[level].match(text)
        if found:
            given = _normalise_marker(found.group(0))
            if given != expected:
                self.warnings.append((line, f"标题编号“{given}”应为“{expected}”：{text}"))
        elif _ANY_MARKER.match(text):
            marker = _normalise_marker(_ANY_MARKER.match(text).group(0))  # type: ignore[union-attr]
            self.warnings.append((line, f"标题编号“{marker}”与层级不符，应为“{expected}”：{text}"))
        else:
            element.text = expected + (element.text or "")
            text = expected + text
        anchor = f"{self.slug}-{len(self.headings) + 1}"
        element.tag = f"h{level + 2}"
        element.set("id", anchor)
        element.set("class", f"h-l{level}")
        self.headings.append(Heading(level=level, text=text, anchor=anchor))


def _normalise_marker(marker: str) -> str:
    return re.sub(r"\s+", "", marker).replace("(", "（").replace(")", "）").replace("．", ".")


class _ChineseTextExtension(Extension):
    def __init__(self, processor_args: dict[str, object]):
        super().__init__()
        self.processor_args = processor_args
        self.processor: _ChineseText | None = None

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Markdown's API)
        self.processor = _ChineseText(md, **self.processor_args)  # type: ignore[arg-type]
        # After "inline" (20) so the text is final; before "prettify" (10).
        md.treeprocessors.register(self.processor, "jianbao-chinese", 15)


_ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "s",
    "del",
    "sub",
    "sup",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "img",
    "figure",
    "figcaption",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "caption",
    "div",
    "span",
}
_ALLOWED_ATTRIBUTES = {
    "*": {"id", "class"},
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"align", "colspan", "rowspan"},
    "td": {"align", "colspan", "rowspan"},
    "ol": {"start"},
}


_LINK_TARGET = re.compile(r"^(?:#|https?://|mailto:)", re.IGNORECASE)


def _keep_attribute(tag: str, name: str, value: str) -> str | None:
    """Links go to an anchor or a full URL; a relative path would become a file: link in the PDF."""
    if tag == "a" and name == "href" and not _LINK_TARGET.match(value.strip()):
        return None
    return value


def sanitize(html: str) -> str:
    """Keep only the tags and attributes an article may use; no scripts, no styles."""
    return nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        strip_comments=True,
        attribute_filter=_keep_attribute,
    )


def render_markdown(source: str, slug: str, first_line: int = 1, counts: Counts | None = None) -> Fragment:
    """Convert one article body; `first_line` is its line in the file.

    `counts` carries figure and table numbers across an issue's articles.
    """
    counts = counts if counts is not None else Counts()
    extension = _ChineseTextExtension({"slug": slug, "heading_lines": heading_lines(source, first_line)})
    converter = markdown.Markdown(
        extensions=["tables", "footnotes", "sane_lists", extension, RichTextExtension(slug, counts)],
        extension_configs=EXTENSION_CONFIGS,
        output_format="html",
    )
    seen = len(counts.images)
    html = sanitize(converter.convert(source))
    processor = extension.processor
    assert processor is not None
    lines = markdown_image_lines(source, first_line)
    images = tuple(
        (lines[index][0] if index < len(lines) else first_line, src) for index, src in enumerate(counts.images[seen:])
    )
    return Fragment(html=html, headings=tuple(processor.headings), warnings=tuple(processor.warnings), images=images)
