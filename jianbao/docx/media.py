"""An article's images → the inline drawings that show them at the PDF's size, and the picture parts.

The size is the print layout's (layouts/print.css): the share of the 版心's
width the editor asked for (`width="50%"`), else the image's own size in CSS
pixels, scaled down to fit the 版心's width and 160 mm of height. An SVG goes in as Word 2016 keeps one: the SVG
itself (`asvg:svgBlip`) with a PNG drawn from it for every program that
cannot draw SVG (older Word and WPS; LibreOffice and the importer read it).
`Media` measures and places them while the body is written; the parts
themselves (`picture_parts`, the PNG drawn by WeasyPrint) are made in the
render worker from the `PictureNeed`s it hands on.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from jianbao.docx.xml import escape_attribute
from jianbao.errors import BuildError, display_path
from jianbao.load import safety

EMU_PER_PX = 9525  # 914,400 EMU an inch, 96 CSS px an inch
MAX_WIDTH_PX = 156 / 25.4 * 96  # the 版心's width
MAX_HEIGHT_PX = 160 / 25.4 * 96  # print.css: max-height 160 mm
FALLBACK_DPI = 200  # the PNG drawn from an SVG, at its printed size
CONTENT_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif"}
SVG_TYPE = "image/svg+xml"
SVG_EXTENSION = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"  # Word's id for the svgBlip extension
_LENGTH = re.compile(r"^\s*([0-9.]+)\s*(px|pt|mm|cm|in)?\s*$")
_SHARE = re.compile(r"^\s*([0-9.]+)\s*%\s*$")
_UNIT_PX = {"px": 1.0, None: 1.0, "pt": 96 / 72, "mm": 96 / 25.4, "cm": 96 / 2.54, "in": 96.0}


@dataclass(frozen=True)
class PictureNeed:
    """One image file as the .docx will carry it: its part (and, for an SVG, the PNG drawn from it)."""

    name: str  # the part Word shows, e.g. word/media/image1.png
    source: Path
    content_type: str
    rel_id: str
    width_px: float  # intrinsic size, CSS px
    height_px: float
    svg: bool = False  # the source is an SVG: it goes in beside the PNG, as rel_id + "svg"


@dataclass
class Media:
    """The pictures of one document, one per image file, and the drawings' running number."""

    pictures: dict[str, PictureNeed] = field(default_factory=dict)  # image path → picture
    drawings: int = 0

    def picture(self, path: Path) -> PictureNeed:
        """The picture of the image file at `path` (checked and measured once)."""
        key = str(path)
        if key not in self.pictures:
            self.pictures[key] = measure(path, len(self.pictures) + 1)
        return self.pictures[key]

    def drawing(self, path: Path, src: str, alt: str, size_attrs: tuple[str | None, str | None]) -> str:
        """A run holding the image inline at its printed size; `src` is kept as the picture's name."""
        picture = self.picture(path)
        width, height = printed_size(picture, size_attrs)
        self.drawings += 1
        number = self.drawings
        cx, cy = round(width * EMU_PER_PX), round(height * EMU_PER_PX)
        rel = picture.rel_id
        svg = (
            f'<a:extLst><a:ext uri="{SVG_EXTENSION}"><asvg:svgBlip '
            'xmlns:asvg="http://schemas.microsoft.com/office/drawing/2016/SVG/main" '
            f'r:embed="{rel}svg"/></a:ext></a:extLst>'
            if picture.svg
            else ""
        )
        return (
            '<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0">'
            f'<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
            f'<wp:docPr id="{number}" name="{escape_attribute(src)}" descr="{escape_attribute(alt)}"/>'
            '<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr>'
            '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
            f'<pic:pic><pic:nvPicPr><pic:cNvPr id="{number}" name="{escape_attribute(src)}"/>'
            "<pic:cNvPicPr/></pic:nvPicPr>"
            f'<pic:blipFill><a:blip r:embed="{rel}">{svg}</a:blip><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
            f'<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
            '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic>'
            "</a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"
        )


