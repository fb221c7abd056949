"""Every reach into a dependency's private internals, in one place, checked against the verified version.

WeasyPrint, Pango and cffi, ctypes, and the standard library's process pool.

WeasyPrint has no public API for what jianbao does after layout (stretching
Chinese lines, moving the 报尾, keeping footnotes on their page), and its
start-up, per-PDF and memory costs have causes we can only remove from outside. Each
function below says which private attribute or behaviour it relies on and
why. They were verified against `VERIFIED_WEASYPRINT`; `check_version()`
refuses any other major release with a clear message at start-up, and the
canary tests (`pytest -m upgrade`, tests/test_internals.py) exercise each
one, so an upgrade fails loudly in one place instead of printing wrong pages.

Nothing here imports WeasyPrint at module level: `check_version` runs before it loads.
"""

from __future__ import annotations

import ctypes.util
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from jianbao.errors import BuildError

# The WeasyPrint release whose internals this module was checked against (major.minor).
VERIFIED_WEASYPRINT = (70, 0)


def weasyprint_version() -> str:
    """The installed WeasyPrint's version, read without importing it."""
    from importlib import metadata

    try:
        return metadata.version("weasyprint")
    except metadata.PackageNotFoundError:
        return "0"


def check_version(installed: str | None = None) -> None:
    """Refuse a WeasyPrint whose major version differs from the verified one (a message, not a traceback)."""
    installed = installed or weasyprint_version()
    digits = re.match(r"\d+", installed)
    major = int(digits[0]) if digits else 0
    if major != VERIFIED_WEASYPRINT[0]:
        verified = ".".join(map(str, VERIFIED_WEASYPRINT))
        raise BuildError(
            f"已安装的 WeasyPrint 版本为 {installed}，jianbao 只在 {verified} 上核对过它的内部接口"
            "（jianbao/pdf/weasy_internals.py）；请运行 bash scripts/setup.sh 安装锁定的版本"
        )


# --- ctypes: WeasyPrint's library loading -------------------------------------------------


@contextmanager
def fast_library_load() -> Iterator[None]:
    """Let cffi try WeasyPrint's library names without `ctypes.util.find_library` (patched process-wide, briefly).

    WeasyPrint 70 tries names such as "libgobject-2.0-0" before the real sonames,
    and for every miss cffi calls find_library, which runs ldconfig, gcc and ld:
    a large part of each start-up. The sonames it tries next ("libgobject-2.0.so.0")
    are opened by dlopen directly, so skipping the search changes nothing else.
    """
    original = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        yield
    finally:
        ctypes.util.find_library = original


# --- cffi: array types for HarfBuzz ------------------------------------------------------


class _ArrayTypes(dict[str, Any]):
    """cffi's parsed-type cache (`ffi._parsed_types`) that makes array types of a known item type directly.

    WeasyPrint asks cffi for a `hb_codepoint_t[N]` of a new length N for each
    font of each PDF, and cffi parses every new type string with pycparser,
    declaring all ~120 typedefs of WeasyPrint's cdef again first. The backend
    (`ffi._backend`) builds the same, unique, type without a parser.
    """

    _ARRAY = re.compile(r"([A-Za-z_]\w*)\[(\d+)\]")

    def __init__(self, ffi: Any, known: dict[str, Any]):
        super().__init__(known)
        self.ffi = ffi

    def __missing__(self, cdecl: str) -> tuple[Any, bool]:
        match = self._ARRAY.fullmatch(cdecl) if isinstance(cdecl, str) else None
        if match is None:
            raise KeyError(cdecl)  # cffi parses it, as usual
        pointer = self.ffi.typeof(f"{match[1]} *")  # parsed once per item type
        entry = (self.ffi._backend.new_array_type(pointer, int(match[2])), False)  # (type, is a function)
        self[cdecl] = entry
        return entry


