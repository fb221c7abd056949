"""Untrusted names and files → a verdict (a Chinese message, or None when safe).

The content stage asks these questions before it reads anything an editor
named: is this file name plain, does this path stay inside its folder once
symlinks are followed, is this image small enough to decode, is this SVG free
of entities and external references. The PDF stage asks the same questions
again for every resource WeasyPrint wants, so a trick that slips past one
check still meets the other.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from jianbao import disk
from jianbao.errors import UnreadableError, display_path
from jianbao.tree import VOID_TAGS, Node

# Image files an article may show: what both WeasyPrint and every intranet browser draw.
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".svg")

MAX_IMAGE_PIXELS = 40_000_000  # 40 megapixels: A4 at 600 dpi is ~35 million
MAX_ELEMENTS = 5_000  # per article: ~40 pages of paragraphs; layout time grows with boxes
MAX_HEADINGS = 300
MAX_DEPTH = 40  # nested lists/quotes; WeasyPrint lays out boxes recursively

_DRIVE = re.compile(r"^[A-Za-z]:")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def inside(path: Path, root: Path) -> bool:
    """Whether `path`, with every symlink followed, lies inside `root`."""
    try:
        return path.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError, ValueError):  # symlink loops, NUL bytes
        return False


def check_file_name(name: str) -> str | None:
    """A bare file name (no folders, no tricks), or why not."""
    if "\0" in name or any(ord(c) < 32 for c in name):
        return "含有控制字符"
    if "/" in name or "\\" in name or _DRIVE.match(name) or name in (".", ".."):
        return "只能是文件名，不能带文件夹或盘符"
    if name.startswith("."):
        return "不能以“.”开头"
    return None


def check_relative_path(text: str) -> str | None:
    """A relative path that stays below its folder (`images/a.png`), or why not."""
    if "\0" in text or any(ord(c) < 32 for c in text):
        return "含有控制字符"
    if _SCHEME.match(text) and not _DRIVE.match(text):
        return "不能是网址，只能是本期文件夹中的文件"
    if text.startswith(("/", "\\")) or _DRIVE.match(text):
        return "不能是绝对路径，只能是相对于本期文件夹的路径"
    if "\\" in text:
        return "请用“/”分隔文件夹"
    if ".." in PurePosixPath(text).parts:
        return "不能用“..”跳出本期文件夹"
    return None


def resolve_image_src(src: str, folder: Path) -> tuple[Path | None, str | None]:
    """An image `src` from an article → its file in `folder`, or why it is refused."""
    if src.lower().startswith("data:"):
        return None, "不能内嵌 data: 数据，请把图片存为本期文件夹中的文件"
    parts = urlsplit(src)
    if _DRIVE.match(src) or src.startswith(("/", "\\")):
        return None, "不能是绝对路径，只能是相对于本期文件夹的路径"
    if parts.scheme or parts.netloc:
        return None, "不能是网址，只能是本期文件夹中的文件"
    text = unquote(parts.path)
    problem = check_relative_path(text)
    if problem:
        return None, problem
    if PurePosixPath(text).suffix.lower() not in IMAGE_SUFFIXES:
        return None, "格式不支持（只能用 PNG、JPEG、SVG）"
    path = folder / text
    if not inside(path, folder):
        return None, "指向本期文件夹以外（符号链接）"
    if not path.is_file():
        return None, f"找不到图片文件（应放在本期文件夹 {display_path(folder)} 中）"
    return path, None


def check_image_file(path: Path) -> str | None:
    """Whether an image file is small, readable and harmless, read without decoding pixels."""
    try:
        disk.checked_size(path, disk.IMAGE)
    except UnreadableError as exc:
        return exc.reason
    if path.suffix.lower() == ".svg":
        return check_svg(path)
    return check_raster(path)


def check_raster(path: Path) -> str | None:
    """Read only the header: format and pixel size (a decompression bomb is never decoded)."""
    from PIL import Image, UnidentifiedImageError

    too_big = f"图片尺寸过大（上限 {MAX_IMAGE_PIXELS // 10000} 万像素）"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # we apply a lower limit below
            with disk.open_checked(path, disk.IMAGE) as file, Image.open(file) as image:
                width, height = image.size
                kind = image.format or ""
    except UnreadableError as exc:
        return exc.reason
    except Image.DecompressionBombError:
        return too_big
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        return "无法识别的图片（文件损坏或格式不支持，应为 PNG、JPEG 或 SVG）"
    if width * height > MAX_IMAGE_PIXELS:
        return f"{too_big[:-1]}，现为 {width}×{height}）"
    if kind not in ("PNG", "JPEG", "GIF", "WEBP"):
        return f"不支持的图片格式 {kind or '未知'}（应为 PNG、JPEG 或 SVG）"
    return None


def check_svg(path: Path) -> str | None:
    """Parse an SVG without expanding entities; refuse DTDs, scripts and outside references."""
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        root = fromstring(disk.read_bounded(path, disk.IMAGE), forbid_dtd=True)
    except UnreadableError as exc:
        return exc.reason
    except DefusedXmlException:
        return "SVG 含有 DTD 或实体定义，出于安全考虑不予处理"
    except (ParseError, OSError, ValueError):
        return "SVG 文件格式错误，无法解析"
    for element in root.iter():
        tag = str(element.tag).rsplit("}", 1)[-1]
        if tag in ("script", "foreignObject"):
            return f"SVG 含有 <{tag}>，出于安全考虑不予处理"
        for name, value in element.attrib.items():
            if name.rsplit("}", 1)[-1] == "href" and not value.strip().startswith("#"):
                return f"SVG 引用了外部资源“{value}”，请把它嵌入或删去"
            if name.lower().startswith("on"):
                return "SVG 含有事件处理属性，出于安全考虑不予处理"
        style = (element.text or "") if tag == "style" else element.attrib.get("style", "")
        if "url(" in style.replace("url(#", "") or "@import" in style:
            return "SVG 的样式引用了外部资源，请删去"
    return None


def check_shape(tree: Node, headings: int) -> str | None:
    """Whether an article's tree is small and shallow enough to lay out quickly (walked without recursion:
    a deep tree is what this refuses)."""
    elements = deepest = 0
    stack: list[tuple[Node, int]] = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        for child in node.elements():
            elements += 1
            stack.append((child, depth + (0 if child.tag in VOID_TAGS else 1)))
    if deepest > MAX_DEPTH:
        # Not the depth itself: Markdown caps very deep nesting where its recursion stops, which varies.
        return f"列表或引文嵌套过深（超过上限 {MAX_DEPTH} 层）"
    if headings > MAX_HEADINGS:
        return f"标题过多（{headings} 个，一篇文章上限 {MAX_HEADINGS} 个），请拆分文章"
    if elements > MAX_ELEMENTS:
        return f"内容过长（{elements} 个段落、列表项等元素，上限 {MAX_ELEMENTS} 个），请拆分文章"
    return None
