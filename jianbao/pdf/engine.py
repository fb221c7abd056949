"""Print HTML → PDF bytes (WeasyPrint).

Resources load only from the allowed folders (issue folder, layouts, fonts);
everything else is refused and reported. The HTML first gets the Chinese
line rules and squeezes (jianbao/pdf/prepare.py); after layout each non-final
line is stretched flush, every 16 pt line is put on the line grid, and the
报尾 is moved to the bottom of the last page — none of which CSS alone can
express in WeasyPrint.
"""

from __future__ import annotations

import gc
import mimetypes
import re
import warnings
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from jianbao.errors import ContentError, Problem, display_path
from jianbao.load import safety
from jianbao.load.sources import IMAGE_SUFFIXES, line_of
from jianbao.pdf import weasy_internals as internals

try:
    with internals.fast_library_load():
        from weasyprint import CSS, HTML
except OSError:  # pragma: no cover - a system where only the search finds the libraries
    from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

# These use WeasyPrint's box classes: imported only now, after the fast library load above.
from jianbao.pdf.footnotes import force_break_for_misplaced_note
from jianbao.pdf.justify import clean_bookmarks, justify_lines, snap_to_grid
from jianbao.pdf.prepare import prepare_html


class ConfinedFetcher(URLFetcher):
    """Serve `file:` URLs inside the allowed roots; refuse everything else."""

    def __init__(self, roots: list[Path]):
        super().__init__(allowed_protocols={"file"}, fail_on_errors=False)
        self.roots = [root.resolve() for root in roots]
        self.refused: list[tuple[str, str]] = []  # (url, why)

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        path = self.allowed_path(url)
        reason = "只能读取本期文件夹、版式文件夹和字体文件夹中的文件" if path is None else None
        if path is not None and path.suffix.lower() in IMAGE_SUFFIXES:
            reason = safety.check_image_file(path)  # before WeasyPrint decodes it
        if path is None or reason:
            self.refused.append((url, reason or ""))
            raise ValueError(f"refused: {url}")
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), headers={"Content-Type": kind})

    def allowed_path(self, url: str) -> Path | None:
        """The file `url` names, if it is a regular file inside a root."""
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            return None
        text = unquote(parts.path)
        if "\0" in text:
            return None
        path = Path(text).resolve()
        if not path.is_file() or not any(path.is_relative_to(root) for root in self.roots):
            return None
        return path


# The licensed fonts' @font-face sources in the print HTML (jianbao/fonts.py writes them).
_FONT_FACE_URL = re.compile(r'@font-face\s*\{[^}]*?url\("([^"]+)"\)')


def font_configuration(html: str) -> FontConfiguration:
    """This process's Fontconfig set-up, kept from one PDF to the next.

    By default WeasyPrint makes one per document: Fontconfig reads its whole
    configuration again and every face is opened anew (≈ 70 ms a PDF), and a
    worker's memory creeps by ~0.3 MB a PDF. WeasyPrint caches @font-face
    fonts by URL, so a new set-up is made when those files change.
    """
    return _font_configuration(tuple(_file_state(url) for url in _FONT_FACE_URL.findall(html)))


@lru_cache(maxsize=1)
def _font_configuration(faces: tuple[tuple[str, int, int], ...]) -> FontConfiguration:
    return FontConfiguration()


def _file_state(url: str) -> tuple[str, int, int]:
    path = Path(unquote(urlsplit(url).path))
    try:
        state = path.stat()
    except OSError:
        return url, -1, -1
    return url, state.st_size, state.st_mtime_ns


# Layouts again when a footnote is printed away from its call (one forced break each).
MAX_RELAYOUTS = 3


def write_pdf(
    html: str,
    base_dir: Path,
    roots: list[Path],
    pdf_variant: str | None = None,
    stylesheets: tuple[Path, ...] = (),
    sources: Sequence[Path] = (),
) -> bytes:
    """Lay out `html` (relative URLs resolve against `base_dir`) and return the PDF.

    `pdf_variant` is one of WeasyPrint's variants, e.g. "pdf/a-2b" for archiving;
    `stylesheets` are applied after the document's own.
    A refused resource is a content error at the line of the article (one of
    `sources`, the Markdown files) that names it.
    """
    # WeasyPrint's per-document font objects hold whole font files (~25 MB each) in reference
    # cycles: the last PDF's are freed before this layout (a worker rendering many issues would
    # otherwise grow past 1 GB before the GC runs), not after it, where a one-PDF build would wait.
    gc.collect()
    internals.make_array_types_directly()
    fetcher = ConfinedFetcher(roots)
    fonts = font_configuration(html)
    html = prepare_html(html)
    extra = [CSS(filename=str(path), url_fetcher=fetcher, font_config=fonts) for path in stylesheets]
    source = HTML(string=html, base_url=base_dir.resolve().as_uri() + "/", url_fetcher=fetcher)
    document = source.render(stylesheets=extra, font_config=fonts)
    for _ in range(MAX_RELAYOUTS):
        # WeasyPrint may print a footnote a page after its call; see jianbao/footnote_pages.py.
        if not force_break_for_misplaced_note(document):
            break
        del document  # free the first layout (and its fonts) before making the next one
        gc.collect()
        document = source.render(stylesheets=extra, font_config=fonts)
    if fetcher.refused:
        raise ContentError([refusal_problem(url, why, sources) for url, why in fetcher.refused])
    justify_lines(document)
    snap_to_grid(document)
    clean_bookmarks(document)
    move_colophon_to_bottom(document)
    with warnings.catch_warnings():
        # WeasyPrint 70 never closes the sRGB profile it reads for PDF/A's output intent.
        warnings.simplefilter("ignore", ResourceWarning)
        return bytes(document.write_pdf(pdf_variant=pdf_variant))


def refusal_problem(url: str, why: str, articles: Sequence[Path]) -> Problem:
    """Name the article (and line) that asked for a refused resource; else the layouts."""
    name = Path(unquote(urlsplit(url).path)).name
    for source in articles:
        try:
            text = source.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            continue
        if name and name in text:
            line = line_of(text, name)
            return Problem(display_path(source), line, f"拒绝读取资源“{url}”（{why}）")
    return Problem("layouts", 0, f"版式引用的资源被拒绝读取：“{url}”（{why}）")


def move_colophon_to_bottom(document: object) -> None:
    """Shift the 报尾 down so its bottom rule sits on the 版心's bottom edge.

    WeasyPrint has no "last page" selector or bottom float, so we move the
    laid-out box; it has no links or bookmarks whose positions would go stale.
    """
    pages = getattr(document, "pages", [])
    if not pages:
        return
    page_box = internals.page_box(pages[-1])
    for box in page_box.descendants():
        element = getattr(box, "element", None)
        if box.element_tag == "footer" and element is not None and "colophon" in element.get("class", ""):
            area_bottom = page_box.content_box_y() + page_box.height
            box_bottom = box.border_box_y() + box.border_height()
            if area_bottom > box_bottom:
                box.translate(dy=area_bottom - box_bottom)
            return
