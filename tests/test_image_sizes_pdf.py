"""Sized images as printed (pdfplumber) and shown (Chromium): the share asked for (± 3 %), centred on the
版心, the caption under the image on the same page, never wider than the 版心 nor taller than a page."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import pdfplumber
import pytest

from jianbao.recipe import Report, build
from tests.browser import needs_chromium
from tests.conftest import MINIMAL_BULLETIN, ROOT, options_for
from tests.pdftools import AREA_BOTTOM, AREA_LEFT, AREA_TOP, MM

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.slow  # builds a PDF

BLOCK = 156 * MM
ARTICLE = """\
---
title: 图片大小
---

一段正文，说明下面的图。

![图1 半宽的图](images/wide.png){width=50%}

第二段正文。

<img src="images/small.png" width="30%" alt="三成宽的小图">

![满宽的图](images/small.png){width=100%}

![太宽的图](images/wide.png){width=200%}

![高图](images/tall.png){width=100%}

结束。
"""
# Caption → the share of the 版心 asked for (the tall image: as much as a page's height allows).
ASKED = {"半宽的图": 50, "三成宽的小图": 30, "满宽的图": 100, "太宽的图": 100}


def draw(path: Path, width: int, height: int, colour: tuple[int, int, int]) -> None:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (width, height), colour)
    ImageDraw.Draw(image).rectangle((0, 0, width - 1, height - 1), outline=(0, 0, 0), width=3)
    image.save(path)


@pytest.fixture(scope="module")
def sized(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Report]:
    project = tmp_path_factory.mktemp("sized")
    folder = project / "content" / "issues" / "2025-01"
    (folder / "images").mkdir(parents=True)
    (project / "content" / "bulletin.yaml").write_text(MINIMAL_BULLETIN, encoding="utf-8")
    (folder / "issue.yaml").write_text("number: 1\ntotal: 1\ndate: 2025-01-10\n", encoding="utf-8")
    (folder / "01-images.md").write_text(ARTICLE, encoding="utf-8")
    draw(folder / "images" / "wide.png", 1200, 600, (200, 80, 80))
    draw(folder / "images" / "small.png", 200, 100, (80, 80, 200))
    draw(folder / "images" / "tall.png", 300, 1500, (80, 180, 80))
    shutil.copytree(ROOT / "layouts", project / "layouts")
    return project, build(options_for(project, ofd=False))


def printed_figures(pdf_path: Path) -> dict[str, tuple[dict, float]]:
    """Caption text → (the image's bbox, the top of its caption below it on the same page) for every figure."""
    found = {}
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages:
            images = sorted(page.images, key=lambda image: image["top"])
            captions = [w for w in page.extract_words(keep_blank_chars=True) if w["text"].startswith("图")]
            for image in images:
                below = [c for c in captions if c["top"] >= image["bottom"] - 1]
                caption = min(below, key=lambda c: c["top"])
                text = caption["text"].split(maxsplit=1)[-1].strip("　 ")
                found[text] = (image, caption["top"])
    return found


def test_images_print_at_the_share_asked_for_centred_with_their_captions(sized: tuple[Path, Report]) -> None:
    project, _ = sized
    figures = printed_figures(project / "output" / "2025-01" / "2025-01.pdf")
    assert set(figures) == {*ASKED, "高图"}
    for caption, (image, caption_top) in figures.items():
        width = image["x1"] - image["x0"]
        centre = (image["x0"] + image["x1"]) / 2
        assert abs(centre - (AREA_LEFT + BLOCK / 2)) < 0.5 * MM, caption
        assert image["x0"] >= AREA_LEFT - 0.5 and image["x1"] <= AREA_LEFT + BLOCK + 0.5, caption
        assert image["top"] >= AREA_TOP - 0.5 and caption_top < AREA_BOTTOM, caption
        if caption in ASKED:
            assert abs(width / BLOCK * 100 - ASKED[caption]) <= 3, (caption, width / BLOCK)
    tall, _ = figures["高图"]
    assert tall["bottom"] - tall["top"] <= 160 * MM + 0.5  # a page's height with its caption, proportions kept
    assert (tall["x1"] - tall["x0"]) / (tall["bottom"] - tall["top"]) == pytest.approx(300 / 1500, rel=0.02)


def test_oversized_image_is_named_in_a_warning(sized: tuple[Path, Report]) -> None:
    _, report = sized
    oversized = [(Path(p.path).name, p.line, p.message) for p in report.warnings if "超过版心" in p.message]
    assert oversized == [("01-images.md", 15, "图片宽度“200%”超过版心（156 毫米），已缩到版心宽度")]


@needs_chromium
@pytest.mark.parametrize("viewport", [(390, 844), (1280, 900)], ids=["phone", "desktop"])
def test_web_page_shows_the_same_shares(
    sized: tuple[Path, Report], viewport: tuple[int, int], browser: Browser
) -> None:
    project, _ = sized
    page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
    page.goto((project / "output" / "2025-01" / "index.html").as_uri())
    page.wait_for_load_state("load")
    shown = page.evaluate(
        "[...document.querySelectorAll('figure img')].map(i => [i.closest('figure').querySelector('figcaption')"
        ".textContent, i.getBoundingClientRect().width / i.closest('figure').getBoundingClientRect().width,"
        " i.naturalWidth])"
    )
    page.close()
    shares = {caption.split("　", 1)[1]: share * 100 for caption, share, natural in shown if natural > 0}
    assert set(shares) == {*ASKED, "高图"}
    for caption, asked in ASKED.items():
        assert abs(shares[caption] - asked) <= 3, (caption, shares[caption])


def test_sized_page_is_valid_html(sized: tuple[Path, Report]) -> None:
    """HTML's own width attribute takes pixels only: the share travels as a style the Nu HTML Checker accepts."""
    from tests.webcheck import missing, vnu_messages

    if missing():
        pytest.skip(missing())
    project, _ = sized
    assert vnu_messages([project / "output" / "2025-01" / "index.html"]) == []
