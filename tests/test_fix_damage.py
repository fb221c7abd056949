"""`check --fix` never damages text: it deletes only the spaces and marks it reports, keeps the space between
two fields, swallows the space before a full-width mark, writes heading numbers as 一、 (never 一。), and turns
straight quotes in Chinese text into “” only when they plainly pair up."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st

from jianbao.check.fixes import FileReport, fix_repeatedly
from jianbao.check.report import lint_article, lint_markdown


def fixed(body: str) -> str:
    text = f"---\ntitle: 测试\n---\n\n{body}"
    report = FileReport(Path("a.md"), text, frozenset(), lint_article(text))
    return fix_repeatedly(report, lint_article).split("---\n\n", 1)[1]


def findings(body: str) -> list[tuple[str, str, bool]]:
    return [(f.rule, f.message, bool(f.edits)) for f in lint_markdown(body, 1)]


def test_space_between_two_fields_is_kept() -> None:
    body = "本文是调研成果。（执笔：张明　审核：刘建国）\n\n时间：6月3日 地点：市政府。\n"
    assert findings(body) == []
    assert fixed(body) == body


def test_space_between_two_words_still_goes() -> None:
    assert fixed("汉字 之间有空格，全角　空格也算。\n") == "汉字之间有空格，全角空格也算。\n"


def test_space_before_a_half_width_mark_goes_with_it() -> None:
    body = "完成率达到96% ,比上年提高。\n"
    assert findings(body) == [("halfwidth-punct", "中文句中使用了半角标点“,”（应为“，”，前面的空格一并删去）", True)]
    assert fixed(body) == "完成率达到96%，比上年提高。\n"


def test_heading_numbers_typed_another_way_are_fixed_to_the_right_mark() -> None:
    body = "## 一.总体\n\n正文。\n\n## 二 存在问题\n\n正文。\n\n## 三，下一步\n\n正文。\n\n## 四．措施\n\n正文。\n"
    assert [(rule, message) for rule, message, _ in findings(body)] == [
        ("heading-number", "标题编号应写作“一、”（现为“一.”，印出来已是“一、”）"),
        ("heading-number", "标题编号应写作“二、”（现为“二 ”，印出来已是“二、”）"),
        ("heading-number", "标题编号应写作“三、”（现为“三，”，印出来已是“三、”）"),
        ("heading-number", "标题编号应写作“四、”（现为“四．”，印出来已是“四、”）"),
    ]
    assert fixed(body) == body.replace("一.", "一、").replace("二 ", "二、").replace("三，", "三、").replace(
        "四．", "四、"
    )


def test_a_bold_heading_number_is_fixed_inside_its_emphasis() -> None:
    assert fixed("## **一.总体**\n\n正文。\n") == "## **一、总体**\n\n正文。\n"


def test_straight_quotes_in_chinese_text_are_flagged_and_paired() -> None:
    body = '他们说"数据烟囱"必须打通，"信息孤岛"也要\n消除。\n'
    assert sorted(message for _, message, _ in findings(body)) == [
        '中文里用了半角引号"信息孤岛"（应为“信息孤岛”）',
        '中文里用了半角引号"数据烟囱"（应为“数据烟囱”）',
    ]
    assert fixed(body) == "他们说“数据烟囱”必须打通，“信息孤岛”也要\n消除。\n"


def test_straight_quotes_that_do_not_plainly_pair_are_left_to_the_editor() -> None:
    for body in ['屏幕是 5" 的，他说"好。\n', '他说"好"，又说"对。\n']:
        assert [(rule, edits) for rule, _, edits in findings(body)] == [("halfwidth-punct", False)], body
        assert fixed(body) == body


def test_quotes_in_code_html_english_and_links_are_not_chinese_text() -> None:
    body = 'Say "hi" to all.\n\n用 `a="b"` 设置。\n\n<p title="x">中文</p>\n\n[链接](https://a.b/"c") 见。\n'
    assert [f for f in findings(body) if "引号" in f[1]] == []


# What a fix may touch: spaces and punctuation marks. Every other character stays, in order.
_SPACES_AND_MARKS = re.compile(r"[\s\u3000,，.。、;；:：?？!！\"“”()（）]")


def squashed(text: str) -> str:
    """The text without its spaces and marks."""
    return _SPACES_AND_MARKS.sub("", text)


_PIECES = st.sampled_from(
    ["中文", "张明", "审核", "执笔", "数据", "96%", "3.5", "一", "二", "English", "word", " ", "　", ",", "，", ".",
     "。", ":", "：", '"', "“", "”", "(", ")", "（", "）", "!", "?", "、", ";"]
)  # fmt: skip
_LINE = st.lists(_PIECES, min_size=1, max_size=12).map("".join)
_BODY = st.lists(st.tuples(st.sampled_from(["", "## ", "- "]), _LINE), min_size=1, max_size=4)


@settings(max_examples=200, deadline=None)
@given(_BODY)
@example([("## ", "二 数据"), ("", "（执笔：张明　审核：数据）"), ("", '96% ,"数据"')])
def test_fix_deletes_nothing_but_spaces_and_marks(lines: list[tuple[str, str]]) -> None:
    body = "\n\n".join(prefix + line.strip() for prefix, line in lines if line.strip()) + "\n"
    after = fixed(body)
    assert squashed(after) == squashed(body), (body, after)


def test_a_heading_typed_as_a_paragraph_is_not_also_told_it_lacks_a_full_stop() -> None:
    assert findings("一、总体情况\n\n正文。\n\n## 二、问题\n\n这一段没有句号\n") == [
        ("paragraph-end", "段落没有以句末标点结束（末尾是“号”）", False)
    ]
