"""Every YAML mistake in Chinese, on the line where it was made (full-width punctuation named as such)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from jianbao.load.yamlfile import YamlSyntaxError, parse_yaml
from tests.test_cli import run

FULLWIDTH = [
    ("number: 8\ntitle：领导学习\ndate: 2025-06-03\n", 2, "第2行用了全角冒号“：”，请改成半角“:”后加空格"),
    ("number: 8\ntitle：领导学习\n", 2, "第2行用了全角冒号“：”"),
    ("title: 领导\n  tagline：内部资料\nnumber: 8\n", 2, "第2行用了全角冒号“：”"),
    ("organizers: [甲，乙]\n", 1, "第1行用了全角逗号“，”分隔列表项，请改成半角“,”后加空格"),
    ("organizers: 【甲, 乙】\nnumber: 8\n", 1, "第1行用了全角方括号“【】”，列表要用半角“[ ]”"),
    ("title: “会议: 纪要”\nnumber: 8\n", 1, "第1行用了全角引号“”"),
    ("distribution:\n  报：[市委书记]\n  送: [市长]\n", 2, "第2行用了全角冒号“：”"),
]

# Habits of a keyboard, not of YAML: named on the line where they were typed, with the real cause.
HABITS = [
    ("number: 12\neditor:李晓梅\ndate: 2026-03-02\n", 2, "第2行的冒号后面缺少空格：应写成“editor: 值”"),
    ("number: 12\neditor:李晓梅\n", 2, "第2行的冒号后面缺少空格"),
    ("editor:李晓梅\n", 1, "第1行的冒号后面缺少空格"),
    ("title: 简报\nbase_url:http://intranet/\nnumber: 8\n", 2, "第2行的冒号后面缺少空格：应写成“base_url: 值”"),
    ('title: "城市大脑"的建设\nauthor: 张三\n', 1, "第1行的值以半角引号开头、引号后面还有文字"),
    ("a: 1\ntitle: '城市'大脑\n", 2, "第2行的值以半角引号开头"),
    ('marks:\n  - "内部"资料\n', 2, "第2行的值以半角引号开头"),
]

# One case per kind of PyYAML error the loader can meet (scanner, parser, composer, constructor, reader).
KINDS = [
    ("organizers: [甲, 乙\nnumber: 8\n", 1, "方括号“[”没有闭合，或列表项之间缺少半角逗号“,”"),
    ("number: 8\norganizers: [甲, 乙\n", 2, "方括号“[”没有闭合"),  # reported at the end of the file
    ("a: {b: 1\nnumber: 8\n", 1, "花括号“{”没有闭合"),
    ("a:\n\tb: 1\n", 2, "不能用 Tab 缩进，请改用空格"),
    ("title: @会议\n", 1, "这个字符不能作为值的开头"),
    ("title: 会议: 纪要\n", 1, "冒号位置不对"),
    ("title: 会议\nnumber 8\nx: 1\n", 3, "缺少冒号"),
    ("title: 会议\n- 甲\n", 2, "缩进不一致"),
    ('title: "会议\nnumber: 8\n', 1, "引号没有闭合"),
    ("title: '会议\nnumber: 8\n", 1, "引号没有闭合"),
    ('title: "C:\\d"\n', 1, "双引号里的反斜杠"),
    ("a: *x\n", 1, "不支持锚点和别名"),
    ("a: & x\n", 1, "“&”或“*”是 YAML 的保留符号"),
    ("a: &x 1\nb: &x 2\n", 2, "不支持锚点和别名"),
    ("note: |x\n  正文\n", 1, "“|”或“>”后面只能换行"),
    ("a:\n  b: 1\n c: 2\n", 3, "缩进不一致"),
    ("a:\n  - 1\n - 2\n", 3, "缩进不一致"),
    ("a: [1, , 2]\n", 1, "这里缺少内容"),
    ("a: 1\n---\nb: 2\n", 2, "一个文件里只能有一份内容"),
    ("a: !foo 1\n", 1, "不支持 YAML 标签 !foo"),
    ("a: !<x 1\n", 1, "YAML 标签"),
    ("[1, 2]: a\n", 1, "字段名不能是列表或映射"),
    ("a: &x 1\nb:\n  <<: *x\n", 1, "不支持合并键“<<”"),
    ("a: ? b\n", 1, "保留写法"),
    ("title: a\x07b\n", 1, "含有不可见的控制字符 U+0007"),
    ("note: | 正文\n", 1, "这一行的值后面多了内容"),
    ("a:\n  - 1\n  b: 2\n", 3, "缩进不一致"),
]


def error_of(text: str) -> YamlSyntaxError:
    with pytest.raises(YamlSyntaxError) as caught:
        parse_yaml(text)
    return caught.value


@pytest.mark.parametrize(("text", "line", "message"), FULLWIDTH + KINDS)
def test_yaml_error_in_chinese_on_its_line(text: str, line: int, message: str) -> None:
    error = error_of(text)
    assert message in error.message
    assert error.line == line
    assert error.message.startswith("YAML 格式错误：")
    english = re.findall(r"[A-Za-z]{3,}", re.sub(r"YAML|Tab|!foo", "", error.message))
    assert english == [], error.message


@pytest.mark.parametrize(("text", "line", "message"), HABITS)
def test_typing_habits_are_named_on_the_line_typed(text: str, line: int, message: str) -> None:
    """`editor:李晓梅` was reported on the next line as 缺少冒号, `title: "城市大脑"的…` as 缩进不一致."""
    error = error_of(text)
    assert (error.line, message in error.message) == (line, True), error.message
    assert "缩进不一致" not in error.message and "缺少冒号" not in error.message


@pytest.mark.slow
def test_front_matter_mistake_names_the_file_line(project: Path) -> None:
    article = project / "content/issues/2025-08/01-article.md"
    article.write_text("---\ntitle: 标题\nauthor：张三\n---\n\n正文。\n", encoding="utf-8")
    result = run(project, "check")
    assert result.returncode == 1
    assert (
        "content/issues/2025-08/01-article.md:3: YAML 格式错误：第3行用了全角冒号“：”，请改成半角“:”后加空格"
        in result.stderr
    ), result.stderr


def test_valid_full_width_text_is_left_alone() -> None:
    doc = parse_yaml("title: “十四五”规划：数据要素\nnote: 会议：纪要，摘要\norganizers: [甲, 乙]\n")
    assert doc.data == {"title": "“十四五”规划：数据要素", "note": "会议：纪要，摘要", "organizers": ["甲", "乙"]}


def test_curly_quotes_around_a_value_are_dropped_with_a_note() -> None:
    doc = parse_yaml("phone: “0571-8888”\neditor: ‘李晓梅’\ntitle: “城市大脑”的建设\nkept: '“数字中国”'\nx: [“甲”]\n")
    assert doc.data == {
        "phone": "0571-8888",
        "editor": "李晓梅",
        "title": "“城市大脑”的建设",
        "kept": "“数字中国”",
        "x": ["甲"],
    }
    assert [line for line, _ in doc.notes] == [1, 2, 5]
    assert doc.notes[0][1] == "值两边的中文引号不是 YAML 的引号，已去掉（引号本是内容的一部分时，请写成 '“0571-8888”'）"
