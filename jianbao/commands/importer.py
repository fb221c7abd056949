"""A manuscript (.docx, .md, .txt) → one article in an issue folder, images beside it.

Word documents go through mammoth (docx → HTML) and markdownify (HTML →
Markdown); plain text is wrapped into the same HTML first, so every input
gets the same clean-up: the title moves into the front matter, Word headings
and Chinese-numbered paragraphs (一、 （一） 1. （1）) become `##`–`#####`
keeping their numbers, soft hyphens, manual line breaks, indentation spaces
and empty paragraphs go. Returns what was written and what could not be
converted; raises `UsageError` for a file it cannot read.
"""

from __future__ import annotations

import argparse
import html
import io
import itertools
import re
import signal
import threading
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import yaml
from bs4 import BeautifulSoup, NavigableString, Tag

from jianbao import disk
from jianbao.cli.console import EXIT_OK, say, shout
from jianbao.errors import UnreadableError, UsageError, display_path
from jianbao.files import write_atomic
from jianbao.text.chars import is_wide

# Word's own style names, and the Chinese names some templates carry.
STYLE_MAP = """
p[style-name='Title'] => h1:fresh
p[style-name='标题'] => h1:fresh
p[style-name='Subtitle'] => p.subtitle:fresh
p[style-name='副标题'] => p.subtitle:fresh
"""

IMAGE_TYPES = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "image/svg+xml": "svg"}
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")  # a regex: str.translate is slow
_INDENT = " \t\u3000\u00a0"
_CN = "[一二三四五六七八九十]+"
# Chinese numbering at the start of a paragraph → heading level (## is 1).
_MARKERS = (
    (1, re.compile(rf"^{_CN}\s*、")),
    (2, re.compile(rf"^[（(]\s*{_CN}\s*[）)]")),
    (3, re.compile(r"^\d{1,2}\s*[.．、](?!\d)")),
    (4, re.compile(r"^[（(]\s*\d{1,2}\s*[）)]")),
)
HEADING_MAX_CHARS = 40  # a numbered line longer than this is a paragraph, not a heading
# A manuscript's limits: no article's document.xml comes near these (a zip bomb does), nor does conversion time.
MB = 1024 * 1024
MAX_PART_BYTES = 50 * MB
MAX_DOCX_BYTES = 200 * MB  # images included
MAX_IMPORT_SECONDS = 60
# Placeholders that pass through markdownify untouched.
_FN_OPEN, _FN_CLOSE, _BREAK, _DOT = "\ue000", "\ue001", "\ue002", "\ue004"


@dataclass
class ImportResult:
    """What an import wrote, what it says about it, and what it lost."""

    written: list[Path] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)


@dataclass
class Manuscript:
    """A manuscript as HTML, with its images and what reading it lost."""

    html: str
    fallback_title: str = ""
    meta: dict[str, Any] = field(default_factory=dict)  # front matter of a .md manuscript
    images: dict[str, bytes] = field(default_factory=dict)
    lost: list[str] = field(default_factory=list)


@dataclass
class Article:
    """The converted article: front matter fields and Markdown body."""

    title: str
    subtitle: str
    body: str
    meta: dict[str, Any] = field(default_factory=dict)
    headings: int = 0
    tables: int = 0
    footnotes: int = 0
    lost: list[str] = field(default_factory=list)

    def text(self) -> str:
        """The .md file: front matter, a blank line, the body."""
        meta = {"title": self.title} | ({"subtitle": self.subtitle} if self.subtitle else {})
        meta |= {k: v for k, v in self.meta.items() if k not in meta}
        front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1_000_000)
        return f"---\n{front}---\n\n{self.body}"


# ---------------------------------------------------------------------------
# The command


