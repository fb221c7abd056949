"""`import` does the hand work: author line, captions, web junk, bold headings, full-width numbering,
revised manuscripts (--replace) and images that never overwrite another article's."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from docx import Document

from jianbao.importing.manuscript import import_manuscript
from jianbao.markup.article import convert_markdown
from tests.docxmaker import png
from tests.test_cli import run

ISSUE = "2025-01"


@pytest.fixture
def project(minimal: Callable[..., Path]) -> Path:
    return minimal()


def folder(project: Path) -> Path:
    return project / "content/issues" / ISSUE


def word_manuscript(path: Path, *, picture: bytes | None = None) -> Path:
    """As a colleague writes it: author line, bold one-line headings, typed captions, full-width 1．"""
    doc = Document()
    doc.add_heading("关于智慧农业的调研", level=0)
    doc.add_paragraph("省农科院　张丽华")
    doc.add_paragraph("近年来，我省智慧农业发展较快。")
    doc.add_paragraph().add_run("主要做法").bold = True
    doc.add_paragraph("１．建设农业大数据平台，汇聚各类数据。")
    doc.add_picture(io.BytesIO(picture or png()))
    doc.add_paragraph("图1　全省智慧农业示范基地分布")
    doc.add_paragraph("表1　六城市农业数据平台建设情况")
    table = doc.add_table(rows=2, cols=2)
    for column, text in enumerate(("城市", "平台数")):
        table.cell(0, column).text = text
    for column, text in enumerate(("甲市", "3")):
        table.cell(1, column).text = text
    doc.add_paragraph().add_run("存在问题").bold = True
    doc.add_paragraph("数据标准不统一。")
    doc.save(str(path))
    return path


@pytest.mark.slow
def test_word_habits_become_front_matter_headings_and_captions(project: Path, tmp_path: Path) -> None:
    source = word_manuscript(tmp_path / "农业.docx")
    import_manuscript(source, folder(project))
    text = (folder(project) / "02-农业.md").read_text(encoding="utf-8")
    front, body = text.split("---\n")[1:3]
    assert "author: 省农科院 张丽华" in front
    assert "张丽华" not in body
    assert "## 主要做法" in body and "## 存在问题" in body
    assert "\n1.建设农业大数据平台" in body
    assert "．" not in body and "１" not in body
    html = convert_markdown(body, "art").html
    assert "<figcaption>图1　全省智慧农业示范基地分布</figcaption>" in html
    assert "<caption>表1　六城市农业数据平台建设情况</caption>" in html
    assert html.count("示范基地分布") == 1 and html.count("平台建设情况") == 1


@pytest.mark.parametrize(
    ("line", "author"),
    [("作者：王明", "王明"), ("文/李华", "李华"), ("省大数据中心课题组", "省大数据中心课题组")],
)
def test_author_lines(project: Path, tmp_path: Path, line: str, author: str) -> None:
    source = tmp_path / "稿.txt"
    source.write_text(f"标题\n{line}\n正文第一段。\n", encoding="utf-8")
    import_manuscript(source, folder(project))
    text = (folder(project) / "02-稿.md").read_text(encoding="utf-8")
    assert f"author: {author}\n" in text and line not in text.split("---")[2]


def test_web_page_junk_is_removed_and_the_source_kept(project: Path, tmp_path: Path) -> None:
    source = tmp_path / "网页.txt"
    source.write_text(
        "省政府召开数字经济工作会议\n"
        "来源：省政府网站 发布时间：2026-03-01 10:00 【字体：大 中 小】\n"
        "会议强调，要加快发展数字经济。\n"
        "【打印本页】【关闭窗口】\n"
        "责任编辑：王五\n"
        "分享到：\n",
        encoding="utf-8",
    )
    import_manuscript(source, folder(project))
    text = (folder(project) / "02-网页.md").read_text(encoding="utf-8")
    assert "source: 省政府网站" in text
    body = text.split("---")[2]
    assert body.strip() == "会议强调，要加快发展数字经济。"


@pytest.mark.slow
def test_reimport_never_overwrites_the_earlier_articles_images(project: Path, tmp_path: Path) -> None:
    first = word_manuscript(tmp_path / "农业.docx")
    import_manuscript(first, folder(project))
    images = folder(project) / "images"
    original = (images / "农业-1.png").read_bytes()
    revised = word_manuscript(tmp_path / "农业.docx", picture=png(60, 30))
    import_manuscript(revised, folder(project))  # same name again: a new article, its own images
    assert (images / "农业-1.png").read_bytes() == original
    third = (folder(project) / "03-农业.md").read_text(encoding="utf-8")
    assert "images/03-农业-1.png" in third and (images / "03-农业-1.png").read_bytes() == png(60, 30)
    # --replace puts the revision in place of the article (same file, same images).
    result = run(project, "import", str(revised), "--replace", "02-农业.md")
    assert result.returncode == 0, result.stderr
    assert "已用新稿替换 02-农业.md" in result.stdout
    assert (images / "农业-1.png").read_bytes() == png(60, 30)
    assert not (folder(project) / "04-农业.md").exists()
    missing = run(project, "import", str(revised), "--replace", "09-无此文.md")
    assert missing.returncode == 2 and "本期没有文章 09-无此文.md" in missing.stderr


@pytest.mark.slow
def test_import_goes_to_the_newest_issue_by_default(multiyear: Path, tmp_path: Path) -> None:
    source = tmp_path / "稿.txt"
    source.write_text("标题\n正文。\n", encoding="utf-8")
    result = run(multiyear, "import", str(source))
    assert result.returncode == 0, result.stderr
    assert "已导入到最新一期 2025-02" in result.stdout
    assert (multiyear / "content/issues/2025-02/02-稿.md").is_file() or any(
        (multiyear / "content/issues/2025-02").glob("*-稿.md")
    )


def superscript_footnote(path: Path) -> Path:
    """A note whose reference run the author also set superscript by hand (Word's 格式 → 字体 → 上标)."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn

    from tests.docxmaker import add_footnotes

    doc = Document()
    doc.add_heading("关于数据要素的调研", level=0)
    paragraph = doc.add_paragraph("数据已成为新型生产要素。")
    add_footnotes(doc, [(paragraph, "数据来源：统计公报。")])
    reference = paragraph._p.findall(qn("w:r"))[-1]
    reference.insert(0, parse_xml(f'<w:rPr {nsdecls("w")}><w:vertAlign w:val="superscript"/></w:rPr>'))
    doc.save(str(path))
    return path


def test_a_footnote_reference_set_superscript_by_hand_is_a_footnote(project: Path, tmp_path: Path) -> None:
    import_manuscript(superscript_footnote(tmp_path / "数据.docx"), folder(project))
    text = (folder(project) / "02-数据.md").read_text(encoding="utf-8")
    body = text.split("---\n", 2)[2]
    assert body.strip() == "数据已成为新型生产要素。[^1]\n\n[^1]: 数据来源：统计公报。"
    printed = convert_markdown(body, "art1").html
    assert 'class="fn-ref fn-first"' in printed and "wzxhzdk" not in printed and "<sup><sup>" not in printed


def test_replace_keeps_the_replaced_articles_front_matter(project: Path, tmp_path: Path) -> None:
    article = folder(project) / "01-article.md"
    article.write_text(
        "---\ntitle: 测试文章\nnote: 编者按：请各单位参阅。\nsource: 市委政研室\n---\n\n第一稿。\n", encoding="utf-8"
    )
    revised = tmp_path / "修改稿.md"
    revised.write_text("---\nsource: 市发改委\n---\n\n# 测试文章（修改稿）\n\n修改后的正文。\n", encoding="utf-8")
    result = import_manuscript(revised, folder(project), replace="01-article.md")
    text = article.read_text(encoding="utf-8")
    assert text.startswith("---\ntitle: 测试文章（修改稿）\nnote: 编者按：请各单位参阅。\nsource: 市发改委\n---\n")
    assert "修改后的正文。" in text and "第一稿" not in text
    assert result.summary[-1] == "保留了原文的 note（新稿里没有这些项）"


def test_a_revision_imported_beside_the_article_is_pointed_out(project: Path, tmp_path: Path) -> None:
    revised = tmp_path / "修改稿.txt"
    revised.write_text("测试文章\n修改后的正文。\n", encoding="utf-8")
    result = import_manuscript(revised, folder(project))
    assert (folder(project) / "02-修改稿.md").is_file()
    assert result.warnings == [
        "本期的 01-article.md 标题也是“测试文章”：如果这是它的修改稿，请删去刚写入的 02-修改稿.md，"
        "改用 --replace 01-article.md 重新导入（文件名、顺序和编者按等都不变）"
    ]
