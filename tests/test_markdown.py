"""Markdown stage: heading numbers, Chinese line joining, sanitizing."""

from __future__ import annotations

import pytest

from jianbao.markup.article import convert_markdown
from jianbao.text.numbers import chinese_numeral, heading_marker
from jianbao.text.spacing import join_cjk_lines


@pytest.mark.parametrize(("n", "text"), [(1, "一"), (9, "九"), (10, "十"), (11, "十一"), (20, "二十"), (35, "三十五")])
def test_chinese_numerals(n: int, text: str) -> None:
    assert chinese_numeral(n) == text


def test_markers_per_level() -> None:
    assert [heading_marker(level, 2) for level in (1, 2, 3, 4)] == ["二、", "（二）", "2.", "（2）"]


def test_headings_are_numbered_per_level_and_reset() -> None:
    source = "## 甲\n\n### 乙\n\n#### 丙\n\n##### 丁\n\n### 戊\n\n## 己\n\n### 庚\n"
    fragment = convert_markdown(source, "a1")
    assert [(h.level, h.text) for h in fragment.headings] == [
        (1, "一、甲"),
        (2, "（一）乙"),
        (3, "1.丙"),
        (4, "（1）丁"),
        (2, "（二）戊"),
        (1, "二、己"),
        (2, "（一）庚"),
    ]
    assert '<h3 class="h-l1" id="a1-1">一、甲</h3>' in fragment.html
    assert '<h6 class="h-l4" id="a1-4">（1）丁</h6>' in fragment.html
    assert fragment.warnings == ()


def test_existing_numbers_are_kept_not_doubled() -> None:
    fragment = convert_markdown("## 一、总体情况\n\n### （一）做法\n\n## 二、问题\n", "a")
    assert [h.text for h in fragment.headings] == ["一、总体情况", "（一）做法", "二、问题"]
    assert "一、一、" not in fragment.html


def test_wrong_existing_number_is_a_warning_with_line() -> None:
    fragment = convert_markdown("## 一、甲\n\n正文。\n\n## 三、乙\n", "a", first_line=5)
    assert fragment.warnings == ((9, "标题编号“三、”应为“二、”：三、乙"),)


def test_a_heading_warning_points_at_its_own_line_whatever_came_before() -> None:
    """Setext headings, raw HTML blocks and multi-line paragraphs before it: the line is the heading's."""
    source = "甲\n---\n\n<div>\n块\n</div>\n\n第一行\n第二行。\n\n## 二、乙\n## 四、丙\n\n- 项\n"
    fragment = convert_markdown(source, "a", first_line=3)
    assert fragment.warnings == ((14, "标题编号“四、”应为“三、”：四、丙"),)
    placed = [(node.tag, node.line) for node in fragment.tree.elements()]
    # A raw HTML block keeps no line of its own (the sanitizer's output is not Markdown's).
    assert placed == [("h3", 3), ("div", 0), ("p", 10), ("h3", 13), ("h3", 14), ("ul", 16)]
    assert [item.line for item in fragment.tree.iter("li")] == [16]


def test_number_of_another_level_is_a_warning() -> None:
    fragment = convert_markdown("## （一）甲\n", "a")
    assert len(fragment.warnings) == 1
    assert "与层级不符" in fragment.warnings[0][1]


@pytest.mark.parametrize("typed", ["一.总体", "一 总体", "一，总体", "一、总体", "一．总体", "一. 总体", "一,总体"])
def test_level_one_numbers_typed_another_way_print_once_as_the_right_mark(typed: str) -> None:
    fragment = convert_markdown(f"## {typed}\n\n正文。\n\n## 二 存在问题\n\n### 一.错层\n", "a")
    assert [h.text for h in fragment.headings] == ["一、总体", "二、存在问题", "一、错层"]
    assert '<h3 class="h-l1" id="a-1">一、总体</h3>' in fragment.html and "一、一" not in fragment.html
    # The typed form is check's to point out (with its fix); the wrong level is the one warning here.
    assert fragment.warnings == ((7, "标题编号“一、”与层级不符，应为“（一）”：一、错层"),)


def test_numbers_that_are_not_heading_numbers_stay() -> None:
    fragment = convert_markdown("## 一带一路\n\n## 一，二期工程对比\n", "a")
    assert [h.text for h in fragment.headings] == ["一、一带一路", "二、一，二期工程对比"]


def test_a_heading_typed_as_a_paragraph_counts_and_is_pointed_out() -> None:
    """`一、总体情况` left without its `## `: the headings after it are not all told they are wrong."""
    source = "一、总体情况\n\n正文。\n\n## 二、存在问题\n\n正文。\n\n## 三、下一步\n\n四、坚持党的领导，推动发展。\n"
    fragment = convert_markdown(source, "a", first_line=5)
    assert [h.text for h in fragment.headings] == ["二、存在问题", "三、下一步"]
    assert fragment.warnings == (
        (5, "标题编号“一、”开头的这一段像是漏写了“## ”的标题（其后的标题接着它编号）：一、总体情况"),
    )


def test_soft_breaks_between_chinese_disappear() -> None:
    html = convert_markdown("第一行中文\n第二行中文，\nChatGPT 模型\nand English\n", "a").html
    # A break next to a wide character is dropped (CSS Text 3 segment-break rule), and
    # as in the PDF no space stays between Latin and Chinese (README, 中西文混排).
    assert "第一行中文第二行中文，ChatGPT模型and English" in html


def test_join_cjk_lines_keeps_latin_breaks() -> None:
    assert join_cjk_lines("abc\ndef") == "abc\ndef"
    assert join_cjk_lines("中文  \n  中文") == "中文中文"


def test_raw_html_is_sanitized() -> None:
    html = convert_markdown(
        '正文<script>alert(1)</script><img src=x onerror="alert(2)">\n\n'
        '<a href="javascript:alert(3)">链接</a> <iframe src="http://x"></iframe><style>p{}</style>\n',
        "a",
    ).html
    for bad in ("<script", "onerror", "javascript:", "<iframe", "<style"):
        assert bad not in html
    assert "正文" in html and "链接" in html


def test_emphasis_lists_quotes_and_tables_survive() -> None:
    html = convert_markdown("**重点**和*强调*\n\n- 甲\n- 乙\n\n> 引文\n\n| a | b |\n|---|---|\n| 1 | 2 |\n", "a").html
    for tag in ("<strong>重点</strong>", "<em>强调</em>", "<ul", "<blockquote>", "<table"):
        assert tag in html
