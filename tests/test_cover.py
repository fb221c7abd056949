"""The archive's cover thumbnails: the first page of each PDF, made with it, a few KB each."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PIL import Image

from jianbao.recipe import build
from tests.conftest import options_for

pytestmark = pytest.mark.slow  # builds PDFs


def test_each_issue_has_a_small_cover_with_the_red_masthead(sample_build: Path) -> None:
    for issue in ("2025-07", "2025-08", "2025-09"):
        cover = sample_build / "output" / issue / "cover.png"
        assert 1_000 < cover.stat().st_size < 20_000, cover.stat().st_size
        with Image.open(cover) as image:
            assert image.format == "PNG" and image.width == 160
            assert abs(image.height / image.width - 297 / 210) < 0.02  # an A4 page
            rgb = image.convert("RGB")
            top = [rgb.getpixel((x, y)) for x in range(image.width) for y in range(image.height // 4)]
        assert any(r > 180 and g < 120 and b < 120 for r, g, b in top), "the red masthead title shows"


def test_the_archive_shows_each_cover_beside_its_issue(sample_build: Path) -> None:
    archive = (sample_build / "output/index.html").read_text(encoding="utf-8")
    for issue in ("2025-07", "2025-08", "2025-09"):
        assert f'<img src="{issue}/cover.png" alt="" width="80" height="113" loading="lazy">' in archive
    # Decorative: hidden from screen readers and out of the tab order (the issue's own link follows).
    start = archive.index('<a class="cover"')
    link = ET.fromstring(archive[start : archive.index(">", start) + 1] + "</a>")
    assert link.get("aria-hidden") == "true" and link.get("tabindex") == "-1"


def test_a_cover_is_made_with_its_pdf_and_reused_with_it(built_sample: Path) -> None:
    cover = built_sample / "output/2025-08/cover.png"
    first = cover.stat().st_mtime_ns
    report = build(options_for(built_sample))
    assert report.rendered == [] and cover.stat().st_mtime_ns == first
    cover.unlink()  # a damaged output is repaired: the PDF (and its cover) are made again
    report = build(options_for(built_sample))
    assert report.rendered == ["2025-08"] and cover.is_file()
