"""A print PDF → a small PNG of its first page: the cover thumbnail the archive shows beside each issue.

Rendered with PDFium (pypdfium2) right after the PDF, in the same worker, and
cached with it; a few KB each (a 64-colour palette), so the archive stays light.
"""

from __future__ import annotations

import io

COVER_NAME = "cover.png"
COVER_WIDTH = 160  # px: shown 80 CSS px wide, sharp on a 2× screen


def cover_png(pdf: bytes, width: int = COVER_WIDTH) -> bytes:
    """The first page of `pdf` as a PNG `width` pixels wide."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        page = document[0]
        image = page.render(scale=width / page.get_width()).to_pil()
        page.close()
    finally:
        document.close()
    buffer = io.BytesIO()
    image.convert("RGB").quantize(colors=64).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()
