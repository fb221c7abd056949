"""A print PDF → its pages as drawn things: every glyph, path and image where the PDF puts it.

The OFD edition is made from the PDF jianbao has just written, read back with
PDFium (pypdfium2), rather than from WeasyPrint's laid-out boxes: the PDF is
the final page — after the after-layout steps (lines stretched flush, put on
the grid, the 报尾 moved down) and with the SVG charts already turned into
paths — and PDFium hands each glyph's origin, font, size and colour, each
path's segments and paint, each image and the bookmarks through a public,
stable API. Reading WeasyPrint's boxes would mean re-implementing its drawing
(borders, SVG, glyph runs) on top of its private internals.

Out comes a `Layout` (drawn.py): pages, fonts and bookmarks.
"""

from __future__ import annotations

import ctypes
import io
import math
from collections.abc import Callable, Iterator
from typing import Any

from jianbao.ofd.bookmarks import read_outline
from jianbao.ofd.clusters import ligatures, spread
from jianbao.ofd.drawn import (
    MM,
    RGB,
    Command,
    Font,
    Glyph,
    Item,
    Layout,
    Matrix,
    Page,
    Picture,
    Shape,
    Text,
)

IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
Frame = tuple[float, float]  # a page's top left corner in PDF points: where OFD's (0, 0) is


def read_layout(pdf: bytes) -> Layout:
    """Every page of `pdf` as drawn things, its fonts and its bookmarks."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        reader = _Reader(document)
        pages = tuple(reader.page(index) for index in range(len(document)))
        outline = read_outline(document, reader.frames)
        return Layout(pages, tuple(reader.fonts), outline)
    finally:
        document.close()


class _Reader:
    """Reads pages one by one, collecting the fonts they use."""

    def __init__(self, document: object):
        self.document = document
        self.fonts: list[Font] = []
        self.font_index: dict[int, int] = {}  # PDFium font handle → index in self.fonts
        self.frames: list[Frame] = []  # each page's top left corner in PDF points

    def page(self, index: int) -> Page:
        import pypdfium2.raw as raw

        page = self.document[index]  # type: ignore[index]
        try:
            frame, width, height = _trim_box(page)
            self.frames.append(frame)
            textpage = raw.FPDFText_LoadPage(page.raw)
            try:
                glyphs = _glyphs_by_object(textpage, frame)
            finally:
                raw.FPDFText_ClosePage(textpage)
            objects = [raw.FPDFPage_GetObject(page.raw, k) for k in range(raw.FPDFPage_CountObjects(page.raw))]
            items = []
            for obj, matrix in _walk(objects, IDENTITY):
                item = self.item(obj, matrix, frame, glyphs, page)
                if item is not None:
                    items.append(item)
            return Page(width * MM, height * MM, tuple(items))
        finally:
            page.close()

    def item(
        self, obj: object, matrix: Matrix, frame: Frame, glyphs: dict[int, list[Glyph]], page: object
    ) -> Item | None:
        import pypdfium2.raw as raw

        kind = raw.FPDFPageObj_GetType(obj)
        if kind == raw.FPDF_PAGEOBJ_TEXT:
            return self.text(obj, matrix, glyphs.get(_address(obj), []))
        if kind == raw.FPDF_PAGEOBJ_PATH:
            return _shape(obj, matrix, frame)
        if kind == raw.FPDF_PAGEOBJ_IMAGE:
            return _picture(self.document, page, obj, matrix, frame)
        return None  # shadings: jianbao's layouts draw none

    def text(self, obj: object, matrix: Matrix, glyphs: list[Glyph]) -> Text | None:
        import pypdfium2.raw as raw

        if not glyphs or raw.FPDFTextObj_GetTextRenderMode(obj) == raw.FPDF_TEXTRENDERMODE_INVISIBLE:
            return None
        size = ctypes.c_float()
        raw.FPDFTextObj_GetFontSize(obj, ctypes.byref(size))
        scale = math.sqrt(abs(matrix[0] * matrix[3] - matrix[1] * matrix[2]))
        font = self.font(raw.FPDFTextObj_GetFont(obj))
        self.fonts[font].chars.update(glyph.char for glyph in glyphs)
        self.fonts[font].ligatures.update(ligatures(glyphs))
        colour, alpha = _colour(raw.FPDFPageObj_GetFillColor, obj)
        return Text(font, size.value * scale * MM, colour, alpha, tuple(glyphs))

    def font(self, handle: object) -> int:
        """The index of the font behind a PDFium font handle (read once per font)."""
        key = _address(handle)
        if key not in self.font_index:
            self.font_index[key] = len(self.fonts)
            self.fonts.append(Font(_base_name(handle), _font_data(handle)))
        return self.font_index[key]


def _address(handle: Any) -> int:
    """A PDFium handle's address: the same object gives the same number."""
    return ctypes.cast(handle, ctypes.c_void_p).value or 0


