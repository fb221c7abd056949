"""Print HTML → PDF bytes (WeasyPrint).

Resources load only from the allowed folders (issue folder, layouts, fonts);
everything else is refused and reported. After layout the 报尾 is moved to
the bottom of the last page, which CSS alone cannot express.
"""

from __future__ import annotations

import ctypes.util
import gc
import mimetypes
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlsplit

from jianbao.errors import BuildError


@contextmanager
def _no_library_search() -> Iterator[None]:
    """Let cffi try WeasyPrint's library names without `ctypes.util.find_library`.

    WeasyPrint 70 tries names such as "libgobject-2.0-0" before the real sonames,
    and for every miss cffi calls find_library, which runs ldconfig, gcc and ld:
    ~0.2 s of each start-up. The sonames it tries next ("libgobject-2.0.so.0")
    are opened by dlopen directly, so skipping the search changes nothing else.
    """
    original = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        yield
    finally:
        ctypes.util.find_library = original


try:
    with _no_library_search():
        from weasyprint import HTML
except OSError:  # pragma: no cover - a system where only the search finds the libraries
    from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: E402


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


def write_pdf(html: str, base_dir: Path, roots: list[Path]) -> bytes:
    """Lay out `html` (relative URLs resolve against `base_dir`) and return the PDF."""
    fetcher = ConfinedFetcher(roots)
    document = HTML(string=html, base_url=base_dir.resolve().as_uri() + "/", url_fetcher=fetcher).render()
    if fetcher.refused:
        raise BuildError("拒绝读取内容文件夹以外的资源：" + "、".join(fetcher.refused))
    move_colophon_to_bottom(document)
    pdf = document.write_pdf()
    # WeasyPrint's per-document font objects hold whole font files (~25 MB each) in reference
    # cycles: free them now, or a worker rendering many issues grows past 1 GB before the GC runs.
    del document
    gc.collect()
    return bytes(pdf)


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
