"""Pages, fonts and document info → an OFD package (GB/T 33190-2016): the XML files and the zip.

    OFD.xml                         DocBody: DocInfo, DocRoot
    Doc_0/Document.xml              CommonData (MaxUnitID, PageArea, PublicRes, DocumentRes, DefaultCS),
                                    Pages, Outlines
    Doc_0/PublicRes.xml             the RGB colour space and the fonts (FontFile in Res/)
    Doc_0/DocumentRes.xml           the images (MultiMedia, MediaFile in Res/)
    Doc_0/Pages/Page_N/Content.xml  one Body layer: TextObject, PathObject, ImageObject in painting order

Every element is written with the `ofd:` prefix (ofd.js reads no other) and
every colour as RGB 0–255 under a declared RGB colour space. Object IDs rise
in painting order: a reader that stacks objects by ID (ofd.js) paints them
in the PDF's order. The zip is reproducible: fixed order, fixed timestamps.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass

from jianbao.ofd.drawn import Layout, Mark, Page, Picture, Shape, Text
from jianbao.ofd.fonts import FontFile
from jianbao.ofd.shapes import bounds
from jianbao.ofd.xmlwrite import element, number, text_codes

NS = "http://www.ofdspec.org/2016"
DOC = "Doc_0"


@dataclass(frozen=True)
class Edition:
    """The document info of one issue's OFD, as plain values (a render worker builds it)."""

    doc_id: str  # 32 hex digits, the same for every build of the issue
    title: str  # `领导学习 2025年第8期（总第144期）`
    author: str  # the organisers
    subject: str = ""  # the articles' titles
    keywords: tuple[str, ...] = ()
    date: dt.date = dt.date(2000, 1, 1)  # the issue date: creation and modification date
    creator_version: str = ""
    custom: tuple[tuple[str, str], ...] = ()  # (name, value): 期号, 总期号


class Ids:
    """The document's object IDs, one counter for all (ST_ID is unique in a document)."""

    def __init__(self) -> None:
        self.last = 0

    def next(self) -> int:
        self.last += 1
        return self.last


def write_package(layout: Layout, fonts: list[FontFile], edition: Edition) -> bytes:
    """The OFD file (zip bytes)."""
    ids = Ids()
    colour_space = ids.next()
    font_ids = [ids.next() for _ in fonts]
    files: dict[str, bytes] = {}
    media: list[tuple[int, str]] = []  # (ID, file name in Res/)
    page_ids = [ids.next() for _ in layout.pages]
    for number_, (page, _page_id) in enumerate(zip(layout.pages, page_ids, strict=True)):
        content = page_content(page, font_ids, fonts, ids, media, files)
        files[f"{DOC}/Pages/Page_{number_}/Content.xml"] = content
    files[f"{DOC}/PublicRes.xml"] = public_res(colour_space, font_ids, fonts)
    for font_id, font in zip(font_ids, fonts, strict=True):
        files[f"{DOC}/Res/font_{font_id}.{font.suffix}"] = font.data
    files[f"{DOC}/DocumentRes.xml"] = document_res(media)
    document = document_xml(layout, page_ids, colour_space, ids)
    ordered = {"OFD.xml": ofd_xml(edition), f"{DOC}/Document.xml": document, **files}
    return zipped(ordered, edition.date)


def ofd_xml(edition: Edition) -> bytes:
    """The entry file: the document's info and where its root is."""
    info = [element("DocID", text=edition.doc_id), element("Title", text=edition.title)]
    info.append(element("Author", text=edition.author))
    if edition.subject:
        info.append(element("Subject", text=edition.subject))
    day = edition.date.isoformat()
    info += [element("CreationDate", text=day), element("ModDate", text=day)]
    if edition.keywords:
        info.append(element("Keywords", children=[element("Keyword", text=k) for k in edition.keywords]))
    info += [element("Creator", text="jianbao"), element("CreatorVersion", text=edition.creator_version)]
    if edition.custom:
        custom = [element("CustomData", {"Name": name}, text=value) for name, value in edition.custom]
        info.append(element("CustomDatas", children=custom))
    body = element(
        "DocBody", children=[element("DocInfo", children=info), element("DocRoot", text=f"{DOC}/Document.xml")]
    )
    return root("OFD", {"Version": "1.0", "DocType": "OFD"}, [body])