def measure(path: Path, number: int) -> PictureNeed:
    """Check and measure an image file (the load stage confined its path; its size is checked again here)."""
    problem = safety.check_image_file(path)
    if problem:
        raise BuildError(f"{display_path(path)}：{problem}")
    suffix = path.suffix.lower()
    if suffix == ".svg":
        width, height = svg_size(path.read_bytes())
        return PictureNeed(f"word/media/image{number}.png", path, "image/png", f"rIdImage{number}", width, height, True)
    from PIL import Image

    with Image.open(path) as image:
        width, height = image.size
    kind = CONTENT_TYPES.get(suffix, "image/png")
    return PictureNeed(
        f"word/media/image{number}{suffix}", path, kind, f"rIdImage{number}", float(width), float(height)
    )


def picture_parts(picture: PictureNeed) -> list[tuple[str, str, bytes, str]]:
    """(relationship id, part name, bytes, content type) of a picture: the file, or an SVG and its PNG."""
    data = picture.source.read_bytes()
    if not picture.svg:
        return [(picture.rel_id, picture.name, data, picture.content_type)]
    png = svg_fallback(picture.source, picture.width_px, picture.height_px)
    svg_name = picture.name[: -len(".png")] + ".svg"
    return [(picture.rel_id, picture.name, png, "image/png"), (f"{picture.rel_id}svg", svg_name, data, SVG_TYPE)]


def svg_size(data: bytes) -> tuple[float, float]:
    """An SVG's size in CSS px: its width and height, else its viewBox, else a browser's 300 × 150."""
    from defusedxml.ElementTree import fromstring

    root = fromstring(data, forbid_dtd=True)
    width, height = (_length(root.get(name)) for name in ("width", "height"))
    box = [float(v) for v in re.split(r"[\s,]+", (root.get("viewBox") or "").strip()) if v] or [0, 0, 300, 150]
    ratio = box[3] / box[2] if len(box) == 4 and box[2] > 0 else 0.5
    if width and height:
        return width, height
    if width:
        return width, width * ratio
    if height:
        return height / ratio, height
    return (box[2], box[3]) if len(box) == 4 and box[2] > 0 and box[3] > 0 else (300.0, 150.0)


def _length(text: str | None) -> float | None:
    match = _LENGTH.match(text or "")
    return float(match.group(1)) * _UNIT_PX[match.group(2)] if match else None


def printed_size(picture: PictureNeed, size_attrs: tuple[str | None, str | None]) -> tuple[float, float]:
    """The size the PDF prints the picture at, in CSS px (width/height attributes, then the limits). A width
    in % is the share of the 版心 the editor asked for (jianbao/markup/images.py)."""
    width, height = picture.width_px, picture.height_px
    share = _SHARE.match(size_attrs[0] or "")
    given_w, given_h = (_length(value) for value in size_attrs)
    if share and width and height:
        wanted = MAX_WIDTH_PX * min(float(share.group(1)), 100.0) / 100
        width, height = wanted, height * wanted / width
    elif given_w and given_h:
        width, height = given_w, given_h
    elif given_w:
        width, height = given_w, height * given_w / width
    elif given_h:
        width, height = width * given_h / height, given_h
    scale = min(1.0, MAX_WIDTH_PX / width, MAX_HEIGHT_PX / height) if width and height else 1.0
    return width * scale, height * scale


def svg_fallback(path: Path, width_px: float, height_px: float) -> bytes:
    """A PNG of the SVG at its printed size, drawn by the PDF's own engine (WeasyPrint, then PDFium)."""
    import pypdfium2 as pdfium

    from jianbao.pdf.engine import write_pdf

    scale = min(1.0, MAX_WIDTH_PX / width_px, MAX_HEIGHT_PX / height_px)
    w, h = width_px * scale * 0.75, height_px * scale * 0.75  # points
    html = (
        f"<style>@page {{ size: {w}pt {h}pt; margin: 0 }} body {{ margin: 0 }} "
        f"img {{ display: block; width: {w}pt; height: {h}pt }}</style>"
        f'<img src="{escape_attribute(path.resolve().as_uri())}">'
    )
    pdf = write_pdf(html, path.parent, [path.parent])
    document = pdfium.PdfDocument(pdf)
    try:
        page = document[0]
        image = page.render(scale=FALLBACK_DPI / 72).to_pil()
        page.close()
    finally:
        document.close()
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, "PNG", compress_level=6)  # (optimize=True: 4× the time, 5 % smaller)
    return buffer.getvalue()
