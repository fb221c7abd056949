"""A print PDF and its document info → the issue's OFD edition (bytes), in the render worker.

The one entry point: `make_ofd(pdf, edition)`. It reads the PDF's pages
(pages.py), resolves border paths into the rectangles they ink (shapes.py),
prepares the embedded fonts (fonts.py) and writes the package (package.py).
A problem it can name is a BuildError; the PDF is never affected by it.
"""

from __future__ import annotations

from dataclasses import replace

from jianbao.ofd.fonts import font_file
from jianbao.ofd.package import Edition, write_package
from jianbao.ofd.pages import Item, Layout, Page, Shape, read_layout
from jianbao.ofd.shapes import resolved

OFD_SUFFIX = ".ofd"


def make_ofd(pdf: bytes, edition: Edition) -> bytes:
    """The OFD package showing the pages of `pdf`, with `edition`'s document info."""
    layout = simplified(read_layout(pdf))
    fonts = [font_file(font) for font in layout.fonts]
    return write_package(layout, fonts, edition)


def simplified(layout: Layout) -> Layout:
    """The layout with every rectangle-only path drawn as the rectangles it inks."""
    return replace(layout, pages=tuple(_simplified_page(page) for page in layout.pages))


def _simplified_page(page: Page) -> Page:
    items: list[Item] = []
    for item in page.items:
        if isinstance(item, Shape):
            shape = resolved(item)
            if shape is not None:
                items.append(shape)
        else:
            items.append(item)
    return replace(page, items=tuple(items))