def document_xml(layout: Layout, page_ids: list[int], colour_space: int, ids: Ids) -> bytes:
    """CommonData, the page list and the outline."""
    width, height = (layout.pages[0].width, layout.pages[0].height) if layout.pages else (210.0, 297.0)
    area = element("PageArea", children=[element("PhysicalBox", text=box((0, 0, width, height)))])
    pages = [
        element("Page", {"ID": page_id, "BaseLoc": f"Pages/Page_{n}/Content.xml"}) for n, page_id in enumerate(page_ids)
    ]
    outline = [outline_elem(mark, page_ids) for mark in layout.outline]
    common = element(
        "CommonData",
        children=[
            element("MaxUnitID", text=str(ids.last)),
            area,
            element("PublicRes", text="PublicRes.xml"),
            element("DocumentRes", text="DocumentRes.xml"),
            element("DefaultCS", text=str(colour_space)),
        ],
    )
    children = [common, element("Pages", children=pages)]
    if outline:
        children.append(element("Outlines", children=outline))
    return root("Document", {}, children)


def outline_elem(mark: Mark, page_ids: list[int]) -> str:
    """One bookmark: a click goes to its page and place."""
    dest = element(
        "Dest", {"Type": "XYZ", "PageID": page_ids[mark.page], "Left": number(mark.x), "Top": number(mark.y)}
    )
    action = element("Action", {"Event": "CLICK"}, children=[element("Goto", children=[dest])])
    children = [element("Actions", children=[action]), *(outline_elem(child, page_ids) for child in mark.children)]
    return element("OutlineElem", {"Title": mark.title}, children=children)


def public_res(colour_space: int, font_ids: list[int], fonts: list[FontFile]) -> bytes:
    """The colour space every colour is given in, and the fonts with their embedded files."""
    space = element("ColorSpace", {"ID": colour_space, "Type": "RGB", "BitsPerComponent": 8})
    entries = []
    for font_id, font in zip(font_ids, fonts, strict=True):
        flags = {"Bold": font.bold, "Italic": font.italic, "Serif": font.serif, "FixedWidth": font.fixed}
        names = {"ID": font_id, "FontName": font.font_name, "FamilyName": font.family}
        file = element("FontFile", text=f"font_{font_id}.{font.suffix}")
        entries.append(element("Font", {**names, **{k: "true" for k, v in flags.items() if v}}, children=[file]))
    children = [element("ColorSpaces", children=[space])]
    if entries:
        children.append(element("Fonts", children=entries))
    return root("Res", {"BaseLoc": "Res"}, children)


def document_res(media: list[tuple[int, str]]) -> bytes:
    """The images, each a MultiMedia resource."""
    entries = [
        element(
            "MultiMedia",
            {"ID": media_id, "Type": "Image", "Format": name.rsplit(".", 1)[1].upper()},
            children=[element("MediaFile", text=name)],
        )
        for media_id, name in media
    ]
    return root("Res", {"BaseLoc": "Res"}, [element("MultiMedias", children=entries)] if entries else [])


def page_content(
    page: Page,
    font_ids: list[int],
    fonts: list[FontFile],
    ids: Ids,
    media: list[tuple[int, str]],
    files: dict[str, bytes],
) -> bytes:
    """One page: a Body layer of its objects in painting order."""
    layer_id = ids.next()
    objects = []
    for item in page.items:
        if isinstance(item, Text):
            objects.append(text_object(item, ids.next(), font_ids[item.font], fonts[item.font]))
        elif isinstance(item, Shape):
            objects.append(path_object(item, ids.next()))
        elif isinstance(item, Picture):
            media_id, object_id = ids.next(), ids.next()
            name = f"image_{media_id}.{'jpg' if item.kind == 'JPEG' else 'png'}"
            media.append((media_id, name))
            files[f"{DOC}/Res/{name}"] = item.data
            objects.append(image_object(item, object_id, media_id))
    layer = element("Layer", {"ID": layer_id, "Type": "Body"}, children=objects)
    return root("Page", {}, [element("Content", children=[layer])])


def text_object(text: Text, object_id: int, font_id: int, font: FontFile) -> str:
    """A run of glyphs: each character at the PDF's origin for it (X/Y, then DeltaX/DeltaY)."""
    size = text.size
    xs, ys = [g.x for g in text.glyphs], [g.y for g in text.glyphs]
    left, top = min(xs) - 0.1 * size, min(ys) - 1.1 * size
    right, bottom = max(xs) + 1.1 * size, max(ys) + 0.35 * size
    fields = {"ID": object_id, "Boundary": box((left, top, right - left, bottom - top)), "Font": font_id}
    fields["Size"] = number(size)
    if font.bold:
        fields["Weight"] = 700
    colour = {"Value": rgb(text.colour), **({"Alpha": text.alpha} if text.alpha < 255 else {})}
    children = [element("FillColor", colour), *text_codes(text.glyphs, left, top, font.ligatures)]
    return element("TextObject", fields, children=children)


