"""Loading and validating content: the model, and errors that name file and line."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from jianbao.errors import ContentError
from jianbao.load.content import format_recipients
from jianbao.markup import load_content
from tests.conftest import MINIMAL_BULLETIN


def load(project: Path):
    return load_content(project / "content")


def errors_of(project: Path) -> list[str]:
    with pytest.raises(ContentError) as info:
        load(project)
    return [str(p) for p in info.value.problems if p.severity == "error"]


def test_sample_content_loads_into_frozen_model() -> None:
    site, warnings = load_content(Path(__file__).parent.parent / "content")
    assert warnings == []
    assert site.bulletin.title == "领导学习"
    issue = next(i for i in site.issues if i.id == "2025-08")
    assert issue.numbers_text == "第8期（总第144期）"
    assert issue.date_text == "2025年6月3日"
    assert issue.date == dt.date(2025, 6, 3)
    with pytest.raises(AttributeError):
        issue.number = 9  # type: ignore[misc]


def test_distribution_formats() -> None:
    assert format_recipients(["甲", "乙"]) == "甲、乙。"
    assert format_recipients([["甲", "乙"], ["丙"]]) == "甲、乙；丙。"
    assert format_recipients("各区县。") == "各区县。"
    assert format_recipients("各区县") == "各区县。"


def test_issue_override_replaces_bulletin_value(minimal) -> None:
    project = minimal(issue="number: 1\ntotal: 1\ndate: 2025-01-10\ncopies: 99\n")
    site, _ = load(project)
    assert site.issues[0].bulletin.copies == 99
    assert site.bulletin.copies == 10


def test_title_from_first_heading_line(minimal) -> None:
    project = minimal(article="# 标题来自正文\n\n第一段。\n")
    site, _ = load(project)
    article = site.issues[0].articles[0]
    assert article.title == "标题来自正文"
    assert "标题来自正文" not in article.body_html


def test_bad_date_names_file_and_line(minimal) -> None:
    project = minimal(issue="number: 1\ntotal: 1\ndate: 2025-13-01\n")
    assert errors_of(project) == [
        f"{_rel(project, 'issue.yaml')}:3: date（日期）：“2025-13-01” 不是有效日期（应为 YYYY-MM-DD）"
    ]


def test_missing_required_field(minimal) -> None:
    project = minimal(bulletin="organizers: [某单位]\n")
    (error,) = errors_of(project)
    assert error.endswith("bulletin.yaml:1: title（刊名/标题）：缺少必填字段")


def test_wrong_type_points_at_its_line(minimal) -> None:
    project = minimal(issue="number: 1\ntotal: 第一期\ndate: 2025-01-10\n")
    (error,) = errors_of(project)
    assert error == f"{_rel(project, 'issue.yaml')}:2: total（总期号）：“第一期” 不是整数（应为正整数）"


def test_broken_yaml_reports_line(minimal) -> None:
    project = minimal(issue='number: 1\ntotal: "1\ndate: 2025-01-10\n')
    (error,) = errors_of(project)
    assert error == f"{_rel(project, 'issue.yaml')}:2: YAML 格式错误：引号没有闭合（第 8 列）"


def test_duplicate_key_is_an_error(minimal) -> None:
    project = minimal(issue="number: 1\ntotal: 1\nnumber: 2\ndate: 2025-01-10\n")
    (error,) = errors_of(project)
    assert error == f"{_rel(project, 'issue.yaml')}:3: 字段 number 重复（第 1 行已有）"


def test_front_matter_error_uses_file_line(minimal) -> None:
    project = minimal(article="---\ntitle: 好\nauthor: [a, b]\n---\n正文。\n")
    (error,) = errors_of(project)
    assert error == f"{_rel(project, '01-article.md')}:3: author（作者）：应为一段文字"


def test_unknown_key_is_an_error_with_suggestion(minimal) -> None:
    """A misspelt key would silently drop what it holds (印数, 编者按) from the print: an error, naming the key."""
    project = minimal(bulletin="title: 简报\norganizers: [甲]\ndistrbution: {}\n")
    with pytest.raises(ContentError) as info:
        load(project)
    assert [(p.line, p.message, p.severity) for p in info.value.problems] == [
        (3, "未知字段 distrbution，是否应为 distribution？", "error")
    ]


def test_chinese_keys_name_the_english_key(minimal) -> None:
    project = minimal(
        bulletin="title: 简报\norganizers: [甲]\n印数: 70\ncopise: 70\n",
        issue="number: 1\ntotal: 1\n日期: 2025-01-10\ndate: 2025-01-10\n",
        article="---\ntitle: 甲\n编者按: 请阅读。\n按语: 又一段。\n---\n\n正文。\n",
    )
    with pytest.raises(ContentError) as info:
        load(project)
    assert [(Path(p.path).name, p.line, p.message) for p in info.value.problems] == [
        ("bulletin.yaml", 3, "未知字段 印数：应写作 copies（字段名用英文，如“copies: …”）"),
        ("bulletin.yaml", 4, "未知字段 copise，是否应为 copies？"),
        ("01-article.md", 3, "未知字段 编者按：应写作 note（字段名用英文，如“note: …”）"),
        ("01-article.md", 4, "未知字段 按语：应写作 note（字段名用英文，如“note: …”）"),
        ("issue.yaml", 3, "未知字段 日期：应写作 date（字段名用英文，如“date: …”）"),
    ]


def test_known_keys_come_from_the_schema(minimal, monkeypatch: pytest.MonkeyPatch) -> None:
    """A key the schema gains is accepted at once: the unknown-key check keeps no list of its own."""
    from pydantic import create_model

    from jianbao.load import content, schema

    project = minimal(issue="number: 1\ntotal: 1\ndate: 2025-01-10\n审核人: 王主任\n")
    with pytest.raises(ContentError):
        load(project)
    monkeypatch.setattr(content, "IssueSchema", create_model("Wider", __base__=schema.IssueSchema, 审核人=(str, "")))
    load(project)


def test_curly_quotes_around_a_value_are_warned_and_dropped(minimal) -> None:
    project = minimal(bulletin=MINIMAL_BULLETIN.replace('phone: "0000-0000"', "phone: “0571-8888”"))
    site, warnings = load(project)
    assert site.bulletin.phone == "0571-8888"
    assert [(Path(p.path).name, p.line, p.message[:15]) for p in warnings] == [
        ("bulletin.yaml", 5, "值两边的中文引号不是 YAML")
    ]


def test_same_title_twice_in_an_issue_warns_naming_both(minimal) -> None:
    project = minimal()
    folder = project / "content" / "issues" / "2025-01"
    (folder / "02-revision.md").write_text((folder / "01-article.md").read_text(encoding="utf-8"), encoding="utf-8")
    _, warnings = load(project)
    assert [(Path(p.path).name, p.line, p.message) for p in warnings] == [
        (
            "02-revision.md",
            2,
            "文章标题“测试文章”与本期的 01-article.md 相同：是不是同一篇稿件放了两次"
            "（例如导入修改稿时没有用 --replace）？请删去旧的一篇，或改一个标题",
        )
    ]


def test_all_errors_of_a_run_are_reported_together(minimal) -> None:
    project = minimal(bulletin="title: 简报\norganizers: 甲\n", issue="number: 0\ntotal: 1\ndate: x\n")
    errors = errors_of(project)
    assert len(errors) == 3
    assert errors == sorted(errors)


def test_gbk_file_gets_a_conversion_hint(minimal) -> None:
    project = minimal()
    path = project / "content/issues/2025-01/01-article.md"
    path.write_bytes("---\ntitle: 标题\n---\n中文正文。\n".encode("gbk"))
    (error,) = errors_of(project)
    assert "GBK" in error and "UTF-8" in error


def test_bad_issue_folder_name(minimal) -> None:
    project = minimal(issue_id="2025_01")
    (error,) = errors_of(project)
    assert "只能用小写字母、数字和连字符" in error


def test_article_without_title(minimal) -> None:
    project = minimal(article="只有正文。\n")
    (error,) = errors_of(project)
    assert "文章缺少标题" in error


def test_numbering_duplicate_total_is_an_error(project: Path) -> None:
    issue = project / "content/issues/2025-08/issue.yaml"
    issue.write_text("number: 8\ntotal: 143\ndate: 2025-06-03\n", encoding="utf-8")
    errors = errors_of(project)
    assert len(errors) == 1
    assert "issue.yaml:2: total：总第143期不大于上一期 2025-07 的总第143期（应为 144）" in errors[0]


def test_numbering_gap_is_a_warning(project: Path) -> None:
    shutil.rmtree(project / "content/issues/2025-09")  # its numbers would collide with the edited ones
    issue = project / "content/issues/2025-08/issue.yaml"
    issue.write_text("number: 9\ntotal: 145\ndate: 2025-06-03\n", encoding="utf-8")
    _, warnings = load(project)
    assert [w.message for w in warnings] == [
        "number：期号跳号，上一期 2025-07 为第7期（应为 8）",
        "total：总期号跳号，上一期 2025-07 为总第143期（应为 144）",
    ]


def _rel(project: Path, name: str) -> str:
    from jianbao.errors import display_path

    folder = project / "content/issues/2025-01"
    return display_path(folder / name) if name != "bulletin.yaml" else display_path(project / "content" / name)
