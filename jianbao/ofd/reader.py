"""An OFD file → its document info, fonts, pages (every character, where and in which font) and outline.

jianbao's own reader, independent of the writer (package.py): `ofd-info`
lists what it finds and the tests read the editions back with it. It follows
GB/T 33190's location rules (a path is relative to the file that names it,
`/` starts from the package root, a Res file's BaseLoc prefixes its files)
and expands TextCode's DeltaX/DeltaY arrays (`g N value` included). XML is
parsed with defusedxml (no entities, no external references); a file that is
not an OFD package is a BuildError with one line saying why.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from xml.etree.ElementTree import Element

from jianbao.errors import BuildError

NS = "http://www.ofdspec.org/2016"
Q = f"{{{NS}}}"
MAX_MEMBER = 256 * 1024 * 1024  # bytes: an XML file or font larger than this is refused (a zip bomb)


@dataclass(frozen=True)
class Char:
    """One character of a TextObject, at its origin on the page (mm)."""

    char: str
    x: float
    y: float
    font: int
    size: float


@dataclass(frozen=True)
class PageText:
    """One page: its ID, its Content.xml and its characters in drawing order."""

    id: int
    path: str
    chars: tuple[Char, ...]

    def lines(self) -> list[str]:
        """The characters as lines: by baseline, top to bottom, each left to right."""
        rows: list[list[Char]] = []
        for char in sorted(self.chars, key=lambda c: (c.y, c.x)):
            if rows and abs(rows[-1][0].y - char.y) < 0.5:
                rows[-1].append(char)
            else:
                rows.append([char])
        return ["".join(c.char for c in sorted(row, key=lambda c: c.x)) for row in rows]


@dataclass(frozen=True)
class FontRes:
    name: str
    family: str
    file: str  # its path in the package, "" when not embedded


@dataclass(frozen=True)
class Outline:
    title: str
    page: int  # index into Document.pages, -1 when its destination is no page
    children: tuple[Outline, ...] = ()


@dataclass(frozen=True)
class Document:
    info: dict[str, str]  # DocInfo's text elements (DocID, Title, Author, CreationDate …)
    custom: dict[str, str]  # CustomDatas
    page_box: tuple[float, ...]  # CommonData's PhysicalBox
    fonts: dict[int, FontRes]
    media: dict[int, str]  # MultiMedia ID → file in the package
    pages: tuple[PageText, ...]
    outline: tuple[Outline, ...]


class Package:
    """The zip, its XML files parsed safely, and the location rules."""

    def __init__(self, data: bytes):
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            self.names = set(self.zip.namelist())
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise BuildError(f"不是 OFD 文件（无法作为 zip 打开：{exc}）") from exc

    def has(self, path: str) -> bool:
        return path in self.names

    def read(self, path: str) -> bytes:
        if path not in self.names:
            raise BuildError(f"OFD 包中缺少文件 {path}")
        if self.zip.getinfo(path).file_size > MAX_MEMBER:
            raise BuildError(f"OFD 包中的文件 {path} 过大")
        return self.zip.read(path)

    def xml(self, path: str) -> Element:
        from defusedxml import DefusedXmlException
        from defusedxml.ElementTree import ParseError, fromstring

        try:
            return fromstring(self.read(path))
        except (ParseError, DefusedXmlException, ValueError) as exc:
            raise BuildError(f"OFD 包中的 {path} 不是有效的 XML（{exc}）") from exc


def resolve(base: str, loc: str) -> str:
    """A location named in file `base` (or folder `base/`), as a path in the package; "" if it leaves it."""
    loc = loc.strip()
    if not loc or ":" in loc.split("/", 1)[0] or "\\" in loc:
        return ""  # a URL (http:, file:) or a Windows path: nothing outside the package
    joined = posixpath.normpath(loc.lstrip("/") if loc.startswith("/") else posixpath.join(base, loc))
    return "" if joined.startswith("../") or joined in ("..", ".") else joined


def folder(path: str) -> str:
    return posixpath.dirname(path)


def children(element: Element, name: str) -> list[Element]:
    return element.findall(Q + name)


def child_text(element: Element | None, name: str) -> str:
    found = element.find(Q + name) if element is not None else None
    return (found.text or "").strip() if found is not None else ""


def numbers(text: str | None) -> list[float]:
    """An ST_Array of numbers, `g N value` expanded (DeltaX, DeltaY)."""
    tokens = (text or "").split()
    values: list[float] = []
    index = 0
    while index < len(tokens):
        if tokens[index] == "g" and index + 2 < len(tokens):
            values += [float(tokens[index + 2])] * int(tokens[index + 1])
            index += 3
        else:
            values.append(float(tokens[index]))
            index += 1
    return values


def doc_root(package: Package) -> tuple[Element, str]:
    """OFD.xml's root and the path of the (first) document's Document.xml."""
    ofd = package.xml("OFD.xml")
    if ofd.tag != Q + "OFD":
        raise BuildError("不是 OFD 文件（OFD.xml 的根元素不是 ofd:OFD）")
    body = ofd.find(Q + "DocBody")
    root = resolve("", child_text(body, "DocRoot"))
    if body is None or not root:
        raise BuildError("OFD.xml 没有指明文档（DocBody/DocRoot）")
    return ofd, root


def read_ofd(data: bytes) -> Document:
    """Everything `ofd-info` lists and the tests compare."""
    package = Package(data)
    ofd, root = doc_root(package)
    info_element = ofd.find(f"{Q}DocBody/{Q}DocInfo")
    fields = list(info_element) if info_element is not None else []
    info = {child.tag.removeprefix(Q): (child.text or "").strip() for child in fields}
    custom = {
        item.get("Name", ""): (item.text or "").strip()
        for item in (info_element.iter(Q + "CustomData") if info_element is not None else [])
    }
    document = package.xml(root)
    base = folder(root)
    common = document.find(Q + "CommonData")
    box = numbers(child_text(common.find(Q + "PageArea") if common is not None else None, "PhysicalBox"))
    fonts: dict[int, FontRes] = {}
    media: dict[int, str] = {}
    for res in resources(package, common, base):
        fonts.update(res[0])
        media.update(res[1])
    page_list = [
        (int(page.get("ID", "0")), resolve(base, page.get("BaseLoc", "")))
        for page in document.findall(f"{Q}Pages/{Q}Page")
    ]
    pages = tuple(PageText(page_id, path, tuple(page_chars(package.xml(path)))) for page_id, path in page_list)
    index = {page_id: n for n, (page_id, _) in enumerate(page_list)}
    outlines = document.find(Q + "Outlines")
    outline = (
        tuple(outline_of(elem, index) for elem in children(outlines, "OutlineElem")) if outlines is not None else ()
    )
    return Document(info, custom, tuple(box), fonts, media, pages, outline)


def resources(
    package: Package, common: Element | None, base: str
) -> Iterator[tuple[dict[int, FontRes], dict[int, str]]]:
    """Each PublicRes and DocumentRes file's fonts and images."""
    if common is None:
        return
    for kind in ("PublicRes", "DocumentRes"):
        for loc in children(common, kind):
            path = resolve(base, loc.text or "")
            res = package.xml(path)
            res_base = resolve(folder(path), res.get("BaseLoc", "")) or folder(path)
            fonts = {
                int(font.get("ID", "0")): FontRes(
                    font.get("FontName", ""),
                    font.get("FamilyName", ""),
                    resolve(res_base, child_text(font, "FontFile")) if child_text(font, "FontFile") else "",
                )
                for font in res.iter(Q + "Font")
            }
            media = {
                int(item.get("ID", "0")): resolve(res_base, child_text(item, "MediaFile"))
                for item in res.iter(Q + "MultiMedia")
            }
            yield fonts, media


def page_chars(page: Element) -> Iterator[Char]:
    """Every character of every TextObject on the page (layers and page blocks), in drawing order."""
    for text in page.iter(Q + "TextObject"):
        left, top = [*numbers(text.get("Boundary")), 0.0, 0.0][:2]
        font, size = int(text.get("Font", "0")), float(text.get("Size", "0") or 0)
        x = y = 0.0
        for code in children(text, "TextCode"):
            x = float(code.get("X", x))
            y = float(code.get("Y", y))
            dx, dy = numbers(code.get("DeltaX")), numbers(code.get("DeltaY"))
            for k, char in enumerate(code.text or ""):
                if k:
                    x += dx[k - 1] if k - 1 < len(dx) else 0.0
                    y += dy[k - 1] if k - 1 < len(dy) else 0.0
                yield Char(char, left + x, top + y, font, size)


def outline_of(element: Element, pages: dict[int, int]) -> Outline:
    dest = element.find(f"{Q}Actions/{Q}Action/{Q}Goto/{Q}Dest")
    page = pages.get(int(dest.get("PageID", "0")), -1) if dest is not None else -1
    kids = tuple(outline_of(child, pages) for child in children(element, "OutlineElem"))
    return Outline(element.get("Title", ""), page, kids)
