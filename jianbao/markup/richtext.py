"""Figures, tables and footnotes in an article body (part of the Markdown stage).

Takes the element tree Python-Markdown built (after its `tables` and
`footnotes` extensions ran) and returns it reshaped for both outputs:

- a paragraph holding only an image becomes `<figure>` with `图N …` below
  (the text from a `图1　…` / `图：…` paragraph right under it, else the alt text);
- a pipe table gets `表N …` as its `<caption>` (from a `表：…` / `表1　…`
  paragraph right above it), alignment as classes, and a wrapper the web page scrolls;
- each footnote call becomes `①` linking to the list at the article's end
  (web) and carries a copy of the note that the PDF floats to the bottom of
  the page (`float: footnote`), since WeasyPrint can only float an element
  that sits where the call is.

Figure and table numbers run through the whole issue, so the caller passes
where they start; footnote numbers restart per article. Ids are prefixed
with the article's slug so several articles can share one page.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree as etree  # noqa: N813 (Markdown's own spelling)

import markdown
from markdown.extensions import Extension
from markdown.extensions.footnotes import NBSP_PLACEHOLDER  # the no-break space before a back-link
from markdown.treeprocessors import Treeprocessor

from jianbao.markup.lines import SourceIndex, line_of, set_line
from jianbao.text.captions import FIGURE_CAPTION, TABLE_CAPTION, caption_text, without_number
from jianbao.text.chars import advance_ems
from jianbao.text.numbers import circled
from jianbao.text.spacing import drop_mixed_spaces

# Tables with at most this many rows (header included) are kept on one page:
# about four grid lines at 14 pt, so moving one wastes at most that much. A
# longer one breaks between rows with its header repeated; print.css keeps the
# caption, the header and the first two body rows together.
KEEP_WHOLE_ROWS = 4
# A first column whose longest cell is at most this many ems of 14 pt (about a
# third of the 版心) never wraps: names such as 汽车零部件 stay whole.
FIRST_COLUMN_EMS = 11


@dataclass
class Counts:
    """Figure and table numbers so far in the issue; updated while converting."""

    figures: int = 0
    tables: int = 0


def _only_child(element: etree.Element, tag: str) -> etree.Element | None:
    """The single `tag` child of `element` when nothing else (text included) is there."""
    children = list(element)
    if len(children) != 1 or children[0].tag != tag:
        return None
    if (element.text or "").strip() or (children[0].tail or "").strip():
        return None
    return children[0]


def caption_of(element: etree.Element | None, pattern: re.Pattern[str]) -> str | None:
    """The caption text of a plain paragraph typed as `表：…` / `图1　…` (`pattern`), else None."""
    if element is None or element.tag != "p" or len(element):
        return None
    return caption_text(element.text or "", pattern)


class Figures(Treeprocessor):
    """Turn image-only paragraphs into numbered figures."""

    def __init__(self, md: markdown.Markdown, slug: str, counts: Counts):
        super().__init__(md)
        self.slug, self.counts = slug, counts

    def run(self, root: etree.Element) -> None:
        for parent in list(root.iter()):
            children = list(parent)
            for index, paragraph in enumerate(children):
                only = _only_child(paragraph, "img") if paragraph.tag == "p" else None
                if only is not None:
                    after = children[index + 1] if index + 1 < len(children) else None
                    typed = caption_of(after, FIGURE_CAPTION)
                    if typed is not None and after is not None:  # `图1　…` typed under the picture
                        parent.remove(after)
                    self._make_figure(paragraph, only, typed)

    def _make_figure(self, paragraph: etree.Element, image: etree.Element, typed: str | None = None) -> None:
        self.counts.figures += 1
        number = self.counts.figures
        written = image.get("title") or image.get("alt") or ""
        # `![图1 说明](…)`: the number written is the to give, never printed twice.
        title = typed or without_number(written, FIGURE_CAPTION)
        image.attrib.pop("title", None)
        paragraph.tag = "figure"
        paragraph.set("class", "figure")
        paragraph.set("id", f"{self.slug}-fig{number}")
        caption = etree.SubElement(paragraph, "figcaption")
        caption.text = f"图{number}　{title}".rstrip()  # GB style: one full-width space


class Tables(Treeprocessor):
    """Number tables, take their `表：…` caption, mark alignment, wrap them."""

    def __init__(self, md: markdown.Markdown, slug: str, counts: Counts):
        super().__init__(md)
        self.slug, self.counts = slug, counts

    def run(self, root: etree.Element) -> None:
        for parent in list(root.iter()):
            children = list(parent)
            for index, table in enumerate(children):
                if table.tag == "table":
                    before = children[index - 1] if index else None
                    self._caption(parent, table, before)

    def _caption(self, parent: etree.Element, table: etree.Element, before: etree.Element | None) -> None:
        self.counts.tables += 1
        number = self.counts.tables
        title = caption_of(before, TABLE_CAPTION)
        if title is not None and before is not None:
            parent.remove(before)
        for cell in table.iter():
            align = cell.attrib.pop("align", None)
            if align in ("left", "center", "right"):
                cell.set("class", f"al-{align}")
        caption = etree.Element("caption")
        caption.text = f"表{number}　{title or ''}".rstrip()
        table.insert(0, caption)
        table.set("id", f"{self.slug}-tab{number}")
        _keep_first_column_whole(table)
        rows = sum(1 for row in table.iter("tr"))
        # A short table is kept whole in print; a long one breaks, header repeated.
        kind = "table-wrap table-keep" if rows <= KEEP_WHOLE_ROWS else "table-wrap"
        wrapper = etree.Element("div", {"class": kind})
        set_line(wrapper, line_of(table))
        wrapper.tail, table.tail = table.tail, None
        position = list(parent).index(table)
        parent.remove(table)
        wrapper.append(table)
        parent.insert(position, wrapper)


def _keep_first_column_whole(table: etree.Element) -> None:
    """Mark the first column's cells `nowrap` when its longest entry fits a third of the line.

    The table's column widths then come from the content: WeasyPrint's
    automatic layout gives the first column its names' full width and
    shares the rest among the other columns, whose headers wrap.
    """
    firsts = [row[0] for row in table.iter("tr") if len(row)]
    longest = max((sum(map(advance_ems, "".join(cell.itertext()))) for cell in firsts), default=0.0)
    if not firsts or longest > FIRST_COLUMN_EMS:
        return
    for cell in firsts:
        cell.set("class", f"{cell.get('class', '')} nowrap".strip())


class Footnotes(Treeprocessor):
    """Number footnotes ①②③ per article; copy each note beside its first call."""

    def __init__(self, md: markdown.Markdown, slug: str, index: SourceIndex):
        super().__init__(md)
        self.slug, self.index = slug, index

    def run(self, root: etree.Element) -> None:
        notes = next((div for div in root.iter("div") if div.get("class") == "footnote"), None)
        if notes is None:
            return
        numbers: dict[str, int] = {}
        items: dict[str, etree.Element] = {}
        for item in notes.iter("li"):
            key = item.get("id", "")
            numbers[key] = len(numbers) + 1
            items[key] = item
            self.place(item, key.removeprefix("fn:"))
        calls = self._number_calls(root, numbers, items)
        self._number_list(notes, numbers, calls)

    def place(self, item: etree.Element, label: str) -> None:
        """Note the line of the note's definition `[^label]:` on its list item."""
        found = self.index.find(f"[^{label}]:", 0, whole=False)
        if found is not None:
            set_line(item, self.index.first_line + found)

    def _number_calls(
        self, root: etree.Element, numbers: dict[str, int], items: dict[str, etree.Element]
    ) -> dict[str, str]:
        """Renumber the calls; returns Markdown's call ids → ours, for the back-links."""
        done: set[str] = set()
        calls: dict[str, str] = {}
        for parent in list(root.iter()):
            for sup in list(parent):
                link = sup.find("a") if sup.tag == "sup" else None
                if link is None or link.get("class") != "footnote-ref":
                    continue
                key = link.get("href", "").lstrip("#")
                number = numbers.get(key)
                if number is None:
                    continue
                first = key not in done
                done.add(key)
                new_id = f"{self.slug}-fnref{number}" if first else f"{self.slug}-fnref{number}-{len(calls) + 1}"
                calls[sup.get("id", "")] = new_id
                sup.set("class", "fn-ref fn-first" if first else "fn-ref")
                sup.set("id", new_id)
                link.attrib.pop("class")
                link.set("href", f"#{self.slug}-fn{number}")
                link.text = circled(number)
                if first:
                    position = list(parent).index(sup)
                    parent.insert(position + 1, self._print_copy(items[key], number, sup))
                    _keep_with_previous_character(parent, sup)
        return calls

    def _print_copy(self, item: etree.Element, number: int, sup: etree.Element) -> etree.Element:
        """The note's text as an inline span for the PDF's footnote area."""
        span = etree.Element("span", {"class": "fn-print"})
        span.text = circled(number)
        for paragraph in item.iter("p"):
            copied = copy.deepcopy(paragraph)
            for backlink in copied.findall("a"):
                if backlink.get("class") == "footnote-backref":
                    _remove_keeping_tail(copied, backlink)
            _append_text(span, copied.text)
            for child in copied:
                span.append(child)
        _strip_placeholder(span)
        span.tail, sup.tail = sup.tail, None
        return span

    def _number_list(self, notes: etree.Element, numbers: dict[str, int], calls: dict[str, str]) -> None:
        notes.set("class", "footnotes")
        for rule in notes.findall("hr"):
            notes.remove(rule)
        for item in notes.iter("li"):
            number = numbers[item.get("id", "")]
            item.set("id", f"{self.slug}-fn{number}")
            for backlink in item.iter("a"):
                if backlink.get("class") == "footnote-backref":
                    old = backlink.get("href", "").lstrip("#")
                    backlink.set("href", "#" + calls.get(old, f"{self.slug}-fnref{number}"))
                    backlink.set("title", "返回正文")
            first = item.find("p")
            if first is not None:
                marker = etree.Element("span", {"class": "fn-num"})
                marker.text = circled(number)
                marker.tail = first.text
                first.text = None
                first.insert(0, marker)


