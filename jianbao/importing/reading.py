"""Reading a manuscript: a .docx, .md or .txt file → `Manuscript` (HTML, images, what was lost).

Word documents go through mammoth (docx → HTML) once their zip has been
checked (no part may unpack to more than a manuscript ever holds) and the
whitespace of their XML squeezed; plain text and Markdown are turned into
the same kind of HTML, so every input meets the same clean-up
(jianbao/importing/cleanup.py). Raises `UsageError` for a file it cannot
read; `time_limit` stops a conversion that runs too long.
"""

from __future__ import annotations

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

from jianbao import disk
from jianbao.errors import UnreadableError, UsageError
from jianbao.importing.marks import INDENT, INVISIBLE

# Word's own style names, and the Chinese names some templates carry.
STYLE_MAP = """
p[style-name='Title'] => h1:fresh
p[style-name='标题'] => h1:fresh
p[style-name='Subtitle'] => p.subtitle:fresh
p[style-name='副标题'] => p.subtitle:fresh
"""


IMAGE_TYPES = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "image/svg+xml": "svg"}


# A manuscript's limits: no article's document.xml comes near these (a zip bomb does), nor does conversion time.
MB = 1024 * 1024


MAX_PART_BYTES = 50 * MB


MAX_DOCX_BYTES = 200 * MB  # images included


MAX_IMPORT_SECONDS = 60


@dataclass
class Manuscript:
    """A manuscript as HTML, with its images and what reading it lost."""

    html: str
    fallback_title: str = ""
    meta: dict[str, Any] = field(default_factory=dict)  # front matter of a .md manuscript
    images: dict[str, bytes] = field(default_factory=dict)
    lost: list[str] = field(default_factory=list)


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
    text = INVISIBLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    if markdown:
        body, meta = markdown_to_html(text)
        return Manuscript(body, "", meta)
    paragraphs = [line.strip(INDENT) for line in text.split("\n")]
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
