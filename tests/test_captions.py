"""Captions as people type them: `表1　…` above a table, `图1 …` under a picture, no lint complaint."""

from __future__ import annotations

import pytest

from jianbao.check.report import lint_markdown
from jianbao.markup.article import convert_markdown

TABLE = "| 城市 | 数量 |\n|---|--:|\n| 甲 | 1 |\n"


@pytest.mark.parametrize(
    "typed",
    ["表1　六城市数据交易情况", "表 1：六城市数据交易情况", "表：六城市数据交易情况", "表１．六城市数据交易情况"],
)
def test_typed_table_caption_is_the_caption_once(typed: str) -> None:
    html = convert_markdown(f"正文。\n\n{typed}\n\n{TABLE}", "art1").html
    assert "<caption>表1　六城市数据交易情况</caption>" in html
    assert html.count("六城市数据交易情况") == 1  # not also a stray paragraph


def test_a_sentence_about_a_table_is_not_its_caption() -> None:
    html = convert_markdown(f"表1显示，各市交易量都在增长。\n\n{TABLE}", "art1").html
    assert "<p>表1显示，各市交易量都在增长。</p>" in html and "<caption>表1</caption>" in html


@pytest.mark.parametrize("typed", ["图1　新型基础设施投资", "图：新型基础设施投资", "图 1 新型基础设施投资"])
def test_typed_figure_caption_under_the_picture_replaces_the_empty_one(typed: str) -> None:
    html = convert_markdown(f"![](images/a.png)\n\n{typed}\n\n下一段。\n", "art1").html
    assert "<figcaption>图1　新型基础设施投资</figcaption>" in html
    assert html.count("新型基础设施投资") == 1 and "<p>下一段。</p>" in html


def test_caption_lines_raise_no_paragraph_end_warning() -> None:
    body = f"表：各区情况\n\n{TABLE}\n![](a.png)\n\n图1　示意图\n\n这一段没有句号\n"
    findings = [(f.line, f.rule) for f in lint_markdown(body, 1)]
    assert findings == [(11, "paragraph-end")]