class Lists(Treeprocessor):
    """Mark each ordered list with the numbering level below its section's heading.

    Headings run 一、（一）1.（1）; a list takes the level under the nearest
    heading before it, but never 一、 or （一） (those read as headings):
    `list-l3` is 1. 2., `list-l4` （1）（2）, `list-l5` ①②. Nested lists go one deeper.
    An item's first paragraph is unwrapped so the number stays on the text's line.
    """

    def run(self, root: etree.Element) -> None:
        level = 0
        for element in list(root):
            heading = re.fullmatch(r"h-l(\d)", element.get("class", ""))
            if heading:
                level = int(heading.group(1))
            elif element.get("class") != "footnotes":
                for inner in element.iter():
                    if inner.tag in ("ol", "ul"):
                        self._mark(inner, max(level + 1, 3))

    def _mark(self, listing: etree.Element, level: int) -> None:
        if listing.get("class", "").startswith("list-"):
            return
        if listing.tag == "ol":
            listing.set("class", f"list-l{min(level, 5)}")
        else:
            listing.set("class", "list-bullets")
        for item in listing.findall("li"):
            first = item[0] if len(item) else None
            if first is not None and first.tag == "p" and not (item.text or "").strip():
                _unwrap_first(item, first)
            for child in item:
                if child.tag in ("ol", "ul"):
                    self._mark(child, level + 1 if listing.tag == "ol" else level)


