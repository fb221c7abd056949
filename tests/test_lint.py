"""`check`: Chinese punctuation and spacing lint, missing glyphs, rule codes, ignore settings, --fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from jianbao.check.report import lint_markdown
from tests.test_hostile import run_cli

ARTICLE = "content/issues/2025-01/01-article.md"

BAD = """\
---
title: 检查用文章
---

这是一段,有问题的文字;比如:这样?对!还有数据(DATA)说明。

“引号没有闭合，《书名号】也错配。

标点，，重复了。。省略号写成。。。这样。

汉字 之间有空格，全角　空格也算。

这一段没有句号

用 `a,b` 代码、[链接](https://example.com/a,b?c) 和 https://example.com/x,y 都不算。

English, with commas; is fine.
"""


def rules(body: str) -> list[tuple[int, str]]:
    return [(f.line, f.rule) for f in lint_markdown(body, 1)]


@pytest.mark.slow
def test_each_rule_reports_file_line_and_code(minimal) -> None:
    project = minimal(article=BAD)
    code, out, err = run_cli(project, "check")
    assert code == 0
    assert err.splitlines() == [
        f"{ARTICLE}:5: 警告：中文句中使用了半角标点“!”（应为“！”） [halfwidth-punct]",
        f"{ARTICLE}:5: 警告：中文句中使用了半角标点“(”（应为“（”） [halfwidth-punct]",
        f"{ARTICLE}:5: 警告：中文句中使用了半角标点“)”（应为“）”） [halfwidth-punct]",
        f"{ARTICLE}:5: 警告：中文句中使用了半角标点“,”（应为“，”） [halfwidth-punct]",
        f"{ARTICLE}:5: 警告：中文句中使用了半角标点“:”（应为“：”） [halfwidth-punct]",
        f"{ARTICLE}:5: 警告：中文句中使用了半角标点“;”（应为“；”） [halfwidth-punct]",
        f"{ARTICLE}:5: 警告：中文句中使用了半角标点“?”（应为“？”） [halfwidth-punct]",
        f"{ARTICLE}:7: 警告：多出的右方头括号】，前面没有左方头括号【 [unpaired-mark]",
        f"{ARTICLE}:7: 警告：左书名号《 没有闭合（缺少右书名号》） [unpaired-mark]",
        f"{ARTICLE}:7: 警告：左双引号“ 没有闭合（缺少右双引号”） [unpaired-mark]",
        f"{ARTICLE}:9: 警告：标点重复“。。”（应为“。”） [repeated-punct]",
        f"{ARTICLE}:9: 警告：标点重复“。。。”（省略号应为“……”） [repeated-punct]",
        f"{ARTICLE}:9: 警告：标点重复“，，”（应为“，”） [repeated-punct]",
        f"{ARTICLE}:11: 警告：汉字之间有空格：“字 之” [cjk-space]",
        f"{ARTICLE}:11: 警告：汉字之间有空格：“角　空” [cjk-space]",
        f"{ARTICLE}:13: 警告：段落没有以句末标点结束（末尾是“号”） [paragraph-end]",
    ]
    assert out == "检查完毕：1 期，16 条警告，没有错误。\n"
    assert not (project / "output").exists()


def test_strict_makes_findings_errors(minimal) -> None:
    project = minimal(article="---\ntitle: 标题\n---\n\n没有句号\n")
    code, _, err = run_cli(project, "check", "--strict")
    assert code == 1
    assert err.splitlines() == [
        f"{ARTICLE}:5: 段落没有以句末标点结束（末尾是“号”） [paragraph-end]",
        "发现 1 个错误，未生成任何文件（上次的输出保持不变）。",
    ]


def test_ignore_per_article_and_per_issue(minimal) -> None:
    body = "没有句号\n\n## 三、标题\n\n汉字 空格。\n"
    project = minimal(
        article=f"---\ntitle: 标题\nlint:\n  ignore: [paragraph-end, heading-number]\n---\n\n{body}",
        issue="number: 1\ntotal: 1\ndate: 2025-01-10\nlint: {ignore: [missing-glyph]}\n",
    )
    code, _, err = run_cli(project, "check")
    assert code == 0
    assert err.splitlines() == [f"{ARTICLE}:11: 警告：汉字之间有空格：“字 空” [cjk-space]"]
    (project / "content/issues/2025-01/issue.yaml").write_text(
        "number: 1\ntotal: 1\ndate: 2025-01-10\nlint: {ignore: [cjk-space]}\n", encoding="utf-8"
    )
    assert run_cli(project, "check")[2] == ""


def test_heading_number_warning_carries_its_code(minimal) -> None:
    project = minimal(article="---\ntitle: 标题\n---\n\n## 一、甲\n\n正文。\n\n## 三、乙\n\n正文。\n")
    _code, _, err = run_cli(project, "check")
    assert err.splitlines() == [f"{ARTICLE}:9: 警告：标题编号“三、”应为“二、”：三、乙 [heading-number]"]


def test_fix_shows_the_diff_then_applies_only_safe_fixes(minimal) -> None:
    project = minimal(article=BAD)
    code, out, err = run_cli(project, "check", "--fix", "--yes")
    assert code == 0
    assert out.startswith(f"--- {ARTICLE}\n+++ {ARTICLE}\n")
    assert "-这是一段,有问题的文字;比如:这样?对!还有数据(DATA)说明。\n" in out
    assert "+这是一段，有问题的文字；比如：这样？对！还有数据（DATA）说明。\n" in out
    assert "已自动修正 1 个文件。" in out
    fixed = (project / ARTICLE).read_text(encoding="utf-8")
    assert "这是一段，有问题的文字；比如：这样？对！还有数据（DATA）说明。" in fixed
    assert "标点，重复了。省略号写成。。。这样。" in fixed  # an ellipsis needs a person
    assert "汉字之间有空格，全角空格也算。" in fixed
    assert "`a,b`" in fixed and "https://example.com/a,b?c" in fixed and "English, with commas; is fine." in fixed
    # What is left needs a person, and is reported after the fix.
    assert [line.rsplit(" ", 1)[-1] for line in err.splitlines()] == [
        "[unpaired-mark]",
        "[unpaired-mark]",
        "[unpaired-mark]",
        "[repeated-punct]",
        "[paragraph-end]",
    ]
    assert run_cli(project, "check", "--fix")[1] == "没有可以自动修正的地方。\n检查完毕：1 期，5 条警告，没有错误。\n"


def test_fix_leaves_silenced_rules_alone(minimal) -> None:
    project = minimal(article="---\ntitle: 标题\nlint: {ignore: [cjk-space]}\n---\n\n汉字 空格,逗号。\n")
    run_cli(project, "check", "--fix", "--yes")
    assert (project / ARTICLE).read_text(encoding="utf-8").endswith("汉字 空格，逗号。\n")


def test_characters_no_font_can_draw(minimal) -> None:
    project = minimal(article="---\ntitle: 标题\n---\n\n生僻字\U0002ebf0与私用区\ue000和\x0b控制符。\n")
    _code, _, err = run_cli(project, "check")
    assert err.splitlines() == [
        f"{ARTICLE}:5: 警告：不可见的字符 U+000B（控制字符），请删除 [missing-glyph]",
        f"{ARTICLE}:5: 警告：字体中没有字符“\ue000”（U+E000），打印时会显示为方框 [missing-glyph]",
        f"{ARTICLE}:5: 警告：字体中没有字符“\U0002ebf0”（U+2EBF0），打印时会显示为方框 [missing-glyph]",
    ]


def test_missing_glyph_in_yaml_files_too(minimal) -> None:
    from tests.conftest import MINIMAL_BULLETIN

    project = minimal(bulletin=MINIMAL_BULLETIN.replace("张编辑", "张\ue001编辑"))
    _, _, err = run_cli(project, "check")
    assert err.splitlines() == [
        "content/bulletin.yaml:4: 警告：字体中没有字符“\ue001”（U+E001），打印时会显示为方框 [missing-glyph]"
    ]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("中文,中文。", [(1, "halfwidth-punct")]),
        ("1,000 元。", []),
        ("时间是10:30。", []),
        ("见 http://a.b/c?d=1,2 网址。", []),
        ("**重点**,然后。", [(1, "halfwidth-punct")]),
        ("```\n中文,代码\n```\n", []),
        ("<p>中文,HTML</p>\n", []),
        ("- 列表项没有句号\n- 第二项", []),
        ("| 表格 | 没有句号 |\n|---|---|\n| 甲 | 乙 |", []),
        ("第一行\n第二行。", []),
        ("“引文跨行\n仍然闭合。”", []),
        ("他说：“好（对）”。", []),
        ("（1）编号。", []),
        ("脚注结尾。[^1]", []),
        ("这是……省略号——破折号。", []),
        ("English only sentence", []),
        ("![图1 示意图](images/a.png)", []),
        ("[^1]: 脚注,内容。", [(1, "halfwidth-punct")]),
        ("> 引文,内容。", [(1, "halfwidth-punct")]),
    ],
)
def test_rule_edges(body: str, expected: list[tuple[int, str]]) -> None:
    assert rules(body) == expected


def test_sample_content_is_clean(tmp_path: Path) -> None:
    from tests.conftest import copy_project

    project = copy_project(tmp_path)
    code, out, err = run_cli(project, "check")
    # The sample cannot know the office's intranet address: check reminds the editor to set it.
    assert code == 0 and err.startswith("提示：bulletin.yaml 没有设置 base_url") and err.count("\n") == 1
    assert out.startswith("检查完毕：") and out.endswith(" 期，0 条警告，没有错误。\n")
