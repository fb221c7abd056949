"""Markdown stage for rich articles: figures, tables, footnotes, lists; image checks."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from jianbao.errors import ContentError
from jianbao.markup import load_content
from jianbao.markup.article import convert_markdown
from jianbao.markup.richtext import KEEP_WHOLE_ROWS, Counts
from jianbao.text.numbers import circled


@pytest.mark.parametrize(
    ("n", "text"), [(1, "①"), (10, "⑩"), (20, "⑳"), (21, "㉑"), (35, "㉟"), (36, "㊱"), (50, "㊿")]
)
def test_circled_numbers(n: int, text: str) -> None:
    assert circled(n) == text


def test_image_paragraph_becomes_a_numbered_figure() -> None:
    fragment = convert_markdown(
        "正文。\n\n![柱状图](images/a.png)\n\n文中![小图标](images/b.png)。\n", "art1", first_line=10
    )
    assert (
        '<figure class="figure" id="art1-fig1"><img alt="柱状图" src="images/a.png">'
        "<figcaption>图1　柱状图</figcaption>" in fragment.html
    )
    assert "图2" not in fragment.html  # an image inside a sentence is not a figure
    assert fragment.images == ((12, "images/a.png"), (14, "images/b.png"))


def test_caption_written_with_its_number_is_not_numbered_twice() -> None:
    body = convert_markdown("![图1 说明](a.png)\n\n![图 2：另一张](b.png)\n\n![图表说明](c.png)\n", "art1")
    captions = [
        line.split("<figcaption>")[1].split("<")[0]
        for line in [line for line in body.html.split("\n") if line.startswith("<figure")]
    ]
    assert captions == ["图1　说明", "图2　另一张", "图3　图表说明"]


def test_figure_and_table_numbers_run_through_the_issue() -> None:
    counts = Counts()
    convert_markdown("![甲](a.png)\n\n| a |\n|---|\n| 1 |\n", "art1", counts=counts)
    second = convert_markdown(
        '![乙](b.svg "乙图的标题")\n\n表：第二张表\n\n| a |\n|---|\n| 1 |\n', "art2", counts=counts
    )
    assert "<figcaption>图2　乙图的标题</figcaption>" in second.html
    assert "<caption>表2　第二张表</caption>" in second.html
    assert "表：" not in second.html
    assert (counts.figures, counts.tables) == (2, 2)


def test_table_gets_caption_alignment_classes_and_a_wrapper() -> None:
    html = convert_markdown("表：各区情况\n\n| 区 | 数量 |\n|:--|--:|\n| 甲 | 1 |\n", "art1").html
    assert html.startswith(
        '<div class="table-wrap table-keep">\n<table id="art1-tab1"><caption>表1　各区情况</caption>'
    )
    assert '<th class="al-right">数量</th>' in html and '<td class="al-left nowrap">甲</td>' in html
    assert "align=" not in html and "style=" not in html


@pytest.mark.parametrize(
    ("rows", "kind"), [(KEEP_WHOLE_ROWS - 1, "table-wrap table-keep"), (KEEP_WHOLE_ROWS, "table-wrap")]
)
def test_only_short_tables_are_kept_on_one_page(rows: int, kind: str) -> None:
    """`rows` body rows under a header: KEEP_WHOLE_ROWS rows in all stay whole, one more may break."""
    source = "| 区 |\n|---|\n" + "".join(f"| {n} |\n" for n in range(rows))
    assert convert_markdown(source, "art1").html.startswith(f'<div class="{kind}">')


def test_table_without_caption_paragraph_is_still_numbered() -> None:
    html = convert_markdown("说明文字。\n\n| a |\n|---|\n| 1 |\n", "art1").html
    assert "<caption>表1</caption>" in html and "<p>说明文字。</p>" in html


def test_footnotes_numbered_per_article_with_print_copy_and_back_links() -> None:
    source = "甲[^x]，乙[^y]，再提甲[^x]。\n\n[^x]: 注释**一**。\n[^y]: 注释二。\n"
    html = convert_markdown(source, "art2").html
    assert (
        '<p><span class="fn-keep">甲<sup class="fn-ref fn-first" id="art2-fnref1">'
        '<a href="#art2-fn1" rel="noopener noreferrer">①</a></sup>'
        '<span class="fn-print">①注释<strong>一</strong>。</span></span>，' in html
    )
    assert '<span class="fn-print">②注释二。</span>' in html
    assert html.count('class="fn-print"') == 2  # a second call to the same note gets no second copy
    assert '<li id="art2-fn1">' in html and '<span class="fn-num">①</span>注释' in html
    assert 'href="#art2-fnref1"' in html and 'href="#art2-fnref1-3"' in html
    assert 'title="返回正文"' in html
    assert "fn:" not in html and "Jump back" not in html


def test_ordered_lists_take_the_level_below_their_heading() -> None:
    source = "1. 甲\n\n## 标题\n\n1. 乙\n\n### 次级\n\n#### 三级\n\n1. 丙\n\n    1. 丁\n\n- 戊\n"
    html = convert_markdown(source, "a").html
    assert html.startswith('<ol class="list-l3">\n<li>甲</li>')
    assert '<ol class="list-l3">\n<li>乙</li>' in html
    assert '<ol class="list-l4">\n<li>丙<ol class="list-l5">' in html  # paragraph unwrapped, number on its line
    assert '<ul class="list-bullets">\n<li>戊</li>' in html


ARTICLE_WITH_IMAGE = """\
---
title: 图片文章
---