def _keep_with_previous_character(parent: etree.Element, sup: etree.Element) -> None:
    """Wrap the character before a call, the call and its note copy in `<span class="fn-keep">`.

    CSS then keeps them on one line: ① may otherwise start a line, since
    line breaking treats it as an ideograph.
    """
    children = list(parent)
    index = children.index(sup)
    before = children[index - 1] if index else None
    text = (before.tail if before is not None else parent.text) or ""
    if not text or text[-1].isspace():
        return
    keep = etree.Element("span", {"class": "fn-keep"})
    keep.text = text[-1]
    if before is not None:
        before.tail = text[:-1]
    else:
        parent.text = text[:-1]
    note = children[index + 1]
    keep.tail, note.tail = note.tail, None
    parent.remove(sup)
    parent.remove(note)
    keep.extend([sup, note])
    parent.insert(index, keep)


def _unwrap_first(item: etree.Element, paragraph: etree.Element) -> None:
    """Replace an item's first paragraph by its content, so the marker shares its line."""
    inner = list(paragraph)
    item.text = paragraph.text
    if inner:
        inner[-1].tail = (inner[-1].tail or "") + (paragraph.tail or "")
    item.remove(paragraph)
    for index, child in enumerate(inner):
        item.insert(index, child)


def _append_text(element: etree.Element, text: str | None) -> None:
    """Append `text` after the last child of `element` (or to its text)."""
    if not text:
        return
    children = list(element)
    if children:
        children[-1].tail = (children[-1].tail or "") + text
    else:
        element.text = (element.text or "") + text


def _remove_keeping_tail(parent: etree.Element, child: etree.Element) -> None:
    """Remove `child` but keep the text that followed it."""
    children = list(parent)
    index = children.index(child)
    tail = child.tail
    parent.remove(child)
    if index:
        children[index - 1].tail = (children[index - 1].tail or "") + (tail or "")
    else:
        parent.text = (parent.text or "") + (tail or "")


def _strip_placeholder(element: etree.Element) -> None:
    """Drop the no-break-space placeholder Markdown puts before a back-link."""
    for node in element.iter():
        if node.text:
            node.text = node.text.replace(NBSP_PLACEHOLDER, "")
        if node.tail:
            node.tail = node.tail.replace(NBSP_PLACEHOLDER, "")


class Spacing(Treeprocessor):
    """Drop the spaces between Chinese and digits/Latin in every text node (code excepted)."""

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            if element.tag not in ("code", "pre") and element.text:
                element.text = drop_mixed_spaces(element.text)
            if element.tail:
                element.tail = drop_mixed_spaces(element.tail)


class RichTextExtension(Extension):
    """Registers the figure, table and footnote processors for one article."""

    def __init__(self, slug: str, counts: Counts, index: SourceIndex):
        super().__init__()
        self.slug, self.counts, self.index = slug, counts, index

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Markdown's API)
        # After "footnote-duplicate" and the heading numbers (15); before "prettify" (10).
        md.treeprocessors.register(Figures(md, self.slug, self.counts), "jianbao-figures", 14)
        md.treeprocessors.register(Tables(md, self.slug, self.counts), "jianbao-tables", 13)
        md.treeprocessors.register(Footnotes(md, self.slug, self.index), "jianbao-footnotes", 12)
        md.treeprocessors.register(Lists(md), "jianbao-lists", 11)
        md.treeprocessors.register(Spacing(md), "jianbao-spacing", 10.5)


# Configuration of Python-Markdown's own extensions that these processors rely on.
EXTENSION_CONFIGS: dict[str, dict[str, Any]] = {
    "tables": {"use_align_attribute": True},
    "footnotes": {"BACKLINK_TITLE": "返回正文", "SUPERSCRIPT_TEXT": "{}"},
}