def _walk(objects: list[object], parent: Matrix) -> Iterator[tuple[object, Matrix]]:
    """Each page object in painting order with its matrix to page space; form XObjects opened."""
    import pypdfium2.raw as raw

    for obj in objects:
        matrix = _matrix(obj, parent)
        if raw.FPDFPageObj_GetType(obj) == raw.FPDF_PAGEOBJ_FORM:
            yield from _walk(_form_objects(obj), matrix)
        else:
            yield obj, matrix


def _form_objects(form: object) -> list[object]:
    import pypdfium2.raw as raw

    return [raw.FPDFFormObj_GetObject(form, k) for k in range(raw.FPDFFormObj_CountObjects(form))]


def _matrix(obj: object, parent: Matrix) -> Matrix:
    import pypdfium2.raw as raw

    m = raw.FS_MATRIX()
    raw.FPDFPageObj_GetMatrix(obj, m)
    return _multiply((m.a, m.b, m.c, m.d, m.e, m.f), parent)


def _multiply(m: Matrix, n: Matrix) -> Matrix:
    """m then n (PDF row-vector convention)."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s, e * p + f * r + t, e * q + f * s + u)


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


def _trim_box(page: Any) -> tuple[Frame, float, float]:
    """The page as printed: its trim box (a PDF/X page's bleed is left out), else its size."""
    import pypdfium2.raw as raw

    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    if raw.FPDFPage_GetTrimBox(page.raw, *(ctypes.byref(v) for v in (left, bottom, right, top))):
        return (left.value, top.value), right.value - left.value, top.value - bottom.value
    width, height = page.get_size()
    return (0.0, height), width, height


def _to_mm(x: float, y: float, frame: Frame) -> tuple[float, float]:
    """A page-space point (pt, y up) in OFD's page mm (from the trim box's top left, y down)."""
    return (x - frame[0]) * MM, (frame[1] - y) * MM


def _glyphs_by_object(textpage: object, frame: Frame) -> dict[int, list[Glyph]]:
    """The text page's characters, grouped by the text object that draws them (PDFium's own spaces
    and line breaks, which no glyph draws, left out), ligatures spread (clusters.py)."""
    import pypdfium2.raw as raw

    found: dict[int, list[Glyph]] = {}
    ends: dict[int, list[float]] = {}  # each character's right edge (mm), its advance's end
    x, y = ctypes.c_double(), ctypes.c_double()
    box = raw.FS_RECTF()
    pending = 0  # a UTF-16 high surrogate waiting for its low half
    for index in range(raw.FPDFText_CountChars(textpage)):
        if raw.FPDFText_IsGenerated(textpage, index) == 1:
            continue
        code = raw.FPDFText_GetUnicode(textpage, index)
        if 0xD800 <= code < 0xDC00:
            pending = code
            continue
        if 0xDC00 <= code < 0xE000 and pending:
            code, pending = 0x10000 + ((pending - 0xD800) << 10) + (code - 0xDC00), 0
        if code < 0x20 or code in (0xFFFE, 0xFFFF):
            continue
        raw.FPDFText_GetCharOrigin(textpage, index, ctypes.byref(x), ctypes.byref(y))
        raw.FPDFText_GetLooseCharBox(textpage, index, box)
        key = _address(raw.FPDFText_GetTextObject(textpage, index))
        found.setdefault(key, []).append(Glyph(chr(code), *_to_mm(x.value, y.value, frame)))
        ends.setdefault(key, []).append(_to_mm(box.right, box.top, frame)[0])
    return {key: spread(glyphs, ends[key]) for key, glyphs in found.items()}


def _colour(getter: Callable[..., int], obj: object) -> tuple[RGB, int]:
    """A page object's fill or stroke colour as PDFium converts it to RGB, and its alpha."""
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    if not getter(obj, ctypes.byref(r), ctypes.byref(g), ctypes.byref(b), ctypes.byref(a)):
        return (0, 0, 0), 255
    return (r.value, g.value, b.value), a.value


def _base_name(font: object) -> str:
    import pypdfium2.raw as raw

    size = raw.FPDFFont_GetBaseFontName(font, None, 0)
    buffer = ctypes.create_string_buffer(size)
    raw.FPDFFont_GetBaseFontName(font, buffer, size)
    name = buffer.value.decode("latin-1")
    tag, plus, rest = name.partition("+")
    return rest if plus and len(tag) == 6 and tag.isupper() else name


def _font_data(font: object) -> bytes:
    import pypdfium2.raw as raw

    size = ctypes.c_size_t()
    if not raw.FPDFFont_GetFontData(font, None, 0, ctypes.byref(size)) or not size.value:
        return b""
    data = (ctypes.c_uint8 * size.value)()
    raw.FPDFFont_GetFontData(font, data, size.value, ctypes.byref(size))
    return bytes(data)


CAPS = {0: "Butt", 1: "Round", 2: "Square"}
JOINS = {0: "Miter", 1: "Round", 2: "Bevel"}


def _shape(obj: object, matrix: Matrix, frame: Frame) -> Shape | None:
    import pypdfium2.raw as raw

    mode, stroked = ctypes.c_int(), ctypes.c_int()
    raw.FPDFPath_GetDrawMode(obj, ctypes.byref(mode), ctypes.byref(stroked))
    if not mode.value and not stroked.value:
        return None  # a path that only clips
    commands = _segments(raw.FPDFPath_CountSegments(obj), lambda k: raw.FPDFPath_GetPathSegment(obj, k), matrix, frame)
    if not commands:
        return None
    fill, fill_alpha = _colour(raw.FPDFPageObj_GetFillColor, obj)
    stroke, stroke_alpha = _colour(raw.FPDFPageObj_GetStrokeColor, obj)
    width = ctypes.c_float()
    raw.FPDFPageObj_GetStrokeWidth(obj, ctypes.byref(width))
    scale = math.sqrt(abs(matrix[0] * matrix[3] - matrix[1] * matrix[2]))
    return Shape(
        commands,
        fill if mode.value else None,
        stroke if stroked.value else None,
        width.value * scale * MM,
        mode.value == raw.FPDF_FILLMODE_ALTERNATE,
        CAPS.get(raw.FPDFPageObj_GetLineCap(obj), "Butt"),
        JOINS.get(raw.FPDFPageObj_GetLineJoin(obj), "Miter"),
        _dash(obj, scale) if stroked.value else (),
        fill_alpha if mode.value else stroke_alpha,
        _clips(obj, frame),
    )


def _segments(count: int, get: Callable[[int], object], matrix: Matrix, frame: Frame) -> tuple[Command, ...]:
    """A PDFium path's segments as OFD commands in page mm (Bézier points come in threes)."""
    import pypdfium2.raw as raw

    commands: list[Command] = []
    curve: list[float] = []
    x, y = ctypes.c_float(), ctypes.c_float()
    for k in range(count):
        segment = get(k)
        raw.FPDFPathSegment_GetPoint(segment, ctypes.byref(x), ctypes.byref(y))
        point = _to_mm(*_apply(matrix, x.value, y.value), frame)
        kind = raw.FPDFPathSegment_GetType(segment)
        if kind == raw.FPDF_SEGMENT_BEZIERTO:
            curve.extend(point)
            if len(curve) == 6:
                commands.append(("B", tuple(curve)))
                curve = []
        else:
            commands.append(("M" if kind == raw.FPDF_SEGMENT_MOVETO else "L", point))
        if raw.FPDFPathSegment_GetClose(segment):
            commands.append(("C", ()))
    return tuple(commands)


def _dash(obj: object, scale: float) -> tuple[float, ...]:
    import pypdfium2.raw as raw

    count = raw.FPDFPageObj_GetDashCount(obj)
    if count <= 0:
        return ()
    values = (ctypes.c_float * count)()
    raw.FPDFPageObj_GetDashArray(obj, values, count)
    return tuple(v * scale * MM for v in values)


def _clips(obj: object, frame: Frame) -> tuple[tuple[Command, ...], ...]:
    """The clip paths a page object is drawn through (PDFium gives them in page space)."""
    import pypdfium2.raw as raw

    clip = raw.FPDFPageObj_GetClipPath(obj)
    if not clip:
        return ()
    paths = []
    for path in range(raw.FPDFClipPath_CountPaths(clip)):
        count = raw.FPDFClipPath_CountPathSegments(clip, path)
        segments = [raw.FPDFClipPath_GetPathSegment(clip, path, k) for k in range(count)]
        paths.append(_segments(len(segments), segments.__getitem__, IDENTITY, frame))
    return tuple(paths)


def _picture(document: object, page: object, obj: object, matrix: Matrix, frame: Frame) -> Picture | None:
    """An image object: a JPEG as stored, anything else as PNG (with its soft mask as alpha)."""
    import pypdfium2.raw as raw

    corners = [_to_mm(*_apply(matrix, u, v), frame) for u, v in ((0, 0), (1, 0), (0, 1), (1, 1))]
    xs, ys = [c[0] for c in corners], [c[1] for c in corners]
    box = (min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))
    if box[2] <= 0 or box[3] <= 0:
        return None
    flipped = corners[2][1] > corners[0][1]  # the image's top edge (v = 1) lies below its bottom edge
    if _filters(obj) == ["DCTDecode"]:
        size = raw.FPDFImageObj_GetImageDataRaw(obj, None, 0)
        buffer = (ctypes.c_uint8 * size)()
        raw.FPDFImageObj_GetImageDataRaw(obj, buffer, size)
        return Picture(bytes(buffer), "JPEG", box, flipped)
    return Picture(_png(document, page, obj), "PNG", box, flipped)