def import_manuscript(
    source: Path, issue_folder: Path, name: str | None = None, replace: str | None = None
) -> ImportResult:
    """Convert `source` into a new article of the issue in `issue_folder` (or in place of `replace`)."""
    if not (issue_folder / "issue.yaml").is_file():
        raise UsageError(f"没有这一期：{display_path(issue_folder)}（先用 python build.py new 创建）")
    if not source.is_file():
        raise UsageError(f"找不到稿件文件：{source}")
    target = replaced_article(issue_folder, replace) if replace else article_path(issue_folder, name or source.stem)
    stem = re.sub(r"^\d+-", "", target.stem)
    reused = images_of(target) if replace else set()
    with time_limit(MAX_IMPORT_SECONDS, source):
        manuscript = read_manuscript(source, image_prefix(issue_folder / "images", [stem, target.stem], reused))
        article = convert(manuscript.html, manuscript.fallback_title)
    article.meta = manuscript.meta | {k: v for k, v in article.meta.items() if k not in manuscript.meta}
    if not article.title:
        article.title = source.stem
        article.lost.append(f"稿件里没有找到标题，暂用文件名“{source.stem}”，请修改 title:")
    result = ImportResult(lost=manuscript.lost + article.lost)
    for image, data in manuscript.images.items():
        write_atomic(issue_folder / "images" / image, data)
        result.written.append(issue_folder / "images" / image)
    write_atomic(target, article.text().encode())
    result.written.insert(0, target)
    result.summary = describe(article, manuscript, issue_folder, target)
    if replace:
        result.summary.append(f"已用新稿替换 {target.name}（文件名和顺序不变）")
    return result


def article_path(issue_folder: Path, name: str) -> Path:
    """`NN-name.md` after the issue's last article (an existing one is never overwritten)."""
    slug = re.sub(r'[\s\\/:*?"<>|]+', "-", name.strip()).strip("-.") or "article"
    if not re.match(r"^\d+-", slug):
        numbers = [int(m.group(1)) for p in issue_folder.glob("*.md") if (m := re.match(r"^(\d+)-", p.name))]
        slug = f"{max(numbers, default=0) + 1:02d}-{slug}"
    target = issue_folder / f"{slug}.md"
    if target.exists():
        raise UsageError(
            f"{display_path(target)} 已经存在；用 --name 换一个文件名，或用 --replace {target.name} 以新稿替换它"
        )
    return target


def replaced_article(issue_folder: Path, name: str) -> Path:
    """The existing article `--replace NAME` names (a file name in the issue folder, .md optional)."""
    file_name = name if name.endswith(".md") else f"{name}.md"
    target = issue_folder / file_name
    if "/" in name or "\\" in name or name.startswith(".") or not target.is_file():
        have = "、".join(sorted(p.name for p in issue_folder.glob("*.md"))) or "无"
        raise UsageError(f"本期没有文章 {file_name}，无法替换（本期的文章：{have}）")
    return target


def images_of(article: Path) -> set[str]:
    """The images/ files an article refers to (they may be overwritten when it is replaced)."""
    text = article.read_text(encoding="utf-8", errors="replace")
    return set(re.findall(r"images/([^)\s\"'>]+)", text))


def image_prefix(images: Path, candidates: list[str], reusable: set[str]) -> str:
    """The first of `candidates` (then `<last>-2`, `-3`…) whose `<prefix>-N.png` names no other article's image."""
    taken = {p.name for p in images.iterdir()} - reusable if images.is_dir() else set()
    for prefix in itertools.chain(candidates, (f"{candidates[-1]}-{n}" for n in itertools.count(2))):
        if not any(name.startswith(f"{prefix}-") for name in taken):
            return prefix
    raise AssertionError("unreachable")


