"""Image sizes an editor asks for → one validated share of the 版心 on each image (part of the Markdown stage).

Two ways to ask, both giving `<img width="50%">` in the tree (the share of the
156 mm type area in print, of the text column on the web page):

- `![图1 说明](images/x.png){width=50%}` — Pandoc's attribute list right after
  the image. Read with Python-Markdown's own attribute-list scanner
  (`get_attrs_and_remainder`), but only here, after an image: its `attr_list`
  extension would also take a `{…}` ending any paragraph, heading or table
  cell as attributes, and Chinese text in braces would silently vanish.
  Full-width signs an input method types (`｛width＝50％｝`) mean the same.
- `<img src="images/x.png" width="50%">` in raw HTML, which Python-Markdown
  only stashes: an `<img>` tag standing alone in the stash becomes a real
  element here, so a paragraph holding only it becomes a figure with its
  caption (richtext.py), like a Markdown image.

A width in %, px (or a bare number: CSS pixels), mm, cm, in or pt becomes a
percentage; wider than the 版心 is scaled down to it, and anything unreadable
is dropped — each with a warning at the image's line. `height` is dropped (the
image keeps its proportions); print.css caps the height at a page's.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from xml.etree import ElementTree as etree  # noqa: N813 (Markdown's own spelling)

import markdown
from markdown import util
from markdown.extensions import Extension
from markdown.extensions.attr_list import get_attrs_and_remainder
from markdown.treeprocessors import Treeprocessor

from jianbao.markup.lines import SourceIndex, line_of, set_line
from jianbao.model import TYPE_AREA_WIDTH_PT
from jianbao.text.chars import ascii_forms

TYPE_AREA_MM = TYPE_AREA_WIDTH_PT * 25.4 / 72  # 156 mm
_MM_PER_UNIT = {"mm": 1.0, "cm": 10.0, "in": 25.4, "pt": 25.4 / 72, "px": 25.4 / 96, "": 25.4 / 96}
_LENGTH = re.compile(r"^\s*(\d+(?:\.\d+)?|\.\d+)\s*(%|mm|cm|in|pt|px)?\s*$", re.IGNORECASE)
# What the tree may carry: a share of the type area, 1–100 %, at most one decimal (sanitize.py checks it).
SHARE = re.compile(r"^(?:100|[1-9]\d?)(?:\.\d)?%$")
_ATTR_LIST = re.compile(r"^([ \t]*)\{:?[ ]*([^}\n]*?)[ ]*\}")
_PLACEHOLDER = re.compile(util.HTML_PLACEHOLDER % r"(\d+)")
_IMG_TAG = re.compile(r"^\s*<img\b[^<>]*>\s*$", re.IGNORECASE)
# Attributes of a raw `<img>` worth keeping (the sanitizer's allowlist has the last word).
_RAW_KEPT = ("src", "alt", "title", "width", "height")


def share_of(value: str) -> tuple[str | None, str | None]:
    """A width as written → (`50%`, None); (`100%`, why) when wider than the 版心; (None, why) when unreadable."""
    found = _LENGTH.match(ascii_forms(value))
    if found is None:
        return None, f"图片宽度“{value}”无法识别（应写成 50% 或 8cm 这样的宽度），已按原大小排"
    number, unit = float(found.group(1)), (found.group(2) or "").lower()
    percent = number if unit == "%" else number * _MM_PER_UNIT[unit] / TYPE_AREA_MM * 100
    if percent < 1:
        return None, f"图片宽度“{value}”太小（不到版心的 1%），已按原大小排"
    if percent > 100.05:
        return "100%", f"图片宽度“{value}”超过版心（{TYPE_AREA_MM:.0f} 毫米），已缩到版心宽度"
    return f"{round(percent, 1):g}%", None


class _OneTag(HTMLParser):
    """The attributes of the one start tag fed in."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.attrs: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.attrs = attrs


def raw_image(html: str) -> etree.Element | None:
    """A stashed raw-HTML string that is one `<img …>` tag → that image as an element, else None."""
    if not _IMG_TAG.match(html):
        return None
    parser = _OneTag()
    parser.feed(html.strip())
    parser.close()
    attrs = {name.lower(): value for name, value in parser.attrs if value is not None}
    return etree.Element("img", {name: attrs[name] for name in _RAW_KEPT if name in attrs})


