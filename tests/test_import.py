"""`import`: Word manuscripts (generated here with python-docx), pasted text and Markdown become articles."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pdfplumber
import pytest

from jianbao.errors import UsageError
from jianbao.importing.manuscript import import_manuscript
from jianbao.recipe import build
from tests.conftest import options_for
from tests.docxmaker import manuscript, merged_table, png
from tests.test_cli import run

ISSUE = "2025-01"

EXPECTED = """\
---
title: 关于数据要素市场的调研报告
subtitle: ——基于长三角六个城市的调查
---

数据已成为新型生产要素，**授权运营**是*关键一环*。[^1]

## 主要举措

### （一）建立公共数据授权运营机制

不少城市分级分类开放公共数据，通过授权运营引入专业机构。

#### 1. 设立数据产业园

##### （1）租金补贴

（2）对数据标注企业给予算力补贴，期限三年。补贴标准另行制定。

| 城市 | 挂牌数据产品 |
| --- | --- |
| 甲市 | 120 |
| 乙市 | 85\\|90 |

![](images/调研-1.png)

## 二、几点建议

1\\. 加快完善制度规则。建议制定公共数据授权运营管理办法。

[^1]: 数据来源：国家数据局 2025 年统计公报。
"""


@pytest.fixture
def project(minimal: Callable[..., Path]) -> Path:
    """A one-issue project (2025-01, 01-article.md) that changes to the sample content cannot disturb."""
    return minimal()


def issue_folder(project: Path) -> Path:
    return project / "content" / "issues" / ISSUE


@pytest.mark.slow
def test_docx_becomes_markdown_with_image(project: Path, tmp_path: Path) -> None:
    source = manuscript(tmp_path / "稿件.docx")
    result = import_manuscript(source, issue_folder(project), "调研")
    article = issue_folder(project) / "02-调研.md"
    image = issue_folder(project) / "images" / "调研-1.png"
    assert result.written == [article, image]
    assert article.read_text(encoding="utf-8") == EXPECTED
    assert image.read_bytes() == png()
    assert result.summary[0] == "标题：关于数据要素市场的调研报告"
    assert result.summary[1] == "5 个小标题，1 个表格，1 张图片（在 images/ 中），1 条脚注"
    assert result.lost == []


def built_text(project: Path) -> str:
    with pdfplumber.open(project / "output" / ISSUE / f"{ISSUE}.pdf") as pdf:
        return "".join((page.extract_text() or "").replace("\n", "") for page in pdf.pages)


@pytest.mark.slow
def test_imported_article_builds_with_its_numbers(project: Path, tmp_path: Path) -> None:
    source = manuscript(tmp_path / "稿件.docx", image=False)
    import_manuscript(source, issue_folder(project), "调研")
    report = build(options_for(project, ids=(ISSUE,)))
    assert [w for w in report.warnings if "调研" in w.path] == []
    text = built_text(project)
    for heading in (
        "一、主要举措",
        "（一）建立公共数据授权运营机制",
        "1.设立数据产业园",
        "（1）租金补贴",
        "二、几点建议",
    ):
        assert heading in text.replace(" ", "")
    assert "二、二、" not in text and "一、一、" not in text
    assert "数据来源：国家数据局" in text
    assert "85|90" in text, "the escaped | in a table cell prints as |"


@pytest.mark.slow
def test_imported_image_builds(project: Path, tmp_path: Path) -> None:
    import_manuscript(manuscript(tmp_path / "稿件.docx"), issue_folder(project), "调研")
    build(options_for(project, ids=(ISSUE,)))
    with pdfplumber.open(project / "output" / ISSUE / f"{ISSUE}.pdf") as pdf:
        assert sum(len(page.images) for page in pdf.pages) == 1


@pytest.mark.slow
def test_merged_cells_stay_html_and_are_reported(project: Path, tmp_path: Path) -> None:
    result = run(project, "import", str(merged_table(tmp_path / "表格.docx")), "--issue", ISSUE)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "已写入 content/issues/2025-01/02-表格.md"
    assert "未能转换：第 1 个表格有合并单元格，无法写成 Markdown 表格，已保留为 HTML 表格" in result.stderr
    text = (issue_folder(project) / "02-表格.md").read_text(encoding="utf-8")
    assert text == (
        "---\ntitle: 合并单元格的表格\n---\n\n正文。\n\n"
        '<table><tr><td colspan="2">合并的表头</td><td>单独</td></tr>'
        "<tr><td>一</td><td>二</td><td>三</td></tr></table>\n"
    )


PASTED = (
    "关于加快发展低空经济的建议\r\n"
    "\r\n"
    "\u3000\u3000低空经济是新质生产力的代表，\u00ad发展前景广阔。\r\n"
    "\u3000\u3000\r\n"
    "一、发展现状\r\n"
    "\u3000\u3000我市已建成起降点 12 个。*试飞*航线 3 条。\r\n"
    "（一）基础设施\r\n"
    "1. 起降场地\r\n"
    "1. 统筹规划起降场地，做到布局合理。\r\n"
)


def test_pasted_text_in_gbk_is_cleaned(project: Path, tmp_path: Path) -> None:
    source = tmp_path / "粘贴.txt"
    source.write_bytes(PASTED.encode("gb18030"))
    import_manuscript(source, issue_folder(project), None)
    assert (issue_folder(project) / "02-粘贴.md").read_text(encoding="utf-8") == (
        "---\ntitle: 关于加快发展低空经济的建议\n---\n\n"
        "低空经济是新质生产力的代表，发展前景广阔。\n\n"
        "## 一、发展现状\n\n"
        "我市已建成起降点 12 个。\\*试飞\\*航线 3 条。\n\n"
        "### （一）基础设施\n\n"
        "#### 1. 起降场地\n\n"
        "1\\. 统筹规划起降场地，做到布局合理。\n"
    )


def test_markdown_manuscript_keeps_front_matter(project: Path, tmp_path: Path) -> None:
    source = tmp_path / "draft.md"
    source.write_text(
        "---\ntitle: 标题\nsource: 《某某日报》\n---\n\n\u3000\u3000第一段，  \n接着写。\n\n\n\n"
        "二、建议\n\n正文[^a]。\n\n[^a]: 注释。\n",
        encoding="utf-8",
    )
    import_manuscript(source, issue_folder(project), "note")
    assert (issue_folder(project) / "02-note.md").read_text(encoding="utf-8") == (
        "---\ntitle: 标题\nsource: 《某某日报》\n---\n\n第一段，接着写。\n\n## 二、建议\n\n正文[^1]。\n\n[^1]: 注释。\n"
    )


@pytest.mark.slow
def test_unreadable_files_get_clear_messages(project: Path, tmp_path: Path) -> None:
    old = tmp_path / "旧稿.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    broken = tmp_path / "坏稿.docx"
    broken.write_bytes(b"PK\x03\x04 this is not really a zip file")
    expected = {
        old: "旧稿.doc 是旧版 Word 97-2003（.doc）或 WPS 格式，无法直接导入",
        broken: "无法读取 坏稿.docx：文件已损坏，或不是真正的 Word 文档（.docx）",
    }
    for path, message in expected.items():
        result = run(project, "import", str(path), "--issue", ISSUE)
        assert result.returncode == 2
        assert message in result.stderr
        assert "Traceback" not in result.stderr
    assert sorted(p.name for p in issue_folder(project).iterdir()) == ["01-article.md", "issue.yaml"]


def test_existing_article_and_unknown_issue_are_refused(project: Path, tmp_path: Path) -> None:
    source = manuscript(tmp_path / "稿件.docx")
    with pytest.raises(UsageError, match="已经存在"):
        import_manuscript(source, issue_folder(project), "01-article")
    with pytest.raises(UsageError, match="没有这一期"):
        import_manuscript(source, project / "content" / "issues" / "2099-01", None)


@pytest.mark.slow
def test_title_falls_back_to_document_properties_then_file_name(project: Path, tmp_path: Path) -> None:
    from docx import Document

    doc = Document()
    doc.core_properties.title = "属性中的标题"
    doc.add_paragraph("这是一段很长的正文，没有单独的标题行。它以句号结尾，所以不会被当成标题。")
    doc.add_paragraph("要点一", style="List Number")
    doc.add_paragraph("要点二", style="List Number")
    doc.save(str(tmp_path / "无标题.docx"))
    result = import_manuscript(tmp_path / "无标题.docx", issue_folder(project), None)
    assert (issue_folder(project) / "02-无标题.md").read_text(encoding="utf-8") == (
        "---\ntitle: 属性中的标题\n---\n\n"
        "这是一段很长的正文，没有单独的标题行。它以句号结尾，所以不会被当成标题。\n\n"
        "1. 要点一\n2. 要点二\n"
    )
    assert result.lost == []

    text = tmp_path / "随手贴.txt"
    text.write_text("这是一段很长的正文，没有单独的标题行，也不是短句。\n", encoding="utf-8")
    result = import_manuscript(text, issue_folder(project), None)
    assert (issue_folder(project) / "03-随手贴.md").read_text(encoding="utf-8").startswith("---\ntitle: 随手贴\n---\n")
    assert result.lost == ["稿件里没有找到标题，暂用文件名“随手贴”，请修改 title:"]