def path_object(shape: Shape, object_id: int) -> str:
    """A path: its segments relative to its boundary, fill and stroke in RGB."""
    edge = bounds(shape.commands) or (0.0, 0.0, 0.0, 0.0)
    pad = shape.width / 2 if shape.stroke is not None else 0.0
    left, top = edge[0] - pad, edge[1] - pad
    fields: dict[str, object] = {
        "ID": object_id,
        "Boundary": box((left, top, edge[2] - edge[0] + 2 * pad, edge[3] - edge[1] + 2 * pad)),
    }
    if shape.stroke is not None:
        fields["LineWidth"] = number(shape.width)
        if shape.cap != "Butt":
            fields["Cap"] = shape.cap
        if shape.join != "Miter":
            fields["Join"] = shape.join
        if shape.dash:
            fields["DashPattern"] = " ".join(number(v) for v in shape.dash)
    else:
        fields["Stroke"] = "false"
    if shape.fill is not None:
        fields["Fill"] = "true"
        if shape.even_odd:
            fields["Rule"] = "Even-Odd"
    if shape.alpha < 255:
        fields["Alpha"] = shape.alpha
    children = []
    if shape.clips:
        children.append(element("Clips", children=[clip(area, left, top) for area in shape.clips]))
    if shape.stroke is not None:
        children.append(element("StrokeColor", {"Value": rgb(shape.stroke)}))
    if shape.fill is not None:
        children.append(element("FillColor", {"Value": rgb(shape.fill)}))
    children.append(element("AbbreviatedData", text=path_data(shape.commands, left, top)))
    return element("PathObject", fields, children=children)


def clip(commands: tuple[tuple[str, tuple[float, ...]], ...], left: float, top: float) -> str:
    """A clip area, in the coordinates of the object it clips."""
    edge = bounds(commands) or (left, top, left, top)
    own = (edge[0] - left, edge[1] - top)
    path = element(
        "Path",
        {"Boundary": box((own[0], own[1], edge[2] - edge[0], edge[3] - edge[1])), "Fill": "true", "Stroke": "false"},
        children=[element("AbbreviatedData", text=path_data(commands, edge[0], edge[1]))],
    )
    return element("Clip", children=[element("Area", children=[path])])


def image_object(picture: Picture, object_id: int, media_id: int) -> str:
    """An image filling its box: the CTM maps the image's unit square onto the boundary."""
    _x, _y, w, h = picture.box
    ctm = f"{number(w)} 0 0 {number(-h)} 0 {number(h)}" if picture.flipped else f"{number(w)} 0 0 {number(h)} 0 0"
    return element("ImageObject", {"ID": object_id, "Boundary": box(picture.box), "CTM": ctm, "ResourceID": media_id})


def path_data(commands: tuple[tuple[str, tuple[float, ...]], ...], left: float, top: float) -> str:
    """AbbreviatedData: commands and coordinates, single spaces (ofd.js splits on one space)."""
    parts = []
    for kind, values in commands:
        parts.append(kind)
        parts += [number(v - (left if k % 2 == 0 else top)) for k, v in enumerate(values)]
    return " ".join(parts)


def box(values: tuple[float, float, float, float]) -> str:
    return " ".join(number(v) for v in values)


def rgb(colour: tuple[int, int, int]) -> str:
    return " ".join(str(v) for v in colour)


def root(name: str, fields: dict[str, object], children: list[str]) -> bytes:
    """A whole XML file whose root declares the `ofd:` namespace."""
    head = '<?xml version="1.0" encoding="UTF-8"?>\n'
    body = element(name, {"xmlns:ofd": NS, **fields}, children=children)
    return (head + body).encode("utf-8")


def zipped(files: dict[str, bytes], day: dt.date) -> bytes:
    """The package: XML and fonts deflated, images (already compressed) stored; fixed timestamps."""
    stamp = (max(day.year, 1980), day.month, day.day, 0, 0, 0)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, stamp)
            info.external_attr = 0o644 << 16
            stored = name.endswith((".png", ".jpg"))
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            package.writestr(info, data, compresslevel=None if stored else 6)
    return buffer.getvalue()
