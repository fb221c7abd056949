"""The masthead fits any title: one line inside the 版心, sized from its length or bulletin.yaml, and the
block grows so nothing overlaps — measured in the built PDF."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path

import pytest

from jianbao.errors import ContentError
from jianbao.markup import load_content
from jianbao.model import TITLE_SIZE_MIN, Masthead
from jianbao.recipe import build
from tests.conftest import options_for
from tests.pdftools import AREA_LEFT, AREA_RIGHT, AREA_TOP, RED_CMYK, lines_of, open_pdf, rules_of

PITCH = 28.95


def bulletin(title: str, extra: str = "", organizers: tuple[str, ...] = ("测试研究院",)) -> str:
    names = "".join(f"  - {name}\n" for name in organizers)
    return f"title: {title}\norganizers:\n{names}{extra}"


def first_page(project: Path) -> tuple[list, list]:
    build(options_for(project))
    with open_pdf(project / "output/2025-01/2025-01.pdf") as pdf:
        lines = [line for line in lines_of(pdf) if line.page == 1]
        rules = [rule for rule in rules_of(pdf.pages[0]) if rule.color == RED_CMYK]
    return lines, rules


@pytest.mark.slow
@pytest.mark.parametrize(
    ("title", "extra", "organizers", "size"),
    [
        ("测试简报", "", ("测试研究院",), 56),
        ("江南市政务信息", "", ("测试研究院",), 44),  # 7 characters used to wrap onto the 主办 line
        ("江南市数据局工作简报", "", ("测试研究院",), 36),
        ("江南政务", "masthead:\n  size: 72\n  organizer_word: 编印\n", ("甲研究院", "乙智库", "丙数据局"), 72),
    ],
)
def test_title_is_one_line_in_the_type_area_and_nothing_overlaps(
    minimal: Callable[..., Path], title: str, extra: str, organizers: tuple[str, ...], size: float
) -> None:
    lines, rules = first_page(minimal(bulletin=bulletin(title, extra, organizers)))
    (title_line,) = [line for line in lines if title[0] in line.text and line.size > 30]
    assert title_line.text == title  # one line, the whole title
    assert title_line.size == pytest.approx(size, abs=0.5)
    assert title_line.x0 >= AREA_LEFT - 0.5 and title_line.x1 <= AREA_RIGHT + 0.5
    centre = (title_line.x0 + title_line.x1) / 2
    assert centre == pytest.approx((AREA_LEFT + AREA_RIGHT) / 2, abs=size * 0.3)
    # Top to bottom, every masthead line clears the one above it; the red rule comes after the date.
    masthead = [line for line in lines if line.top < rules[0].top]
    for above, below in itertools.pairwise(masthead):
        # pdfplumber's boxes are the em squares; a CJK glyph's ink stays about 0.1 em inside.
        assert below.top + 0.1 * below.size >= above.bottom - 0.1 * above.size, (above.text, below.text)
    numbers = next(line for line in masthead if line.text.startswith("第1期"))
    assert numbers.top + 0.1 * numbers.size > title_line.bottom - 0.1 * title_line.size
    word = "编印" if "编印" in extra else "主办"
    foot = next(line for line in masthead if word in line.text)
    assert foot.text.startswith(organizers[-1]) and foot.text.endswith("2025年1月10日")
    assert len([line for line in masthead if line.top > numbers.bottom]) == len(organizers)
    # The block is at least the classic 7 grid lines and grows by whole lines.
    height = (rules[0].top - AREA_TOP) / PITCH
    assert height >= 7 - 0.1
    assert abs(height - round(height)) < 0.15
    article = next(line for line in lines if line.text == "测试文章")
    assert article.top > rules[0].bottom


def test_title_size_follows_its_length() -> None:
    sizes = [Masthead().fit("字" * n).size for n in range(2, 13)]
    assert sizes[:3] == [56, 56, 56] and sizes[-1] == 36
    assert sizes == sorted(sizes, reverse=True)
    for n in range(1, 25):
        fit = Masthead().fit("字" * n)
        assert (n + (n + 1) * fit.spacing) * fit.size <= 156 * 72 / 25.4
    assert Masthead(size=72).fit("江南政务").lines == 3


def test_check_warns_when_a_title_cannot_fit(minimal: Callable[..., Path]) -> None:
    project = minimal(bulletin=bulletin("江南市发展和改革委员会数据要素工作简报"))
    (problem,) = load_content(project / "content")[1]
    assert problem.path.endswith("bulletin.yaml") and problem.line == 1
    assert problem.message.startswith("title：刊名 19 个字，报头要排成一行只能用 23 pt 的字")
    assert f"小于 {TITLE_SIZE_MIN:g} pt" in problem.message and "masthead.image" in problem.message
    (project / "content/bulletin.yaml").write_text(
        bulletin("江南市政务信息", "masthead:\n  size: 70\n"), encoding="utf-8"
    )
    (problem,) = load_content(project / "content")[1]
    assert problem.line == 5 and problem.message == "masthead.size：70 pt 的刊名在版心里排不下一行，已缩到 63 pt"


def test_masthead_settings_are_checked(minimal: Callable[..., Path]) -> None:
    project = minimal(bulletin=bulletin("测试简报", "masthead:\n  size: 200\n  image: ../secret.png\n"))
    with pytest.raises(ContentError) as caught:
        load_content(project / "content")
    assert {p.line for p in caught.value.problems} == {5, 6}