def describe(article: Article, manuscript: Manuscript, issue_folder: Path, target: Path) -> list[str]:
    """Lines telling the editor what the article now holds."""
    counts = [f"{article.headings} 个小标题"]
    if article.tables:
        counts.append(f"{article.tables} 个表格")
    if manuscript.images:
        counts.append(f"{len(manuscript.images)} 张图片（在 images/ 中）")
    if article.footnotes:
        counts.append(f"{article.footnotes} 条脚注")
    lines = [f"标题：{article.title}", "，".join(counts)]
    try:
        order = yaml.safe_load((issue_folder / "issue.yaml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        order = None
    if isinstance(order, dict) and "articles" in order:
        lines.append(f"本期 issue.yaml 用 articles 指定了文章顺序，请把 {target.name} 加进去")
    return lines


# ---------------------------------------------------------------------------
# Reading


def read_manuscript(source: Path, image_stem: str) -> Manuscript:
    """Any supported file → HTML (Word through mammoth, text wrapped in <p>)."""
    kind = source.suffix.lower()
    try:  # stat'ed before it is opened, refused above the limit before a byte is read
        with disk.open_checked(source, disk.MANUSCRIPT) as file:
            head = file.read(8)
    except UnreadableError as exc:
        raise UsageError(f"{source.name}：{exc.reason}") from None
    if kind in (".doc", ".wps") or head.startswith(b"\xd0\xcf\x11\xe0"):
        raise UsageError(
            f"{source.name} 是旧版 Word 97-2003（.doc）或 WPS 格式，无法直接导入；"
            "请在 Word 或 WPS 中打开，“另存为” Word 文档（.docx）后再导入"
        )
    if kind == ".docx":
        return read_docx(source, image_stem)
    if kind in (".txt", ".md", ".markdown"):
        return read_text_file(source, markdown=kind != ".txt")
    raise UsageError(f"不支持的稿件格式：{source.name}（可导入 .docx、.md、.txt）")


def read_docx(source: Path, image_stem: str) -> Manuscript:
    """A .docx → HTML through mammoth, its images kept under stable names."""
    import mammoth

    images: dict[str, bytes] = {}
    lost: list[str] = []
    numbers = itertools.count(1)

    def save_image(image: Any) -> dict[str, str]:
        number = next(numbers)
        kind = IMAGE_TYPES.get(image.content_type)
        if kind is None:
            lost.append(f"第 {number} 张图片是 {image.content_type} 格式，网页和 PDF 都无法显示，请另存为 PNG 或 JPEG")
            return {}
        with image.open() as stream:
            data = stream.read()
        name = f"{image_stem}-{number}.{kind}"
        images[name] = data
        return {"src": f"images/{name}", "alt": image.alt_text or ""}

    try:
        with disk.open_checked(source, disk.MANUSCRIPT) as file, zipfile.ZipFile(file) as archive:
            check_part_sizes(archive, source)
            title = core_title(archive)
            lost += unsupported_parts(archive)
            data = squeeze_whitespace(archive)
        result = mammoth.convert_to_html(
            io.BytesIO(data), style_map=STYLE_MAP, convert_image=mammoth.images.img_element(save_image)
        )
    except UsageError:
        raise
    except Exception as exc:  # mammoth raises many kinds on a damaged file; all mean the same to an editor
        raise UsageError(
            f"无法读取 {source.name}：文件已损坏，或不是真正的 Word 文档（.docx）；请在 Word 中打开后重新保存再导入"
        ) from exc
    lost += [explain_message(m.message) for m in result.messages if m.type in ("warning", "error")]
    return Manuscript(result.value, title, images=images, lost=[m for m in lost if m])


def check_part_sizes(archive: zipfile.ZipFile, source: Path) -> None:
    """Refuse a .docx whose parts unpack to more than a manuscript ever holds (a zip bomb), before unpacking."""
    parts = archive.infolist()
    largest = max(parts, key=lambda part: part.file_size, default=None)
    total = sum(part.file_size for part in parts)
    if (largest is not None and largest.file_size > MAX_PART_BYTES) or total > MAX_DOCX_BYTES:
        raise UsageError(
            f"{source.name} 解压后过大（共 {total // MB} MB，其中 {largest.filename if largest else ''} "
            f"{(largest.file_size if largest else 0) // MB} MB；单个部分上限 {MAX_PART_BYTES // MB} MB，"
            f"总计上限 {MAX_DOCX_BYTES // MB} MB），不像是一篇稿件，不予导入；"
            "请在 Word 中打开，删去多余内容（或压缩图片）后另存再导入"
        )


class _Expired(BaseException):
    """The import's time is up."""


def squeeze_whitespace(archive: zipfile.ZipFile) -> bytes:
    """The .docx again, each run of whitespace in its XML parts made one space.

    The XML parser under mammoth (minidom) joins a long text by copying it once per 8 KB read:
    64 MB of spaces took minutes. Spaces run together mean one space in HTML and Markdown anyway.
    """
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as copy:
        for part in archive.infolist():
            data = archive.read(part)
            if part.filename.endswith((".xml", ".rels")):
                data = re.sub(rb"[ \t\r\n]{2,}", b" ", data)  # starts at a space and never fails after two
            copy.writestr(part.filename, data)
    return out.getvalue()


@contextmanager
def time_limit(seconds: int, source: Path) -> Iterator[None]:
    """Stop a conversion that runs longer than `seconds` (in the main thread; elsewhere no limit)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise _Expired  # not an Exception: no `except Exception` on the way may swallow it

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except _Expired:
        raise UsageError(
            f"导入 {source.name} 超过 {seconds} 秒仍未完成，已停止；稿件可能过大或结构异常，"
            "请在 Word 中打开后另存为新文件，或分成几篇导入"
        ) from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def core_title(archive: zipfile.ZipFile) -> str:
    """The document title from File → Properties (docProps/core.xml), if any."""
    try:
        root = ElementTree.fromstring(archive.read("docProps/core.xml"))
    except (KeyError, ElementTree.ParseError):
        return ""
    title = root.find("{http://purl.org/dc/elements/1.1/}title")
    return (title.text or "").strip() if title is not None else ""


_UNSUPPORTED = {
    b"<m:oMath": "公式（Word 公式编辑器内容）",
    b"<c:chart": "图表（Word/Excel 图表）",
    b"dgm:relIds": "SmartArt 图形",
    b"<w:commentReference": "批注",
}


def unsupported_parts(archive: zipfile.ZipFile) -> list[str]:
    """Kinds of content in the document that mammoth drops."""
    try:
        document = archive.read("word/document.xml")
    except KeyError:
        return []
    return [f"{label}已略去，请核对原稿" for marker, label in _UNSUPPORTED.items() if marker in document]


def explain_message(message: str) -> str:
    """One of mammoth's English warnings → a Chinese line (styles it merely ignored: nothing)."""
    if message.startswith(("Unrecognised paragraph style", "Unrecognised run style")):
        return ""  # the text is kept as a plain paragraph; nothing is lost
    return f"Word 转换提示：{message}"


def read_text_file(source: Path, *, markdown: bool) -> Manuscript:
    """A pasted .txt (one paragraph a line) or a .md → HTML paragraphs for the same clean-up."""
    try:
        data = disk.read_bounded(source, disk.MANUSCRIPT_TEXT)
    except UnreadableError as exc:
        raise UsageError(f"{source.name}：{exc.reason}") from None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise UsageError(f"{source.name} 不是 UTF-8 或 GBK 编码的文本，请另存为 UTF-8 后再导入")
    text = _INVISIBLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    if markdown:
        body, meta = markdown_to_html(text)
        return Manuscript(body, "", meta)
    paragraphs = [line.strip(_INDENT) for line in text.split("\n")]
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs if p)
    return Manuscript(body, "")


def markdown_to_html(text: str) -> tuple[str, dict[str, Any]]:
    """A Markdown manuscript → HTML (its title first) and its other front matter."""
    import markdown

    meta: dict[str, Any] = {}
    match = re.match(r"^---\n(.*?)\n---\n", text, re.S)
    if match:
        try:
            loaded = yaml.safe_load(match.group(1))
        except yaml.YAMLError as exc:
            raise UsageError(f"稿件开头的 YAML 信息有格式错误：{exc}") from None
        meta = loaded if isinstance(loaded, dict) else {}
        text = text[match.end() :]
    title = str(meta.pop("title", "") or "")
    lines = [line.lstrip("\u3000\u00a0").rstrip() for line in text.split("\n")]
    body = markdown.markdown("\n".join(lines), extensions=["tables", "footnotes", "sane_lists"])
    return (f"<h1>{html.escape(title)}</h1>" if title else "") + body, meta


# ---------------------------------------------------------------------------
# HTML → Markdown


def convert(source_html: str, fallback_title: str) -> Article:
    """Clean the manuscript's HTML and turn it into our Markdown."""
    soup = BeautifulSoup(source_html, "html.parser")
    lost: list[str] = []
    clean_text(soup)
    meta = remove_web_junk(soup)
    normalise_numbering(soup)
    footnotes = take_footnotes(soup)
    title, subtitle = take_title(soup, fallback_title)
    if author := take_author(soup):
        meta["author"] = author
    headings = mark_headings(soup, lost)
    tables = keep_complex_tables(soup, lost)
    body = to_markdown(soup, tables)
    notes = "".join(f"\n[^{n}]: {note_markdown(note)}" for n, note in enumerate(footnotes, 1))
    body = body + ("\n" + notes if notes else "")
    body = body.replace(_FN_OPEN, "[^").replace(_FN_CLOSE, "]")
    return Article(
        title,
        subtitle,
        body.strip() + "\n",
        headings=headings,
        tables=len(soup.find_all("table")) + len(tables),
        footnotes=len(footnotes),
        lost=lost,
        meta=meta,
    )


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
        text = paragraph.get_text("", strip=True).replace(_BREAK, " ")
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
    text = first.get_text("", strip=True).replace(_BREAK, " ").strip()
    for pattern in _AUTHOR_PATTERNS:
        if match := pattern.match(text):
            first.decompose()
            return re.sub(r"[ \u3000]+", " ", match.group(1)).strip()
    return ""


def note_markdown(note: Tag) -> str:
    """A footnote's body as one Markdown line."""
    return join_lines(to_markdown(BeautifulSoup(note.decode_contents(), "html.parser"), {}), " ", None)


def clean_text(soup: BeautifulSoup) -> None:
    """Drop invisible characters, indentation and empty paragraphs; mark manual line breaks."""
    for text in soup.find_all(string=True):
        cleaned = _INVISIBLE.sub("", text)
        if text.parent is not None and text.parent.name not in ("pre", "code"):
            # Runs of spaces mean one space in HTML: collapsed here, linearly, before markdownify's
            # whitespace patterns (quadratic on a long run) ever see them.
            cleaned = re.sub(r"[ \t]{2,}", " ", cleaned)
        if text.strip() and text.parent is not None and text.parent.name not in ("pre", "code"):
            cleaned = join_lines(cleaned, _BREAK, " \t")  # a line wrapped inside a paragraph
        if cleaned != text:
            text.replace_with(cleaned)
    for br in soup.find_all("br"):
        br.replace_with(_BREAK)
    for block in soup.find_all(["p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "td", "th"]):
        strings = [s for s in block.find_all(string=True) if s.strip(_INDENT + _BREAK)]
        if strings:
            first = NavigableString(strings[0].lstrip(_INDENT + _BREAK))
            strings[0].replace_with(first)
            last = first if len(strings) == 1 else strings[-1]
            last.replace_with(NavigableString(last.rstrip(_INDENT + _BREAK)))
        elif block.name == "p" and not block.find("img"):
            block.decompose()


def take_footnotes(soup: BeautifulSoup) -> list[Tag]:
    """Replace mammoth's note references by placeholders; return the notes' bodies in order."""
    notes: list[Tag] = []
    for ref in soup.select('a[id^="footnote-ref-"], a[id^="endnote-ref-"], a.footnote-ref'):
        target = soup.find(id=str(ref.get("href", "")).lstrip("#"))
        if not isinstance(target, Tag):
            continue
        for back in target.select('a[href^="#footnote-ref-"], a[href^="#endnote-ref-"], a.footnote-backref'):
            back.decompose()
        notes.append(target)
        holder = ref.parent if ref.parent is not None and ref.parent.name == "sup" else ref
        holder.replace_with(f"{_FN_OPEN}{len(notes)}{_FN_CLOSE}")
    for note in notes:
        note.extract()
        clean_text(note)  # type: ignore[arg-type]
    for listing in soup.select("ol, div.footnote"):
        if not listing.find(["li", "p"]):
            listing.decompose()
    return notes


def take_title(soup: BeautifulSoup, fallback: str) -> tuple[str, str]:
    """The leading heading (else the document's own title), and a 副标题 after it."""
    first = next((t for t in soup.children if isinstance(t, Tag)), None)
    title = fallback
    if first is not None and is_title(first):
        title = first.get_text("", strip=True).replace(_BREAK, "")
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
    text = text.strip(_INDENT)
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
        text = element.get_text("", strip=True).replace(_BREAK, "")
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
    for paragraph in soup.find_all("p"):
        first = next(iter(paragraph.find_all(string=True)), None)
        if first is not None and re.match(r"\d{1,2}\.\s", first):
            # "1. " opening a paragraph would make a Markdown list; it was text in the manuscript.
            first.replace_with(first.replace(".", _DOT, 1))
    return count


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
        kept[key] = str(table).replace(_BREAK, "<br>")
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


def to_markdown(soup: Tag, tables: dict[str, str]) -> str:
    """Cleaned HTML → Markdown text (markdownify, then our placeholders resolved)."""
    from markdownify import MarkdownConverter

    converter = MarkdownConverter(
        heading_style="ATX", bullets="-", table_infer_header=True, sub_symbol="<sub>", sup_symbol="<sup>"
    )
    text = converter.convert_soup(soup)
    text = re.sub(f"{_BREAK}+", lambda match: join_break(match, text), text)
    for key, table in tables.items():
        text = text.replace(key, f"\n\n{table}\n\n")
    text = text.replace(_DOT, "\\.")
    lines = [line.rstrip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def join_break(match: re.Match[str], text: str) -> str:
    """A manual line break inside a paragraph: nothing between Chinese characters, else a space.

    Only the run of breaks is matched, its neighbours read from `text`: linear however long the run.
    """
    before, after = text[match.start() - 1 : match.start()], text[match.end() : match.end() + 1]
    return "" if is_wide(before) or is_wide(after) or not before.strip() or not after.strip() else " "


def join_lines(text: str, glue: str, trailing: str | None) -> str:
    """Each line break, with the whitespace after it and the `trailing` characters before it (None: any
    whitespace), → `glue`. Linear in the length of `text`, unlike a regex that may start at every space
    of a long run of spaces (a .docx holding 64 MB of whitespace took minutes)."""
    parts = re.split(r"\n\s*", text)  # a match starts only at a line break: linear
    if len(parts) == 1:
        return text
    return glue.join([part.rstrip(trailing) for part in parts[:-1]] + [parts[-1]])


def run(args: argparse.Namespace) -> int:
    """`import`: convert one manuscript into the given issue and say what was written."""
    from jianbao.model import ISSUE_ID_RE

    issue = args.issue or newest_issue(args.content)
    if not ISSUE_ID_RE.match(issue):  # it names a folder: no path tricks
        raise UsageError(f"期号“{issue}”只能用小写字母、数字和连字符（如 2025-08）")
    result = import_manuscript(args.file, args.content / "issues" / issue, args.name, args.replace)
    if not args.issue:
        say(f"已导入到最新一期 {issue}（用 --issue 指定其他期）", quiet=args.quiet)
    for path in result.written:
        say(f"已写入 {display_path(path)}", quiet=args.quiet)
    for line in result.summary:
        say(f"  {line}", quiet=args.quiet)
    for line in result.lost:
        shout(f"未能转换：{line}", "yellow")
    return EXIT_OK


def newest_issue(content: Path) -> str:
    """The folder name of the issue with the latest date (then the highest name) under content/issues/."""
    found = []
    for folder in (content / "issues").glob("*/issue.yaml"):
        try:
            date = yaml.safe_load(disk.read_bounded(folder, disk.SETTINGS).decode("utf-8")).get("date")
        except (UnreadableError, UnicodeDecodeError, yaml.YAMLError, AttributeError):
            date = None
        found.append((str(date or ""), folder.parent.name))
    if not found:
        where = (content / "issues").resolve()
        raise UsageError(f"{where} 里还没有任何一期，请先运行 python build.py new，或用 --issue 指定期号")
    return max(found)[1]
