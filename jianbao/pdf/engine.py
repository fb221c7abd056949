"""Print HTML → PDF bytes (WeasyPrint).

Resources load only from the allowed folders (issue folder, layouts, fonts);
everything else is refused and reported. The HTML comes with the Chinese
line rules and squeezes in place (jianbao/pdf/typeset.py); a document with lines that
would spread is laid out again with room made on them; after layout each non-final
line is stretched flush, every 16 pt line is put on the line grid, and the
报尾 is moved to the bottom of the last page — none of which CSS alone can
express in WeasyPrint.
"""

from __future__ import annotations

import gc
import mimetypes
import os
import warnings
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from jianbao import disk
from jianbao.errors import BuildError, ContentError, Problem, UnreadableError, display_path
from jianbao.load import safety
from jianbao.load.safety import IMAGE_SUFFIXES
from jianbao.pdf.fonts import FONT_SUFFIXES
from jianbao.pdf.internals import colour, install, loading

try:
    with loading.fast_library_load():
        from weasyprint import CSS, HTML
except OSError:  # pragma: no cover - a system where only the search finds the libraries
    from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

# These use WeasyPrint's box classes: imported only now, after the fast library load above.
from jianbao.pdf.floats import float_past_text
from jianbao.pdf.footnotes import force_break_for_misplaced_note
from jianbao.pdf.grid import snap_to_grid
from jianbao.pdf.internals import boxes
from jianbao.pdf.justify import clean_bookmarks, justify_lines
from jianbao.pdf.pagereport import page_room, short_pages
from jianbao.pdf.printed import Printed
from jianbao.pdf.tables import unmark_first_parts
from jianbao.pdf.tighten import tighten_spread_lines


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
        data = b""
        if path is not None and not reason:
            try:
                data = disk.read_bounded(path, resource_kind(path))
            except UnreadableError as exc:
                reason = exc.reason
        if path is None or reason:
            self.refused.append((url, reason or ""))
            raise ValueError(f"refused: {url}")
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), data, headers={"Content-Type": kind})

    def allowed_path(self, url: str) -> Path | None:
        """The file `url` names, if it is a regular file inside a root."""
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            return None
        text = unquote(parts.path)
        if "\0" in text:
            return None
        path = Path(os.path.realpath(text))  # (never raises, not even on a symlink loop)
        if not path.is_file() or not any(path.is_relative_to(root) for root in self.roots):
            return None
        return path


def resource_kind(path: Path) -> disk.Kind:
    """What a resource WeasyPrint asks for is, for its size limit: an image, a font, or a style sheet."""
    suffix = path.suffix.lower()
    return disk.IMAGE if suffix in IMAGE_SUFFIXES else disk.FONT if suffix in FONT_SUFFIXES else disk.LAYOUT


def font_configuration(font_files: Sequence[Path]) -> FontConfiguration:
    """This process's Fontconfig set-up, kept from one PDF to the next.

    By default WeasyPrint makes one per document: Fontconfig reads its whole
    configuration again and every face is opened anew for each PDF, and a
    worker's memory creeps with every PDF. WeasyPrint caches @font-face
    fonts by URL, so a new set-up is made when those files (`font_files`,
    the licensed fonts the print HTML's @font-face rules name) change.
    """
    return _font_configuration(tuple(_file_state(path) for path in font_files))


@lru_cache(maxsize=1)
def _font_configuration(faces: tuple[tuple[str, int, int], ...]) -> FontConfiguration:
    return FontConfiguration()


def _file_state(path: Path) -> tuple[str, int, int]:
    try:
        state = path.stat()
    except OSError:
        return str(path), -1, -1
    return str(path), state.st_size, state.st_mtime_ns


# Layouts again while the pages ask for an edit of the parsed document (settle); lines that would
# spread on the first TIGHTEN_ROUNDS layouts only.
MAX_RELAYOUTS = 4
TIGHTEN_ROUNDS = 2


def settle(document: Any, render: Callable[[], Any]) -> Any:
    """Lay the document out again while its pages ask for an edit of the parsed tree.

    After the first layout: a figure or table that left a gap floats past the text after it
    (floats.py) and lines that would spread get room (tighten.py; again after the second).
    Once nothing else moves, a footnote printed a page after its call forces a break
    (footnotes.py). Only documents with such pages pay for the extra layouts.
    """
    pending = float_past_text(document) | tighten_spread_lines(document)
    for layout in range(MAX_RELAYOUTS):
        if not pending:
            pending = force_break_for_misplaced_note(document)
        if not pending:
            break
        del document  # free the last layout (and its fonts) before making the next one
        gc.collect()
        document = render()
        pending = layout + 1 < TIGHTEN_ROUNDS and tighten_spread_lines(document)
    return document


