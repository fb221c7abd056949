"""Clean-up of a manuscript's HTML (BeautifulSoup, changed in place) before it becomes Markdown.

Invisible characters, indentation, manual line breaks and empty paragraphs
go; web-page furniture goes (a `来源：` is kept as the source); footnotes are
taken out and their calls replaced by placeholders; the title, 副标题 and
author line move out of the body; Word headings and Chinese-numbered short
paragraphs (一、 （一） 1. （1）) become <h2>–<h5> keeping their numbers;
tables a pipe table cannot hold are set aside as HTML.
"""

from __future__ import annotations

import re
from typing import Any

from bs4 import BeautifulSoup, NavigableString, Tag

from jianbao.importing.marks import BREAK, DOT, FN_CLOSE, FN_OPEN, INDENT, INVISIBLE, join_lines

_CN = "[一二三四五六七八九十]+"


# Chinese numbering at the start of a paragraph → heading level (## is 1).
_MARKERS = (
    (1, re.compile(rf"^{_CN}\s*、")),
    (2, re.compile(rf"^[（(]\s*{_CN}\s*[）)]")),
    (3, re.compile(r"^\d{1,2}\s*[.．、](?!\d)")),
    (4, re.compile(r"^[（(]\s*\d{1,2}\s*[）)]")),
)


HEADING_MAX_CHARS = 40  # a numbered line longer than this is a paragraph, not a heading


# Lines that web pages wrap around an article (documented in README “导入稿件”): dropped on import.
WEB_JUNK = (
    re.compile(r"^(?:信息)?来源[：:].*(?:发布(?:时间|日期)|时间)[：:]"),  # 来源：… 发布时间：…
    re.compile(r"^发布(?:时间|日期)[：:]"),
    re.compile(r"【\s*字[体号]\s*[：:]?\s*大\s*中\s*小\s*】"),  # 【字体：大 中 小】
    re.compile(r"^字[体号][：:]\s*大\s*中\s*小"),
    re.compile(r"^(?:责任编辑|编辑|审核|校对|责编)[：:]\s*\S{1,12}$"),
    re.compile(r"^分享到[：:]?"),
    re.compile(
        r"^(?:【\s*)?(?:打印(?:本页)?|关闭(?:窗口)?|返回顶部|收藏)(?:\s*】)?(?:\s*(?:【\s*)?(?:打印|关闭)\S*)*$"
    ),
    re.compile(r"^(?:浏览|阅读|点击)(?:次数|量)[：:]"),
    re.compile(r"^(?:上一篇|下一篇)[：:]"),
    re.compile(r"^扫一扫"),
)


_SOURCE_IN_JUNK = re.compile(r"^(?:信息)?来源[：:]\s*(.+?)\s+(?:发布(?:时间|日期)|时间)[：:]")


def remove_web_junk(soup: BeautifulSoup) -> dict[str, Any]:
    """Drop paragraphs that are web-page furniture (`WEB_JUNK`); keep a `来源：` as the `source:` field."""
    meta: dict[str, Any] = {}
    for paragraph in soup.find_all("p"):
        text = paragraph.get_text("", strip=True).replace(BREAK, " ")
        if any(pattern.search(text) for pattern in WEB_JUNK):
            if (found := _SOURCE_IN_JUNK.match(text)) and "source" not in meta:
                meta["source"] = found.group(1)
            paragraph.decompose()
    return meta


def normalise_numbering(soup: BeautifulSoup) -> None:
    """A typed full-width `1．` (or `１．`) opening a paragraph or heading → `1.`: the wide dot prints as a gap."""
    wide_digits = str.maketrans("０１２３４５６７８９", "0123456789")
    for block in soup.find_all(["p", "h1", "h2", "h3", "h4", "h5", "h6", "li"]):
        first = next(iter(block.find_all(string=True)), None)
        if first is not None and (match := re.match(r"^([0-9０-９]{1,2})\s*．\s*", first)):
            number = match.group(1).translate(wide_digits)
            first.replace_with(NavigableString(f"{number}." + first[match.end() :]))


# An author line under the title: `作者：张三`, `文/张三`, `省大数据中心课题组`, `省农科院 张丽华`.
_AUTHOR_PATTERNS = (
    re.compile(r"^(?:作者|撰稿|执笔|撰文|文)\s*[：:/／]\s*(.{2,40})$"),
    re.compile(r"^([\u4e00-\u9fff]{2,20}(?:课题组|调研组|研究组|编写组|写作组|联合课题组))$"),
    re.compile(
        r"^([\u4e00-\u9fff]{2,20}(?:院|局|中心|委员会|委|厅|部|所|办公室|办|大学|学院|学校|公司|研究会)"
        r"(?:[ \u3000]+[\u4e00-\u9fff·]{2,5})+)$"
    ),
)


