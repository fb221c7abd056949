"""Render a PDF's pages in several engines and compare their ink, block by block.

Poppler (pdftoppm) is the reference; Ghostscript (`gs`, what CUPS drives most
printers with), MuPDF (`mutool draw`) and PDFium (pypdfium2, Chromium's
engine) must draw the same ink. Each page is rendered in gray at 72 dpi
without anti-aliasing and thresholded. A pixel inked in one engine counts as
matched when the other engine has ink within one pixel of it (hinting and
rounding differ between engines); what is left over is *missing* (poppler
has ink, the other engine none: a glyph drawn blank) or *extra* (the other
engine has ink poppler has not: a glyph drawn as a box, or the wrong glyph).
A block of 12 × 12 px (≈ 4 mm, a quarter of a 16 pt character's neighbourhood)
whose unmatched ink is a large part of its ink is a bad block.

    python -m tests.renderers FILE.pdf...     print the table for these PDFs
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageChops, ImageFilter

DPI = 96
BLOCK = 16  # px
DARK = 235  # gray level below which a pixel is ink: red 0/80/80/0 and a 0.5 pt hairline included
# A block is bad when its unmatched ink exceeds both of these.
BAD_SHARE = 0.35  # of the block's ink in the engine with more ink
BAD_PIXELS = 12

ENGINES = ("gs", "mupdf", "pdfium")


def available() -> dict[str, bool]:
    """Which engines this machine has (poppler is required for all)."""
    try:
        import pypdfium2  # noqa: F401

        pdfium = True
    except ImportError:  # pragma: no cover - it comes with the test dependencies
        pdfium = False
    return {
        "poppler": bool(shutil.which("pdftoppm")),
        "gs": bool(shutil.which("gs")),
        "mupdf": bool(shutil.which("mutool")),
        "pdfium": pdfium,
    }


def _pages(folder: Path, prefix: str) -> list[Image.Image]:
    files = sorted(folder.glob(f"{prefix}-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    return [Image.open(path).convert("L") for path in files]


def render(pdf: Path, engine: str, dpi: int = DPI) -> list[Image.Image]:
    """Every page of `pdf` as an 8-bit gray image (anti-aliased: a hairline stays visible)."""
    if engine == "pdfium":
        import pypdfium2 as pdfium

        document = pdfium.PdfDocument(str(pdf))
        try:
            return [page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L") for page in document]
        finally:
            document.close()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        if engine == "poppler":
            command = ["pdftoppm", "-r", str(dpi), "-gray", "-png"]
            command += [str(pdf), str(out / "p")]
        elif engine == "gs":
            command = ["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=pnggray", f"-r{dpi}"]
            command += ["-dTextAlphaBits=4", "-dGraphicsAlphaBits=4", f"-sOutputFile={out}/p-%d.png", str(pdf)]
        elif engine == "mupdf":
            command = ["mutool", "draw", "-q", "-r", str(dpi), "-c", "gray"]
            command += ["-o", f"{out}/p-%d.png", str(pdf)]
        else:
            raise ValueError(engine)
        subprocess.run(command, check=True, capture_output=True, timeout=300)
        return [image.copy() for image in _pages(out, "p")]


def ink_mask(image: Image.Image) -> Image.Image:
    """255 where the page has ink, 0 elsewhere."""
    return image.point(lambda level: 255 if level < DARK else 0)


@dataclass
class PageDiff:
    page: int
    ink: int  # poppler's inked pixels
    missing: int  # poppler's ink the other engine lacks
    extra: int  # the other engine's ink poppler lacks
    bad_blocks: list[tuple[int, int]] = field(default_factory=list)  # (x, y) in px, top left


def _count(mask: Image.Image) -> int:
    return int(mask.histogram()[255])


def _block_counts(mask: Image.Image) -> list[list[int]]:
    width, height = mask.size
    rows = []
    for top in range(0, height, BLOCK):
        row = []
        for left in range(0, width, BLOCK):
            row.append(_count(mask.crop((left, top, min(left + BLOCK, width), min(top + BLOCK, height)))))
        rows.append(row)
    return rows


def compare_page(reference: Image.Image, other: Image.Image, page: int) -> PageDiff:
    """Unmatched ink between two renderings of one page."""
    size = (min(reference.width, other.width), min(reference.height, other.height))
    ref = ink_mask(reference.crop((0, 0, *size)))
    oth = ink_mask(other.crop((0, 0, *size)))
    missing = ImageChops.subtract(ref, oth.filter(ImageFilter.MaxFilter(5)))
    extra = ImageChops.subtract(oth, ref.filter(ImageFilter.MaxFilter(5)))
    diff = PageDiff(page, _count(ref), _count(missing), _count(extra))
    if not diff.missing and not diff.extra:
        return diff
    unmatched = _block_counts(ImageChops.add(missing, extra))
    ink_ref, ink_oth = _block_counts(ref), _block_counts(oth)
    for y, row in enumerate(unmatched):
        for x, count in enumerate(row):
            most = max(ink_ref[y][x], ink_oth[y][x])
            if count > BAD_PIXELS and count > BAD_SHARE * most:
                diff.bad_blocks.append((x * BLOCK, y * BLOCK))
    return diff


@dataclass
class EngineReport:
    engine: str
    pages: list[PageDiff]

    @property
    def ink(self) -> int:
        return sum(p.ink for p in self.pages)

    @property
    def missing_share(self) -> float:
        """Share of poppler's ink this engine does not draw."""
        return sum(p.missing for p in self.pages) / max(self.ink, 1)

    @property
    def extra_share(self) -> float:
        return sum(p.extra for p in self.pages) / max(self.ink, 1)

    @property
    def bad_blocks(self) -> int:
        return sum(len(p.bad_blocks) for p in self.pages)

    def worst(self) -> str:
        """Where the bad blocks are (page: x,y mm), for an assertion message."""
        spots = [
            f"第 {p.page} 页 ({x * 25.4 / DPI:.0f}, {y * 25.4 / DPI:.0f}) mm"
            for p in self.pages
            for x, y in p.bad_blocks
        ]
        return "；".join(spots[:8]) + ("……" if len(spots) > 8 else "")


def compare(pdf: Path, engines: tuple[str, ...] = ENGINES) -> dict[str, EngineReport]:
    """Each engine's ink against poppler's, page by page (engines this machine lacks are left out)."""
    have = available()
    reference = render(pdf, "poppler")
    reports = {}
    for engine in engines:
        if not have[engine]:
            continue
        images = render(pdf, engine)
        if len(images) != len(reference):
            raise AssertionError(f"{pdf.name}: poppler 有 {len(reference)} 页，{engine} 有 {len(images)} 页")
        pages = [compare_page(a, b, n) for n, (a, b) in enumerate(zip(reference, images, strict=True), 1)]
        reports[engine] = EngineReport(engine, pages)
    return reports


def table(pdfs: list[Path]) -> str:
    """A Markdown table: per PDF and engine, missing / extra ink and bad blocks."""
    rows = ["| PDF | engine | pages | missing ink | extra ink | bad blocks |", "|---|---|---|---|---|---|"]
    for pdf in pdfs:
        for engine, report in compare(pdf).items():
            rows.append(
                f"| {pdf.name} | {engine} | {len(report.pages)} | {report.missing_share:.2%} "
                f"| {report.extra_share:.2%} | {report.bad_blocks} |"
            )
    return "\n".join(rows)


if __name__ == "__main__":
    print(table([Path(name) for name in sys.argv[1:]]))