class ImageSizes(Treeprocessor):
    """Give raw `<img>` tags a place in the tree, read `{width=…}` after images, and normalise every width."""

    def __init__(self, md: markdown.Markdown, index: SourceIndex):
        super().__init__(md)
        self.index = index
        self.warnings: list[tuple[int, str]] = []

    def run(self, root: etree.Element) -> None:
        line = self.index.first_line
        for parent in list(root.iter()):
            line = line_of(parent) or line
            self._unstash(parent)
            for image in parent.findall("img"):
                at = self._line(image.get("src") or "", line)
                self._attribute_list(image, at)
                self._normalise(image, at)
                if not line_of(parent) and parent.tag == "p":
                    set_line(parent, at)  # a paragraph that held only stashed HTML has no line yet

    def _line(self, src: str, line: int) -> int:
        """The file line naming `src`, from the enclosing block's line on (images of one block may span lines)."""
        found = self.index.find(src, line - self.index.first_line, whole=False) if src else None
        return line if found is None else self.index.first_line + found

    def _unstash(self, parent: etree.Element) -> None:
        """Put each raw `<img>` of this element's text, or of its children's tails, in the tree as an element."""
        for holder in reversed([None, *parent]):  # from the end: inserting keeps the earlier positions valid
            text = parent.text if holder is None else holder.tail
            if not text or not _PLACEHOLDER.search(text):
                continue
            kept, images = self._split(text)
            if not images:
                continue
            if holder is None:
                parent.text, at = kept, 0
            else:
                holder.tail, at = kept, list(parent).index(holder) + 1
            for offset, image in enumerate(images):
                parent.insert(at + offset, image)

    def _split(self, text: str) -> tuple[str, list[etree.Element]]:
        """A text with stash placeholders → the text before the first raw image, and the images (each with
        the text after it as its tail; other raw HTML stays stashed)."""
        pieces = _PLACEHOLDER.split(text)
        kept, images = pieces[0], []
        for number, tail in zip(pieces[1::2], pieces[2::2], strict=True):
            image = raw_image(str(self.md.htmlStash.rawHtmlBlocks[int(number)]))
            if image is not None:
                image.tail = tail
                images.append(image)
                continue
            restored = util.HTML_PLACEHOLDER % number + tail
            if images:
                images[-1].tail = (images[-1].tail or "") + restored
            else:
                kept += restored
        return kept, images

    def _attribute_list(self, image: etree.Element, line: int) -> None:
        """`{width=50%}` right after the image: its width taken, anything else warned of and dropped.

        Typed with a Chinese input method (`｛width＝50％｝`) it means the same; after a space, only when it
        names a width (`![图](a.png) {注}` keeps its words).
        """
        tail = image.tail or ""
        found = _ATTR_LIST.match(ascii_forms(tail[:200]))  # one character for one: positions hold
        if found is None:
            return
        attrs, remainder = get_attrs_and_remainder(found.group(2))
        if remainder or (found.group(1) and not any(name == "width" for name, _ in attrs)):
            return  # not an attribute list (a stray brace, braces in the text): the text stays as written
        image.tail = tail[found.end() :]
        for name, value in attrs:
            if name == "width" and value:
                image.set("width", value)
            else:
                shown = name if value is None else f"{name}={value}"
                shown = f".{value}" if name == "." else shown
                self.warnings.append((line, f"图片属性“{shown}”不起作用（只能写宽度，如 {{width=50%}}），已忽略"))

    def _normalise(self, image: etree.Element, line: int) -> None:
        """The image's width as a share of the 版心, or none; no height (its proportions stay)."""
        height = image.attrib.pop("height", None)
        width = image.attrib.pop("width", None)
        if width is None:
            if height is not None:
                self.warnings.append((line, "图片只写了高度，不起作用（要定大小请写宽度，如 width=50%），已按原大小排"))
            return
        share, problem = share_of(width)
        if problem:
            self.warnings.append((line, problem))
        if share is not None:
            image.set("width", share)


class ImagesExtension(Extension):
    """Registers `ImageSizes` for one article (its warnings are read after the conversion)."""

    def __init__(self, index: SourceIndex):
        super().__init__()
        self.index = index
        self.processor: ImageSizes | None = None

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Markdown's API)
        self.processor = ImageSizes(md, self.index)
        # After the inline patterns (20) made the images; before the figures (14) are made of them.
        md.treeprocessors.register(self.processor, "jianbao-image-sizes", 14.5)