def write_pdf(*args: Any, **kwargs: Any) -> bytes:
    """`print_pdf`'s PDF alone."""
    return print_pdf(*args, **kwargs).pdf


def print_pdf(
    html: str,
    base_dir: Path,
    roots: list[Path],
    pdf_variant: str | None = None,
    stylesheets: tuple[Path, ...] = (),
    sources: Sequence[Path] = (),
    font_files: Sequence[Path] = (),
) -> Printed:
    """Lay out `html` (relative URLs resolve against `base_dir`) and return the PDF and its page report.

    `pdf_variant` is one of WeasyPrint's variants, e.g. "pdf/a-2b" for archiving;
    `stylesheets` are applied after the document's own.
    A refused resource is a content error at the line of the article (one of
    `sources`, the Markdown files) that names it. `font_files` are the licensed
    fonts the HTML's @font-face rules load (a change to one renews the font set-up).
    """
    # WeasyPrint's per-document font objects hold whole font files in reference
    # cycles: the last PDF's are freed before this layout (a worker rendering many issues would
    # otherwise grow past 1 GB before the GC runs), not after it, where a one-PDF build would wait.
    gc.collect()
    install()  # once per process: cffi's array types, black as one ink, no whole font file copied
    press = bool(pdf_variant and pdf_variant.startswith("pdf/x"))
    fetcher = ConfinedFetcher([*roots, *([press_profile()] if press else [])])
    fonts = font_configuration(font_files)
    profiles: dict[str, object] = {}
    # By URL, so that they too are read through the fetcher: confined, bounded.
    extra = [CSS(url=path.resolve().as_uri(), url_fetcher=fetcher, font_config=fonts) for path in stylesheets]
    if press:
        extra.append(CSS(string=press_css(), url_fetcher=fetcher, color_profiles=profiles))
    source = HTML(string=html, base_url=base_dir.resolve().as_uri() + "/", url_fetcher=fetcher)
    document = source.render(stylesheets=extra, font_config=fonts, color_profiles=profiles)
    # Lines that would spread get room (justify.tighten_spread_lines: twice at most, as a
    # paragraph's later lines move with the first fix), and WeasyPrint may print a footnote
    # a page after its call (footnotes.py): each edits the parsed document, and one more
    # layout serves both.
    document = settle(document, lambda: source.render(stylesheets=extra, font_config=fonts, color_profiles=profiles))
    if fetcher.refused:
        raise ContentError([refusal_problem(url, why, sources) for url, why in fetcher.refused])
    short, room = short_pages(document), page_room(document)
    unmark_first_parts(document)
    justify_lines(document)
    snap_to_grid(document)
    clean_bookmarks(document)
    move_colophon_to_bottom(document)
    paint_masthead_first(document)
    with warnings.catch_warnings():
        # WeasyPrint 70 never closes the sRGB profile it reads for PDF/A's output intent.
        warnings.simplefilter("ignore", ResourceWarning)
        finisher = finish_for_press if press else None
        # custom_metadata: the print layout's own <meta> names (status, approver, approved, corrections) go
        # into the document info, so a PDF says who signed it off and how often it was corrected (pdf/record.py).
        pdf = bytes(document.write_pdf(pdf_variant=pdf_variant, pdf_tags=True, finisher=finisher, custom_metadata=True))
    return Printed(pdf, short, len(document.pages), room)


# PDF/X's output intent: Ghostscript's default CMYK profile (Debian package libgs-common, 317 KB,
# no dependencies; scripts/setup.sh installs it). It is a full press characterisation (SWOP
# coated, ICC v2.1 "prtr" class, which every PDF/X-4 reader accepts), unlike ps_cmyk.icc (a
# 5 KB formula); icc-profiles-free ships no CMYK press profile at all. A print shop that
# prints to another condition converts from it.
PRESS_PROFILE = Path("/usr/share/color/icc/ghostscript/default_cmyk.icc")
PRESS_CONDITION = "Artifex CMYK SWOP Profile (Ghostscript default_cmyk.icc)"
# Page bleed for the print shop: the TrimBox stays A4, the MediaBox and BleedBox grow by this.
PRESS_BLEED = "3mm"


