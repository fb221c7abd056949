"""Draw an OFD with ofd.js 0.2.6 in headless Chromium and compare it with the PDF as poppler draws it.

ofd.js (npm, Apache-2.0; installed into tests/node/ by `scripts/setup.sh --test`)
is a third-party OFD reader: it parses the package itself and draws each
page as SVG in a <div>. Each page is screenshotted and compared with
poppler's rendering of the PDF page with the cross-renderer harness
(tests/renderers.py: ink per block), and its text (the SVG text, in drawing
order) with the PDF page's text (pdftotext): the CJK characters must be
≥ 98 % alike.

ofd.js sizes a page as `(screen width − 10) / page width` pixels per mm,
rounded to one decimal: a screen of 808 px gives 3.8 px/mm, so poppler draws
at 3.8 × 25.4 = 96.52 dpi for the same pixel grid.

    python -m tests.ofdjs FILE.pdf FILE.ofd [OUT_DIR]   print the table; save the screenshots in OUT_DIR
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PIL import Image

from tests.browser import CHROMIUM, CHROMIUM_ARGS, serve_folder
from tests.renderers import PageDiff, compare_page, render

if TYPE_CHECKING:
    from playwright.sync_api import Browser

ROOT = Path(__file__).resolve().parent.parent
OFD_JS = ROOT / "tests/node/node_modules/ofd.js/lib/ofd.umd.js"
SCALE = 3.8  # px per mm
SCREEN_WIDTH = round(SCALE * 210 + 10)
DPI = SCALE * 25.4
MIN_TEXT_RATIO = 0.98

PAGE = """<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>ofd.js</title>
<style>body { margin: 0; background: #fff; } #pages > div { margin: 0 0 20px 0; }</style>
<div id="pages"></div>
<script src="ofd.umd.js"></script>
<script>
fetch("doc.ofd").then(r => r.arrayBuffer()).then(buffer => ofd.parseOfdDocument({
  ofd: buffer,
  success(docs) {
    const pages = document.getElementById("pages");
    for (const div of ofd.renderOfd(%(width)d, docs[0])) pages.appendChild(div);
    window.ofdDone = "ok";
  },
  fail(error) { window.ofdDone = "fail: " + error; },
}));
</script>
"""


def available() -> bool:
    """Chromium, ofd.js and poppler are installed."""
    return Path(CHROMIUM).is_file() and OFD_JS.is_file() and bool(shutil.which("pdftoppm"))


@dataclass
class Drawn:
    """What ofd.js drew: one image and one text per page, and the console's errors."""

    images: list[Image.Image]
    texts: list[str]
    errors: list[str]


def draw(ofd: Path, browser: Browser | None = None) -> Drawn:
    """Every page of `ofd` as ofd.js draws it in Chromium (in `browser`, else in one started for it: a
    process may run only one Playwright, so the tests hand theirs in)."""
    if browser is None:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            own = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                return draw(ofd, own)
            finally:
                own.close()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "index.html").write_text(PAGE % {"width": SCREEN_WIDTH}, encoding="utf-8")
        (folder / "ofd.umd.js").symlink_to(OFD_JS)
        shutil.copyfile(ofd, folder / "doc.ofd")
        with serve_folder(folder) as url:
            page = browser.new_page(viewport={"width": SCREEN_WIDTH + 20, "height": 1200})
            try:
                errors: list[str] = []
                page.on("pageerror", lambda error: errors.append(str(error)))
                page.goto(url + "index.html")
                page.wait_for_function("window.ofdDone !== undefined", timeout=60_000)
                state = page.evaluate("window.ofdDone")
                if state != "ok":
                    raise AssertionError(f"ofd.js 无法打开 {ofd.name}：{state}")
                page.evaluate("document.fonts.ready")
                divs = page.query_selector_all("#pages > div")
                images = [Image.open(io.BytesIO(div.screenshot())).convert("L") for div in divs]
                texts = json.loads(page.evaluate(TEXTS_JS))
            finally:
                page.close()
    return Drawn(images, texts, errors)


# Each page's characters as ofd.js drew them: SVG <text> elements, ordered by their object's z-index (its ID).
TEXTS_JS = """JSON.stringify([...document.querySelectorAll('#pages > div')].map(div =>
  [...div.children].sort((a, b) => (parseInt(a.style.zIndex) || 0) - (parseInt(b.style.zIndex) || 0))
    .map(svg => [...svg.querySelectorAll('text')].map(t => t.textContent).join('')).join('')))"""


def pdf_texts(pdf: Path) -> list[str]:
    """Each page's text as poppler extracts it."""
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True)
    return result.stdout.decode("utf-8").split("\f")[:-1]


def cjk(text: str) -> str:
    return "".join(char for char in text if "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff")


def text_ratio(expected: str, drawn: str) -> float:
    """How alike two pages' CJK characters are, as a multiset (1.0: the same characters, as often).

    Order is left out on purpose: pdftotext orders a page by its own reading of the layout (a chart's
    labels among the lines around it), ofd.js by drawing order; where each character sits is what the
    ink comparison checks.
    """
    a, b = Counter(cjk(expected)), Counter(cjk(drawn))
    total = sum(a.values()) + sum(b.values())
    return 1.0 if not total else 2 * sum((a & b).values()) / total


@dataclass
class PageReport:
    diff: PageDiff
    text_ratio: float


def compare(pdf: Path, ofd: Path, save: Path | None = None, browser: Browser | None = None) -> list[PageReport]:
    """Per page: ofd.js's ink against poppler's, and the text's likeness."""
    drawn = draw(ofd, browser)
    if drawn.errors:
        raise AssertionError(f"ofd.js 报错：{drawn.errors[:3]}")
    reference = render(pdf, "poppler", dpi=DPI)  # type: ignore[arg-type]
    if len(drawn.images) != len(reference):
        raise AssertionError(f"{ofd.name}：ofd.js 画出 {len(drawn.images)} 页，PDF 有 {len(reference)} 页")
    texts = pdf_texts(pdf)
    reports = []
    for number, (ref, image) in enumerate(zip(reference, drawn.images, strict=True), 1):
        if save is not None:
            image.save(save / f"ofdjs-{number}.png")
            ref.save(save / f"poppler-{number}.png")
        ratio = text_ratio(texts[number - 1], drawn.texts[number - 1])
        reports.append(PageReport(compare_page(ref, image, number), ratio))
    return reports


def table(pdf: Path, reports: list[PageReport]) -> str:
    """A Markdown table: per page, poppler's ink, what ofd.js misses or adds, bad blocks, text likeness."""
    rows = ["| file | page | ink px | missing | extra | bad blocks | CJK text alike |", "|---|---|---|---|---|---|---|"]
    for report in reports:
        d = report.diff
        rows.append(
            f"| {pdf.stem} | {d.page} | {d.ink} | {d.missing / max(d.ink, 1):.2%} | {d.extra / max(d.ink, 1):.2%} "
            f"| {len(d.bad_blocks)} | {report.text_ratio:.2%} |"
        )
    return "\n".join(rows)


if __name__ == "__main__":
    out = Path(sys.argv[3]) if len(sys.argv) > 3 else None
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
    pdf_path, ofd_path = Path(sys.argv[1]), Path(sys.argv[2])
    print(table(pdf_path, compare(pdf_path, ofd_path, out)))
