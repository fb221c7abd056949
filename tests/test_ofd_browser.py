"""The OFD editions as a third-party reader draws them: ofd.js 0.2.6 in Debian's headless Chromium.

Each page as ofd.js draws it is compared with the PDF page as poppler draws
it (tests/ofdjs.py: ink per block, the cross-renderer harness), and its text
with the PDF page's text (CJK characters ≥ 98 % alike). ofd.js draws text
with installed fonts by family name (it never reads FontFile): a missing
font file is caught by the package checks (test_ofd.py), a wrong DeltaX or a
missing page here as well.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ofdbreak import broken
from tests.ofdjs import MIN_TEXT_RATIO, available, compare

pytestmark = [
    pytest.mark.slow,  # builds PDFs, runs Chromium
    pytest.mark.skipif(not available(), reason="需要 chromium、ofd.js 和 pdftoppm（bash scripts/setup.sh --test）"),
]

MAX_UNMATCHED = 0.005  # share of poppler's ink ofd.js may miss or add (anti-aliasing: ~0.2 %)


def assert_drawn_alike(pdf: Path, ofd: Path) -> None:
    for report in compare(pdf, ofd):
        diff = report.diff
        where = f"{pdf.name} 第 {diff.page} 页"
        assert not diff.bad_blocks, f"{where}：ofd.js 与 poppler 不同的区块 {diff.bad_blocks[:5]}（px）"
        assert diff.missing / max(diff.ink, 1) < MAX_UNMATCHED, where
        assert diff.extra / max(diff.ink, 1) < MAX_UNMATCHED, where
        assert report.text_ratio >= MIN_TEXT_RATIO, (where, report.text_ratio)


@pytest.mark.parametrize("issue", ["2025-07", "2025-08", "2025-09"])
def test_ofdjs_draws_the_pdfs_pages(sample_build: Path, issue: str) -> None:
    pdf = sample_build / f"output/{issue}/{issue}.pdf"
    assert_drawn_alike(pdf, pdf.with_suffix(".ofd"))


@pytest.mark.parametrize(
    ("kind", "says"), [("wrong-deltax", "不同的区块"), ("missing-page", "ofd.js 画出 2 页，PDF 有 3 页")]
)
def test_the_comparison_fails_on_a_broken_ofd(sample_build: Path, tmp_path: Path, kind: str, says: str) -> None:
    pdf = sample_build / "output/2025-07/2025-07.pdf"
    bad = tmp_path / "broken.ofd"
    bad.write_bytes(broken(pdf.with_suffix(".ofd").read_bytes(), kind))
    with pytest.raises(AssertionError, match=says):
        assert_drawn_alike(pdf, bad)
