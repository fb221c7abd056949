"""Print HTML → PDF bytes (WeasyPrint).

Resources load only from the allowed folders (issue folder, layouts, fonts);
everything else is refused and reported. The HTML first gets the Chinese
line rules and squeezes (jianbao/typeset.py); after layout each non-final
line is stretched flush, and the 报尾 is moved to the bottom of the last
page — neither of which CSS alone can express in WeasyPrint.
"""

from __future__ import annotations

import mimetypes
import warnings
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from jianbao.errors import BuildError
from jianbao.footnote_pages import force_break_for_misplaced_note
from jianbao.typeset import clean_bookmarks, justify_lines, prepare_html


class ConfinedFetcher(URLFetcher):
    """Serve `file:` URLs inside the allowed roots; refuse everything else."""

    def __init__(self, roots: list[Path]):
        super().__init__(allowed_protocols={"file"}, fail_on_errors=False)
        self.roots = [root.resolve() for root in roots]
        self.refused: list[str] = []

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        path = self.allowed_path(url)
        if path is None:
            self.refused.append(url)
            raise ValueError(f"refused: {url}")
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), headers={"Content-Type": kind})

    def allowed_path(self, url: str) -> Path | None:
        """The file `url` names, if it is a regular file inside a root."""
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            return None
        path = Path(unquote(parts.path)).resolve()
        if not path.is_file() or not any(path.is_relative_to(root) for root in self.roots):
            return None
        return path


# Layouts again when a footnote is printed away from its call (one forced break each).
MAX_RELAYOUTS = 3


def write_pdf(
    html: str,
    base_dir: Path,
    roots: list[Path],
    pdf_variant: str | None = None,
    stylesheets: tuple[Path, ...] = (),
) -> bytes:
    """Lay out `html` (relative URLs resolve against `base_dir`) and return the PDF.

    `pdf_variant` is one of WeasyPrint's variants, e.g. "pdf/a-2b" for archiving;
    `stylesheets` are applied after the document's own.
    """
    fetcher = ConfinedFetcher(roots)
    html = prepare_html(html)
    extra = [CSS(filename=str(path), url_fetcher=fetcher) for path in stylesheets]
    source = HTML(string=html, base_url=base_dir.resolve().as_uri() + "/", url_fetcher=fetcher)
    document = source.render(stylesheets=extra)
    for _ in range(MAX_RELAYOUTS):
        # WeasyPrint may print a footnote a page after its call; see jianbao/footnote_pages.py.
        if not force_break_for_misplaced_note(document):
            break
        document = source.render(stylesheets=extra)
    if fetcher.refused:
        raise BuildError("拒绝读取内容文件夹以外的资源：" + "、".join(fetcher.refused))
    justify_lines(document)
    clean_bookmarks(document)
    move_colophon_to_bottom(document)
    with warnings.catch_warnings():
        # WeasyPrint 70 never closes the sRGB profile it reads for PDF/A's output intent.
        warnings.simplefilter("ignore", ResourceWarning)
        return document.write_pdf(pdf_variant=pdf_variant)


def move_colophon_to_bottom(document: object) -> None:
    """Shift the 报尾 down so its bottom rule sits on the 版心's bottom edge.

    WeasyPrint has no "last page" selector or bottom float, so we move the
    laid-out box; it has no links or bookmarks whose positions would go stale.
    """
    pages = getattr(document, "pages", [])
    if not pages:
        return
    page_box = pages[-1]._page_box
    for box in page_box.descendants():
        element = getattr(box, "element", None)
        if box.element_tag == "footer" and element is not None and "colophon" in element.get("class", ""):
            area_bottom = page_box.content_box_y() + page_box.height
            box_bottom = box.border_box_y() + box.border_height()
            if area_bottom > box_bottom:
                box.translate(dy=area_bottom - box_bottom)
            return