第一段。

![图](images/{name})
"""


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("missing.png", "图片“images/missing.png”：找不到图片文件"),
        ("chart.gif", "格式不支持"),
        ("../../../../etc/x.png", "不能用“..”跳出本期文件夹"),
    ],
)
def test_bad_image_is_an_error_naming_file_and_line(minimal: Callable[..., Path], name: str, message: str) -> None:
    project = minimal(article=ARTICLE_WITH_IMAGE.format(name=name))
    (project / "content/issues/2025-01/images").mkdir()
    (project / "content/issues/2025-01/images/chart.gif").write_bytes(b"GIF89a")
    with pytest.raises(ContentError) as caught:
        load_content(project / "content")
    (problem,) = caught.value.problems
    assert problem.path.endswith("content/issues/2025-01/01-article.md")
    assert problem.line == 7
    assert message in problem.message


@pytest.mark.parametrize("written", ["![图](images/chart.gif)", '<img src="images/chart.gif" alt="图">'])
def test_a_gif_is_refused_however_it_is_written(minimal: Callable[..., Path], written: str) -> None:
    project = minimal(article=f"---\ntitle: 动图\n---\n\n第一段。\n\n{written}\n")
    (project / "content/issues/2025-01/images").mkdir()
    (project / "content/issues/2025-01/images/chart.gif").write_bytes(b"GIF89a")
    with pytest.raises(ContentError) as caught:
        load_content(project / "content")
    (problem,) = caught.value.problems
    assert problem.line == 7 and "格式不支持（只能用 PNG、JPEG、SVG）" in problem.message


@pytest.mark.slow
def test_an_html_image_is_copied_like_a_markdown_one(minimal: Callable[..., Path]) -> None:
    from PIL import Image

    from jianbao.recipe import Options, build

    project = minimal(
        article='---\ntitle: 图\n---\n\n第一段。\n\n<img src="images/a.png" alt="甲">\n\n![乙](images/b.png)\n'
    )
    images = project / "content/issues/2025-01/images"
    images.mkdir()
    for name in ("a.png", "b.png"):
        Image.new("RGB", (20, 10), "white").save(images / name)
    site, _ = load_content(project / "content")
    assert site.issues[0].articles[0].images == ("images/a.png", "images/b.png")
    build(
        Options(
            content=project / "content", layouts=Path("layouts").resolve(), output=project / "output", pages_only=True
        )
    )
    assert (project / "output/2025-01/images/a.png").is_file() and (project / "output/2025-01/images/b.png").is_file()


def test_image_url_is_refused(minimal: Callable[..., Path]) -> None:
    project = minimal(article="---\ntitle: 外链\n---\n\n![图](http://example.com/a.png)\n")
    with pytest.raises(ContentError) as caught:
        load_content(project / "content")
    (problem,) = caught.value.problems
    assert problem.line == 5 and "不能是网址" in problem.message


@pytest.mark.slow
def test_source_line_does_not_repeat_its_label(minimal: Callable[..., Path]) -> None:
    from jianbao.recipe import build
    from tests.conftest import options_for

    project = minimal(article="---\ntitle: 来源\nsource: 来源：某研究院简报\n---\n\n正文。\n")
    build(options_for(project))
    page = (project / "output/2025-01/index.html").read_text(encoding="utf-8")
    assert '<p class="source" id="art1-source">（来源：某研究院简报）</p>' in page