def take_author(soup: BeautifulSoup) -> str:
    """The author line right under the title (and subtitle), removed from the body; "" if none."""
    first = next((t for t in soup.children if isinstance(t, Tag)), None)
    if first is None or first.name != "p" or first.find("img"):
        return ""
    text = first.get_text("", strip=True).replace(BREAK, " ").strip()
    for pattern in _AUTHOR_PATTERNS:
        if match := pattern.match(text):
            first.decompose()
            return re.sub(r"[ \u3000]+", " ", match.group(1)).strip()
    return ""


def clean_text(soup: BeautifulSoup) -> None:
    """Drop invisible characters, indentation and empty paragraphs; mark manual line breaks."""
    for text in soup.find_all(string=True):
        cleaned = INVISIBLE.sub("", text)
        if text.parent is not None and text.parent.name not in ("pre", "code"):
            # Runs of spaces mean one space in HTML: collapsed here, linearly, before markdownify's
            # whitespace patterns (quadratic on a long run) ever see them.
            cleaned = re.sub(r"[ \t]{2,}", " ", cleaned)
        if text.strip() and text.parent is not None and text.parent.name not in ("pre", "code"):
            cleaned = join_lines(cleaned, BREAK, " \t")  # a line wrapped inside a paragraph
        if cleaned != text:
            text.replace_with(cleaned)
    for br in soup.find_all("br"):
        br.replace_with(BREAK)
    for block in soup.find_all(["p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "td", "th"]):
        strings = [s for s in block.find_all(string=True) if s.strip(INDENT + BREAK)]
        if strings:
            first = NavigableString(strings[0].lstrip(INDENT + BREAK))
            strings[0].replace_with(first)
            last = first if len(strings) == 1 else strings[-1]
            last.replace_with(NavigableString(last.rstrip(INDENT + BREAK)))
        elif block.name == "p" and not block.find("img"):
            block.decompose()


def take_footnotes(soup: BeautifulSoup) -> list[Tag]:
    """Replace mammoth's note references by placeholders; return the notes' bodies in order (a note
    called twice keeps its number)."""
    notes: list[Tag] = []
    for ref in soup.select('a[id^="footnote-ref-"], a[id^="endnote-ref-"], a.footnote-ref'):
        target = soup.find(id=str(ref.get("href", "")).lstrip("#"))
        if not isinstance(target, Tag):
            continue
        for back in target.select('a[href^="#footnote-ref-"], a[href^="#endnote-ref-"], a.footnote-backref'):
            back.decompose()
        if not any(note is target for note in notes):
            notes.append(target)
        number = next(n for n, note in enumerate(notes, 1) if note is target)
        call_holder(ref).replace_with(f"{FN_OPEN}{number}{FN_CLOSE}")
    for note in notes:
        note.extract()
        clean_text(note)  # type: ignore[arg-type]
    for listing in soup.select("ol, div.footnote"):
        if not listing.find(["li", "p"]):
            listing.decompose()
    return notes


# What Word's direct formatting wraps around a note's reference (superscript, bold, a colour), read by mammoth.
_FORMATTING = frozenset({"sup", "span", "strong", "b", "em", "i", "u", "s"})


def call_holder(ref: Tag) -> Tag:
    """The outermost element around a note's reference that holds nothing else: mammoth's own `<sup>`, and
    the `<sup>` of a run the author also set superscript by hand (which would otherwise stay around the
    call and leave it raw HTML, printed as a placeholder)."""
    holder = ref
    while (parent := holder.parent) is not None and parent.name in _FORMATTING:
        others = [c for c in parent.contents if c is not holder and (isinstance(c, Tag) or str(c).strip())]
        if others:
            break
        holder = parent
    return holder


def take_title(soup: BeautifulSoup, fallback: str) -> tuple[str, str]:
    """The leading heading (else the document's own title), and a 副标题 after it."""
    first = next((t for t in soup.children if isinstance(t, Tag)), None)
    title = fallback
    if first is not None and is_title(first):
        title = first.get_text("", strip=True).replace(BREAK, "")
        first.decompose()
        first = next((t for t in soup.children if isinstance(t, Tag)), None)
    subtitle = ""
    if first is not None and first.name == "p":
        text = first.get_text(strip=True)
        if "subtitle" in (first.get("class") or []) or text.startswith("——"):
            subtitle = text if text.startswith("——") else f"——{text}"
            first.decompose()
    return title, subtitle


def is_title(element: Tag) -> bool:
    """A leading heading, or a short line that is not a sentence, is the article's title."""
    text = element.get_text("", strip=True)
    if not text or numbered_level(text) or element.find("img"):
        return False
    return bool(re.fullmatch(r"h[1-6]", element.name)) or (element.name == "p" and looks_like_heading(text))


def numbered_level(text: str) -> int:
    """The heading level a Chinese number at the start of `text` stands for (0: none)."""
    text = text.strip(INDENT)
    return next((level for level, pattern in _MARKERS if pattern.match(text)), 0)


def looks_like_heading(text: str) -> bool:
    """A numbered line is a heading when it is short and not a sentence."""
    body = text.rstrip("：:")
    return len(text) <= HEADING_MAX_CHARS and not re.search(r"[。！？；]", body)


def mark_headings(soup: BeautifulSoup, lost: list[str]) -> int:
    """Word headings and numbered short paragraphs → <h2>–<h5> (## to #####)."""
    word_levels = [int(h.name[1]) for h in soup.find_all(re.compile(r"^h[1-6]$"))]
    shallowest = min(word_levels, default=1)
    paragraphs = soup.find_all("p")
    numbered = any(
        numbered_level(text) and looks_like_heading(text) for text in (p.get_text("", strip=True) for p in paragraphs)
    )
    # Without Word headings or numbered lines, a bold one-line paragraph is how the author marked a heading.
    bold_headings = not word_levels and not numbered
    count = 0
    for element in soup.find_all(["h1", "h2", "h3", "h4", "h5", "h6", "p"]):
        text = element.get_text("", strip=True).replace(BREAK, "")
        level = numbered_level(text)
        if element.name == "p":
            if bold_headings and not level and is_bold_line(element, text):
                level = 1
            if not level or not looks_like_heading(text) or element.find("img"):
                continue
        elif not level:
            level = int(element.name[1]) - shallowest + 1
            if level > 4:
                lost.append(f"标题“{text}”层级超过四级，已按第四级处理")
                level = 4
        element.clear()
        element.append(text)
        element.name = f"h{level + 1}"
        element.attrs = {}
        count += 1
    escape_list_markers(soup)
    return count


def escape_list_markers(soup: BeautifulSoup) -> None:
    """A paragraph opening with "1. " would become a Markdown list; it was text in the manuscript."""
    for paragraph in soup.find_all("p"):
        first = next(iter(paragraph.find_all(string=True)), None)
        if first is not None and re.match(r"\d{1,2}\.\s", first):
            first.replace_with(first.replace(".", DOT, 1))


def is_bold_line(paragraph: Tag, text: str) -> bool:
    """A short paragraph whose every character is bold, ending without a full stop."""
    bold = "".join(b.get_text("", strip=True) for b in paragraph.find_all(["strong", "b"], recursive=False))
    return bool(text) and bold == text and looks_like_heading(text) and not text.endswith(("。", "."))


def keep_complex_tables(soup: BeautifulSoup, lost: list[str]) -> dict[str, str]:
    """Tables a pipe table cannot hold stay HTML (replaced by placeholders); say so."""
    kept: dict[str, str] = {}
    for number, table in enumerate(soup.find_all("table"), 1):
        reason = table_problem(table)
        if reason is None:
            for cell in table.find_all(["td", "th"]):
                for text in cell.find_all(string=True):
                    text.replace_with(text.replace("|", "\\|"))
            continue
        for paragraph in table.find_all("p"):
            paragraph.unwrap()
        key = f"\ue003{number}\ue003"
        kept[key] = str(table).replace(BREAK, "<br>")
        table.replace_with(key)
        lost.append(f"第 {number} 个表格{reason}，无法写成 Markdown 表格，已保留为 HTML 表格，请在预览中核对")
    return kept


def table_problem(table: Tag) -> str | None:
    """Why `table` cannot be a pipe table, or None."""
    if table.find("table"):
        return "里套着表格"
    cells = table.find_all(["td", "th"])
    if any(cell.get("colspan", "1") != "1" or cell.get("rowspan", "1") != "1" for cell in cells):
        return "有合并单元格"
    if any(len(cell.find_all(["p", "li"])) > 1 or cell.find(["img", "ul", "ol"]) for cell in cells):
        return "的单元格里有多段文字、列表或图片"
    return None