def _filters(obj: object) -> list[str]:
    import pypdfium2.raw as raw

    names = []
    for index in range(raw.FPDFImageObj_GetImageFilterCount(obj)):
        size = raw.FPDFImageObj_GetImageFilter(obj, index, None, 0)
        buffer = ctypes.create_string_buffer(size)
        raw.FPDFImageObj_GetImageFilter(obj, index, buffer, size)
        names.append(buffer.value.decode("latin-1"))
    return names


def _png(document: object, page: object, obj: object) -> bytes:
    """The image at its own pixel size, its soft mask applied, as PNG.

    PDFium's "rendered bitmap" applies the mask but draws at the object's size on the page
    in points; the object is given its pixel size as matrix for that call, then put back.
    """
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    width, height = ctypes.c_uint(), ctypes.c_uint()
    raw.FPDFImageObj_GetImagePixelSize(obj, ctypes.byref(width), ctypes.byref(height))
    saved = raw.FS_MATRIX()
    raw.FPDFPageObj_GetMatrix(obj, saved)
    raw.FPDFPageObj_SetMatrix(obj, raw.FS_MATRIX(float(width.value), 0, 0, float(height.value), 0, 0))
    try:
        handle = raw.FPDFImageObj_GetRenderedBitmap(document.raw, page.raw, obj)  # type: ignore[attr-defined]
    finally:
        raw.FPDFPageObj_SetMatrix(obj, saved)
    if not handle:
        raise ValueError("PDFium could not decode an image")
    image = pdfium.PdfBitmap.from_raw(handle).to_pil()
    buffer = io.BytesIO()
    image.save(buffer, "PNG", compress_level=6)
    return buffer.getvalue()