def make_array_types_directly() -> None:
    """Give WeasyPrint's cffi instance the `_ArrayTypes` cache (once; a no-op for an unknown cffi)."""
    from weasyprint.text.ffi import ffi

    known = getattr(ffi, "_parsed_types", None)
    if type(known) is dict and hasattr(ffi, "_backend"):
        ffi._parsed_types = _ArrayTypes(ffi, known)


# --- WeasyPrint's laid-out pages ----------------------------------------------------------


def page_box(page: Any) -> Any:
    """The laid-out box tree of a `weasyprint.Page` (private `_page_box`: the public Page has no boxes)."""
    return page._page_box


def drop_characters(box: Any, char: str) -> None:
    """Take `char` out of a laid-out TextBox: from its text and from its Pango layout's
    (`pango_layout.text`, which is what WeasyPrint draws), without a new layout."""
    box.text = box.text.replace(char, "")
    box.pango_layout.text = box.pango_layout.text.replace(char, "")


def set_letter_spacing(box: Any, spacing: float) -> None:
    """Draw a laid-out TextBox with another letter spacing (px); its style dict is shared, so it is copied."""
    style = box.style.copy()
    style["letter_spacing"] = spacing
    box.style = style


def drop_word_justification(box: Any) -> float:
    """Draw a laid-out TextBox's spaces at their own width again; return the width taken off.

    WeasyPrint 70's `text-align: justify` puts a line's whole slack into its spaces
    (layout/inline.py, `add_word_spacing`: `box.justification_spacing`, which the
    box's Pango layout adds to each space when it is drawn). In a line of Chinese
    with one Latin word space that is one wide hole; justify.py spreads the slack
    over every gap instead.
    """
    spacing = getattr(box, "justification_spacing", 0)
    if not spacing:
        return 0.0
    removed = spacing * (box.text.count(" ") + box.text.count("\u00a0"))
    box.justification_spacing = 0
    box.pango_layout.justification_spacing = 0
    box.width -= removed
    return float(removed)


def drawn_spacing(units: int, font_size: float) -> float:
    """The spacing (px) drawn after each full-width glyph for a letter spacing
    of `units`/1024 px at `font_size` px.

    Pango adds the spacing to each glyph's advance and half of it to its x
    offset; WeasyPrint 70 (pdf/stream.py, show_text) writes the advance to the
    PDF as a whole number of thousandths of an em (truncated) plus the offset
    as a fraction. Doing the same arithmetic here makes every gap of a
    stretched line equal and puts its last glyph on the edge, instead of
    drifting by up to 1/1000 em a character.
    """
    glyph = round(font_size * 1024)  # a 1000-unit glyph, in Pango units
    offset = int(units / 2) / font_size  # WeasyPrint's offset, in thousandths of an em
    kerning = 1000 + offset - (glyph + units) * 1000 / 1024 / font_size
    return (offset - int(kerning)) * font_size / 1000


def pool_processes(executor: Any) -> list[Any]:
    """The worker processes of a `concurrent.futures.ProcessPoolExecutor` (private `_processes`).

    `shutdown(cancel_futures=True)` still waits for the layouts already running;
    killing the processes is the only way to stop them midway (Ctrl-C, an error).
    """
    return list((getattr(executor, "_processes", None) or {}).values())


def force_break_before(element: Any) -> None:
    """Make `element` start a new page at the next `render()` of the same `weasyprint.HTML`.

    WeasyPrint keeps the parsed tree in the HTML object and reads inline styles
    again on each render, so editing the element is enough (no public hook exists).
    """
    style = element.get("style", "")
    element.set("style", f"{style};break-before:page" if style else "break-before:page")


def _own_texts(element: Any) -> list[tuple[Any, str]]:
    """The text nodes directly in `element`: ("text", element) for its text, ("tail", child) for each child's tail."""
    return [(element, "text"), *((child, "tail") for child in element)]


