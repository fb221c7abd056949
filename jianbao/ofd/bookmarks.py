"""A PDF's bookmarks → the OFD outline's entries: title, page and place (mm), with their children.

jianbao's PDFs bookmark the 报头, 本期要目, each article and its 一、 headings
(jianbao/pdf/justify.py: clean_bookmarks); the OFD's Outlines repeat them.
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterator

from jianbao.ofd.drawn import MM, Mark


def read_outline(document: object, frames: list[tuple[float, float]]) -> tuple[Mark, ...]:
    """The bookmarks of a pypdfium2 document whose pages' top left corners are `frames` (PDF points)."""
    return tuple(_marks(document, _first_child(document, None), frames, 0))


def _first_child(document: object, bookmark: object) -> object:
    import pypdfium2.raw as raw

    return raw.FPDFBookmark_GetFirstChild(document.raw, bookmark)  # type: ignore[attr-defined]


def _marks(document: object, bookmark: object, frames: list[tuple[float, float]], depth: int) -> Iterator[Mark]:
    """The bookmarks from `bookmark` on, with their children (depth-limited against cycles)."""
    import pypdfium2.raw as raw

    seen = 0
    while bookmark and seen < 10_000 and depth < 16:
        seen += 1
        size = raw.FPDFBookmark_GetTitle(bookmark, None, 0)
        buffer = ctypes.create_string_buffer(size)
        raw.FPDFBookmark_GetTitle(bookmark, buffer, size)
        title = buffer.raw[: max(0, size - 2)].decode("utf-16-le", "replace")
        dest = raw.FPDFBookmark_GetDest(document.raw, bookmark)  # type: ignore[attr-defined]
        page = raw.FPDFDest_GetDestPageIndex(document.raw, dest) if dest else -1  # type: ignore[attr-defined]
        x, y = _dest_point(dest, frames[page] if 0 <= page < len(frames) else (0.0, 0.0))
        children = tuple(_marks(document, _first_child(document, bookmark), frames, depth + 1))
        if 0 <= page < len(frames):
            yield Mark(title, page, x, y, children)
        bookmark = raw.FPDFBookmark_GetNextSibling(document.raw, bookmark)  # type: ignore[attr-defined]


def _dest_point(dest: object, frame: tuple[float, float]) -> tuple[float, float]:
    import pypdfium2.raw as raw

    if not dest:
        return 0.0, 0.0
    has_x, has_y, has_zoom = ctypes.c_int(), ctypes.c_int(), ctypes.c_int()
    x, y, zoom = ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    raw.FPDFDest_GetLocationInPage(dest, *(ctypes.byref(v) for v in (has_x, has_y, has_zoom, x, y, zoom)))
    left, top = frame
    return ((x.value if has_x.value else left) - left) * MM, (top - (y.value if has_y.value else top)) * MM