def press_profile() -> Path:
    """The CMYK profile of a PDF/X, or a clear error when its package is missing."""
    if not PRESS_PROFILE.is_file():
        raise BuildError(
            f"生成 PDF/X 需要 CMYK 色彩特性文件 {PRESS_PROFILE}（Debian 软件包 libgs-common）；"
            "请运行 bash scripts/setup.sh 安装"
        )
    return PRESS_PROFILE


def press_css() -> str:
    """The output intent's profile as the document's CMYK, and the bleed."""
    return (
        f'@color-profile device-cmyk {{ src: url("{press_profile().as_uri()}"); components: c, m, y, k; }}\n'
        f"@page {{ bleed: {PRESS_BLEED}; }}"
    )


def finish_for_press(document: object, pdf: object) -> None:
    """Complete WeasyPrint's PDF/X (public `finisher` hook of write_pdf).

    WeasyPrint names the output condition after the CSS profile ("device-cmyk"):
    a registered-looking name would be wrong, so it says "Custom" with the profile
    embedded, as PDF/X allows. Colour given in sRGB (e.g. an SVG chart) is
    declared sRGB through each page's DefaultRGB, so it is not device-dependent RGB.
    """
    import pydyf

    catalog = pdf.catalog  # type: ignore[attr-defined]
    for intent in catalog.get("OutputIntents", []):
        intent["OutputConditionIdentifier"] = pydyf.String("Custom")
        intent["OutputCondition"] = pydyf.String(PRESS_CONDITION)
        intent["Info"] = pydyf.String(PRESS_CONDITION)
        intent["RegistryName"] = pydyf.String("http://www.color.org")
    srgb = pydyf.Stream([colour.srgb_profile_bytes()], pydyf.Dictionary({"N": 3}), compress=True)
    pdf.add_object(srgb)  # type: ignore[attr-defined]
    for item in pdf.objects:  # type: ignore[attr-defined]
        if colour.is_colour_space_resources(item):
            item["DefaultRGB"] = pydyf.Array(("/ICCBased", srgb.reference))


def refusal_problem(url: str, why: str, articles: Sequence[Path]) -> Problem:
    """Name the article (and line) that asked for a refused resource; else the layouts."""
    name = Path(unquote(urlsplit(url).path)).name
    for source in articles:
        try:
            text = disk.read_bounded(source, disk.ARTICLE).decode("utf-8-sig")
        except (UnreadableError, UnicodeDecodeError):
            continue
        if name and name in text:
            line = text.count("\n", 0, text.index(name)) + 1
            return Problem(display_path(source), line, f"拒绝读取资源“{url}”（{why}）")
    return Problem("layouts", 0, f"版式引用的资源被拒绝读取：“{url}”（{why}）")


def move_colophon_to_bottom(document: object) -> None:
    """Shift the 报尾 down so its bottom rule sits on the 版心's bottom edge; the last page's footnotes,
    if any, go right above it (the 报尾 closes the page, as GB/T 9704 has it).

    WeasyPrint has no "last page" selector or bottom float, so we move the
    laid-out boxes; they have no links or bookmarks whose positions would go stale.
    WeasyPrint laid the page out with room for the 报尾 and the footnotes (a 报尾
    that does not fit goes to the next page, `break-inside: avoid`, taking lines
    of the text along, `break-before: avoid`), so swapping the two never makes them
    overlap the text: the 报尾 only ever moves down.
    """
    pages = getattr(document, "pages", [])
    if not pages:
        return
    page_box = boxes.page_box(pages[-1])
    notes = boxes.footnote_area(pages[-1])
    for box in page_box.descendants():
        element = getattr(box, "element", None)
        if box.element_tag == "footer" and element is not None and "colophon" in element.get("class", ""):
            area_bottom = page_box.content_box_y() + page_box.height
            box_top = box.border_box_y()
            box_bottom = box_top + box.border_height()
            if area_bottom > box_bottom:
                box.translate(dy=area_bottom - box_bottom)
            if notes is not None:
                notes_bottom = notes.position_y + notes.margin_height()
                notes.translate(dy=box.border_box_y() - notes_bottom)
            return


def paint_masthead_first(document: object) -> None:
    """Put the 报头 first in page 1's content stream, as it is first on the page and in the tags."""
    pages = getattr(document, "pages", [])
    if not pages:
        return
    for box in boxes.page_box(pages[0]).descendants():
        element = getattr(box, "element", None)
        if element is not None and "masthead" in element.get("class", "").split():
            boxes.paint_in_tree_order(box)
            return