def edit_text(element: Any, context: str, index: int, wrap_class: str | None, length: int = 1, style: str = "") -> bool:
    """Change `length` characters from `index` of `context` in `element`'s own text, for the next
    `render()` of the same `weasyprint.HTML`: wrap them in a span of class `wrap_class` (with
    inline `style`), or delete them (None).

    A laid-out TextBox keeps its element (`box.element`, the parsed tree's node) but not its
    place in the element's text, so `context` (the box's text) is looked up; it must occur
    exactly once. WeasyPrint builds its boxes from that tree again on each render (cssselect2
    makes new wrappers below the root), so editing it is enough. Returns False, changing
    nothing, when the context is not found once.
    """
    if element is None:
        return False  # an anonymous box's text (generated content) is in no element
    found = []
    for node, attr in _own_texts(element):
        text = getattr(node, attr) or ""
        start = text.find(context)
        while start >= 0:
            found.append((node, attr, start + index))
            start = text.find(context, start + 1)
    if len(found) != 1:
        return False
    node, attr, at = found[0]
    text = getattr(node, attr)
    if wrap_class is None:
        setattr(node, attr, text[:at] + text[at + length :])
        return True
    span = element.makeelement("span", {"class": wrap_class, **({"style": style} if style else {})})
    span.text, span.tail = text[at : at + length], text[at + length :]
    setattr(node, attr, text[:at])
    element.insert(0 if attr == "text" else list(element).index(node) + 1, span)
    return True


# --- WeasyPrint's PDF content streams ---------------------------------------------------------


def neutral_colours_as_gray() -> None:
    """Write an sRGB neutral (black, grays) as DeviceGray, once per process.

    WeasyPrint 70 (pdf/stream.py, `Stream.set_color`) writes every sRGB colour
    with `rg`/`RG` (pydyf's `set_color_rgb`), so black text is `0 0 0 rg` and a
    print shop separates it into four inks. A neutral r = g = b carries no hue:
    `0 g` is the same colour in one (K) ink, and DeviceGray is allowed in PDF/A
    and PDF/X alike. No public option does this; CSS could only say
    `device-cmyk(0 0 0 1)`, element by element, and not in PDF/A.
    """
    import pydyf
    from weasyprint.pdf.stream import Stream

    if getattr(Stream.set_color_rgb, "jianbao_gray", False):
        return
    rgb = pydyf.Stream.set_color_rgb

    def set_color_rgb(self: Any, r: float, g: float, b: float, stroke: bool = False) -> None:
        if r == g == b:
            level = f"{float(r):.4f}".rstrip("0").rstrip(".") or "0"  # no exponent: PDF has none
            self.stream.append(f"{level} {'G' if stroke else 'g'}".encode())
        else:
            rgb(self, r, g, b, stroke)

    set_color_rgb.jianbao_gray = True  # type: ignore[attr-defined]
    Stream.set_color_rgb = set_color_rgb


class _FaceData:
    """A HarfBuzz face's bytes, copied out only when read (`lazy_font_files`); keeps the face alive."""

    def __init__(self, face: Any, read: Callable[[Any], bytes | None]):
        self.face = face
        self.read = read

    def __bool__(self) -> bool:  # WeasyPrint tests the subset's data for emptiness before keeping it
        from weasyprint.text.ffi import harfbuzz

        blob = harfbuzz.hb_face_reference_blob(self.face)
        try:
            return bool(harfbuzz.hb_blob_get_length(blob))
        finally:
            harfbuzz.hb_blob_destroy(blob)


class _LazyFileContent:
    """`Font.file_content` that turns a `_FaceData` into bytes on first read."""

    def __get__(self, font: Any, owner: type | None = None) -> Any:
        if font is None:
            return self
        data = font.__dict__.get("_file_content")
        if isinstance(data, _FaceData):
            data = font.__dict__["_file_content"] = data.read(data.face)
        return data

    def __set__(self, font: Any, value: Any) -> None:
        font.__dict__["_file_content"] = value


