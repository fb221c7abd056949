"""Every page draws the same ink in poppler, Ghostscript, MuPDF and PDFium (tests/renderers.py).

Before the fonts were fixed, Ghostscript drew the masthead, titles and 黑体
headings as boxes and MuPDF drew them blank (16–19 % of poppler's ink missing
in MuPDF); `test_harness_catches_a_font_with_shuffled_cids` keeps that failure
reproducible without the old fonts.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from weasyprint import HTML

from jianbao.pdf.fonts import cid_problem
from jianbao.recipe import build
from tests.conftest import ROOT, copy_project, options_for
from tests.renderers import available, compare

pytestmark = pytest.mark.skipif(
    not all(available().values()), reason="需要 pdftoppm、gs、mutool 和 pypdfium2（bash scripts/setup.sh --test）"
)

# Characters that sit where the shipped Fandol fonts numbered glyphs apart from their CIDs
# (¥ – € ═ …), a character beyond GB 2312 (堃, from the full Noto face) and every role's font.
RARE_ARTICLE = """\
---
title: 罕见字符与各种字体的校样
---

价格 ¥120–¥150，约合 €18；表线 ═║╔╗ ▁▂▃ ↗↘ ⊕，人名王堃、李珺。

## 一、黑体标题里的罕见字：¥ 与 – 号

> 楷体引文：价格 ¥120–¥150。

### （一）楷体小标题

**加粗的仿宋**：“引号”、《书名号》……——破折号。
"""

MAX_MISSING = 0.005  # share of poppler's ink another engine may lack (anti-aliasing noise is ~0.1 %)


def assert_same_ink(pdf: Path) -> None:
    for engine, report in compare(pdf).items():
        assert report.bad_blocks == 0, f"{pdf.name} 在 {engine} 中与 poppler 不同：{report.worst()}"
        assert report.missing_share < MAX_MISSING, (engine, report.missing_share)
        assert report.extra_share < MAX_MISSING, (engine, report.extra_share)


@pytest.mark.slow
def test_sample_issues_draw_alike(sample_build: Path) -> None:
    pdfs = sorted((sample_build / "output").glob("*/*.pdf"))
    assert len(pdfs) >= 3
    for pdf in pdfs:
        assert_same_ink(pdf)


@pytest.fixture(scope="module")
def stress_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The stress fixture plus an article of rare characters, as print PDF and as PDF/A-2b."""
    project = tmp_path_factory.mktemp("stress")
    shutil.copytree(ROOT / "tests/fixtures/stress/content", project / "content")
    shutil.copytree(ROOT / "layouts", project / "layouts")
    issue = next((project / "content/issues").iterdir())
    (issue / "99-rare.md").write_text(RARE_ARTICLE, encoding="utf-8")
    for options in (options_for(project), options_for(project, output=project / "pdfa", pdf_variant="pdf/a-2b")):
        report = build(replace(options, index=False, docx=False, ofd=False))
        assert not report.failures, report.failures
    return project


@pytest.mark.slow
def test_stress_fixture_draws_alike(stress_build: Path) -> None:
    (pdf,) = (stress_build / "output").glob("*/*.pdf")
    assert_same_ink(pdf)


@pytest.mark.slow
def test_pdfa_copy_draws_alike(stress_build: Path) -> None:
    (pdf,) = (stress_build / "pdfa").glob("*/*.pdf")
    assert_same_ink(pdf)


def shuffle_cids(source: Path, target: Path) -> None:
    """A copy of a CID-keyed font whose glyph i has CID 2i: what the old compact faces looked like."""
    from fontTools.ttLib import TTFont

    with TTFont(source, lazy=True, recalcBBoxes=False) as font:
        top = font["CFF "].cff.topDictIndex[0]
        order = font.getGlyphOrder()
        shuffled = [".notdef", *(f"cid{2 * gid:05d}" for gid in range(1, len(order)))]
        rename = dict(zip(order, shuffled, strict=True))
        strings = top.CharStrings
        strings.charStrings = {rename[name]: value for name, value in strings.charStrings.items()}
        top.charset = shuffled
        font.setGlyphOrder(shuffled)
        font.save(str(target))


@pytest.fixture(scope="module")
def shuffled_font(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("fonts") / "仿宋-shuffled.otf"
    shuffle_cids(Path("/usr/local/share/fonts/fandol/FandolFang-Regular.otf"), target)
    return target


@pytest.mark.slow
def test_harness_catches_a_font_with_shuffled_cids(shuffled_font: Path, tmp_path: Path) -> None:
    html = (
        f'<style>@font-face {{ font-family: shuffled; src: url("{shuffled_font.as_uri()}"); }}'
        "body { font: 20pt shuffled; }</style><p>数据要素市场化配置改革赋能城市高质量发展</p>"
    )
    pdf = tmp_path / "shuffled.pdf"
    HTML(string=html).write_pdf(pdf)
    reports = compare(pdf)
    assert reports["gs"].bad_blocks > 0 or reports["mupdf"].bad_blocks > 0
    assert max(r.missing_share + r.extra_share for r in reports.values()) > 0.2


def test_check_refuses_a_font_that_would_print_wrongly(
    shuffled_font: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = copy_project(tmp_path)
    (project / "fonts").mkdir()
    shutil.copy(shuffled_font, project / "fonts" / shuffled_font.name)
    why = cid_problem(project / "fonts" / shuffled_font.name)
    assert why and "CID" in why and "Ghostscript" in why
    from jianbao.cli import main

    code = main(["check", "--content", str(project / "content")])
    assert code != 0
    err = capsys.readouterr().err
    assert shuffled_font.name in err and "CID" in err and "--identity" in err


def test_installed_fonts_are_safe() -> None:
    """setup.sh renumbered the fonts the stacks name (an old machine gets them remade)."""
    fonts = sorted(Path("/usr/local/share/fonts").glob("*/*.otf"))
    assert fonts
    for font in fonts:
        assert cid_problem(font) is None, font