def lazy_font_files() -> None:
    """Copy a font's whole file into memory only if it is read, once per process.

    WeasyPrint 70 (pdf/fonts.py, `Font.__init__`) copies the whole file of
    every font a PDF uses into a Python bytes object, then subsets with
    HarfBuzz from the face Pango has mapped and replaces the copy by the
    subset: the copy is never read. For an issue's CJK fonts (Fandol, Noto
    CJK, LXGW WenKai) that is 60 MB per PDF, the largest part of a render
    worker's peak. Here `get_hb_object_data` of a face (no colour glyph)
    returns a `_FaceData`, read on first use (a failed subset, a variable
    font), so the subset is the only copy ever made.
    """
    from weasyprint.pdf import fonts

    if isinstance(fonts.Font.__dict__.get("file_content"), _LazyFileContent):
        return
    read = fonts.get_hb_object_data

    def face_data(hb_object: Any, ot_color: str | None = None, glyph: Any = None) -> Any:
        if ot_color is None and glyph is None:
            return _FaceData(hb_object, read)
        return read(hb_object, ot_color, glyph)

    fonts.get_hb_object_data = face_data
    fonts.Font.file_content = _LazyFileContent()  # type: ignore[attr-defined]


def footnote_area_top(page: Any) -> float | None:
    """The top of a laid-out page's footnote area (margin edge, px), or None when it holds no footnote.

    WeasyPrint 70 (layout/page.py, make_page) makes the page's children
    `[root box, footnote area, note area]`; the area sits at the page bottom.
    """
    from weasyprint.formatting_structure.boxes import FootnoteAreaBox

    for child in page_box(page).children:
        if isinstance(child, FootnoteAreaBox) and child.children:
            return float(child.position_y)
    return None


def paint_in_tree_order(box: Any) -> None:
    """Have a laid-out box, and its positioned descendants, painted in document order.

    WeasyPrint 70 paints positioned boxes (stacking.py, `_dispatch`: any
    `position` but static) after the page's in-flow content, so a masthead
    laid out with `position: relative` / `absolute` came last in the page's
    content stream: text extraction, copy-paste and untagged readers gave the
    article before the masthead. Layout is done (positions are final), so the
    boxes are marked static on copies of their styles; only painting reads it.
    """
    from weasyprint.formatting_structure.boxes import BlockLevelBox, LineBox
    from weasyprint.layout.absolute import AbsolutePlaceholder

    stack: list[tuple[Any, Any]] = [(box, None)]
    while stack:
        current, parent = stack.pop()
        if isinstance(current, AbsolutePlaceholder):
            current = current._box
        # A positioned box inside a line stays positioned: WeasyPrint paints lines' children as inline.
        in_line = isinstance(parent, LineBox) or (parent is not None and not isinstance(parent, BlockLevelBox))
        positioned = current.style["position"] in ("relative", "absolute") and current.style["z_index"] == "auto"
        if positioned and not (in_line and isinstance(current, BlockLevelBox)):
            style = current.style.copy()
            style["position"] = "static"
            current.style = style
        stack.extend((child, current) for child in getattr(current, "children", ()))


def srgb_profile_bytes() -> bytes:
    """The sRGB ICC profile WeasyPrint ships for PDF/A (weasyprint/pdf/sRGB2014.icc, package data)."""
    from importlib.resources import files

    return (files("weasyprint.pdf") / "sRGB2014.icc").read_bytes()


def is_colour_space_resources(item: Any) -> bool:
    """Whether a PDF object is WeasyPrint's shared /ColorSpace resource dictionary.

    WeasyPrint 70 (pdf/__init__.py, generate_pdf) makes one for all pages, holding
    its `lab-d50` and `lab-d65` spaces; the `finisher` hook sees only the object list.
    """
    import pydyf

    return isinstance(item, pydyf.Dictionary) and "lab-d50" in item and "lab-d65" in item
