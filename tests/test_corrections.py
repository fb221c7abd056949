"""Corrections of a published issue (issue 25, requirement 2), the PDF's file name (`pdf_name:`) and one
organizer word: the 更正 notice on the page, the 更正 line after its article in the PDF, the PDF kept from
before each correction, the archive and feed marking the issue corrected."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import quote, unquote

import pdfplumber
import pytest

from jianbao.errors import ContentError
from jianbao.markup import load_content
from jianbao.recipe import build
from tests.conftest import MINIMAL_BULLETIN, options_for
from tests.test_site import parse_html
from tests.workflow import ARTICLE, make_project, write_issue

BULLETIN = MINIMAL_BULLETIN + 'pdf_name: "《{title}》{year}年第{number}期"\nmasthead: {organizer_word: 编印}\n'
SIGNED = "number: 12\ntotal: 86\ndate: 2026-03-02\nstatus: 签发\n签发人: 王建国\n签发日期: 2026-03-01\n"
ARTICLES = {
    "01-a.md": ARTICLE.format(title="城市更新的进展", text="三年来累计开工改造小区412个，惠及居民约18.6万户。"),
    "02-b.md": ARTICLE.format(title="一网统管的流程", text="今年以来平台受理各类事件约42万件，按时处置率为96.8%。"),
}
CORRECTION = "corrections:\n  - date: 2026-03-20\n    article: 01-a.md\n    text: 第1页“约18.6万户”应为“约16.8万户”。\n"
PDF = "《测试简报》2026年第12期.pdf"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def corrected(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A signed-off issue built, then corrected (its text fixed, a correction written) and built again."""
    project = make_project(tmp_path_factory.mktemp("corrected"), {}, BULLETIN)
    folder = write_issue(project / "content", "2026-12", SIGNED, ARTICLES)
    build(options_for(project))
    shutil.copy(project / "output/2026-12" / PDF, project / "first.pdf")
    article = folder / "01-a.md"
    article.write_text(article.read_text(encoding="utf-8").replace("18.6", "16.8"), encoding="utf-8")
    (folder / "issue.yaml").write_text(SIGNED + CORRECTION, encoding="utf-8")
    build(options_for(project))
    return project


def text_of(pdf: Path) -> list[str]:
    """The PDF's text lines (the 更正 label in 黑体 sits on its line with the 楷体 text: a wide tolerance)."""
    with pdfplumber.open(pdf) as document:
        text = "\n".join(page.extract_text(y_tolerance=5) for page in document.pages)
    return [line.replace(" ", "") for line in text.splitlines()]


@pytest.mark.slow
def test_the_pdf_is_named_by_the_pattern_and_every_link_finds_it(corrected: Path) -> None:
    folder = corrected / "output/2026-12"
    assert sorted(p.name for p in folder.iterdir() if p.suffix in (".pdf", ".ofd")) == [
        "《测试简报》2026年第12期-v1.pdf",
        "《测试简报》2026年第12期.ofd",
        PDF,
    ]
    page = parse_html(folder / "index.html")
    links = {a.get("class"): a.get("href") for a in page.iter("a") if a.get("class")}
    for kind in ("pdf-link", "pdf-download", "ofd-download", "version-link"):
        assert (folder / unquote(links[kind])).is_file(), kind
    assert links["pdf-link"] == quote(PDF)
    archive = parse_html(corrected / "output/index.html")
    (pdf_link,) = [a.get("href") for a in archive.iter("a") if a.get("class") == "pdf-link"]
    assert (corrected / "output" / unquote(pdf_link)).is_file()
    feed = ET.parse(corrected / "output/feed.xml").getroot()
    (enclosure,) = [link for link in feed.iter(f"{ATOM}link") if link.get("rel") == "enclosure"]
    assert unquote(enclosure.get("href", "")) == f"http://intranet.example/jianbao/2026-12/{PDF}"


@pytest.mark.slow
def test_the_page_opens_with_a_correction_notice_linking_the_pdf_before_it(corrected: Path) -> None:
    folder = corrected / "output/2026-12"
    page = parse_html(folder / "index.html")
    body = [child for child in page.find("body") if child.tag not in ("script",)]
    tags = [(child.tag, child.get("class")) for child in body]
    # the notice comes before the masthead and the articles
    assert tags.index(("aside", "corrections")) < tags.index(("header", "masthead"))
    notice = next(child for child in body if child.get("class") == "corrections")
    text = "".join(notice.itertext())
    assert "2026年3月20日，《城市更新的进展》：第1页“约18.6万户”应为“约16.8万户”。" in text
    (version,) = [a for a in notice.iter("a") if a.get("class") == "version-link"]
    assert version.text == "更正前的版本（PDF）"
    before = folder / unquote(version.get("href", ""))
    # the kept PDF is the one published before the correction, byte for byte
    assert before.read_bytes() == (corrected / "first.pdf").read_bytes()
    assert any("约18.6万户" in line for line in text_of(before))


@pytest.mark.slow
def test_the_pdf_prints_the_correction_after_its_article(corrected: Path) -> None:
    lines = text_of(corrected / "output/2026-12" / PDF)
    correction = next(i for i, line in enumerate(lines) if line.startswith("更正（2026年3月20日）："))
    first_article_end = max(i for i, line in enumerate(lines) if "约16.8万户" in line and "更正" not in line)
    second_title = lines.index("一网统管的流程")
    assert first_article_end < correction < second_title
    assert not any("约18.6万户" in line for line in lines[:correction])  # the text itself is fixed
    with pdfplumber.open(corrected / "output/2026-12" / PDF) as pdf:
        assert pdf.metadata["corrections"] == "1"
        assert pdf.metadata["ModDate"].startswith("D:20260320")


@pytest.mark.slow
def test_archive_and_feed_mark_the_issue_corrected(corrected: Path) -> None:
    archive = parse_html(corrected / "output/index.html")
    (label,) = [a for a in archive.iter("a") if a.get("class") == "corrected-label"]
    assert label.text == "已更正（2026年3月20日）" and label.get("href") == "2026-12/index.html#corrections-head"
    feed = ET.parse(corrected / "output/feed.xml").getroot()
    (entry,) = feed.iter(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title", "").endswith("（已更正）")
    assert entry.findtext(f"{ATOM}updated") == "2026-03-20T00:00:00+08:00"
    assert entry.findtext(f"{ATOM}published") == "2026-03-02T00:00:00+08:00"
    assert entry.findtext(f"{ATOM}summary", "").startswith("更正（2026年3月20日）：第1页")
    assert feed.findtext(f"{ATOM}updated") == "2026-03-20T00:00:00+08:00"


@pytest.mark.slow
def test_one_organizer_word_on_the_archive_the_page_and_the_pdf(corrected: Path) -> None:
    archive = (corrected / "output/index.html").read_text(encoding="utf-8")
    assert "测试研究院　编印</p>" in archive and "测试研究院编印）" in archive and "主办" not in archive
    assert '<span class="host">编印</span>' in (corrected / "output/2026-12/index.html").read_text(encoding="utf-8")
    assert any(line.endswith("编印") or "编印" in line for line in text_of(corrected / "output/2026-12" / PDF)[:6])


@pytest.mark.slow
def test_a_second_correction_keeps_the_first_corrected_pdf_as_v2(corrected: Path, tmp_path: Path) -> None:
    project = shutil.copytree(corrected, tmp_path / "p", symlinks=True)
    folder = project / "content/issues/2026-12"
    v1 = (project / "output/2026-12/《测试简报》2026年第12期-v1.pdf").read_bytes()
    current = (project / "output/2026-12" / PDF).read_bytes()
    more = "  - date: 2026-03-25\n    text: 第2页“96.8%”应为“98.6%”。\n"
    (folder / "issue.yaml").write_text(SIGNED + CORRECTION + more, encoding="utf-8")
    build(options_for(project))
    kept = project / "output/2026-12"
    assert (kept / "《测试简报》2026年第12期-v1.pdf").read_bytes() == v1
    assert (kept / "《测试简报》2026年第12期-v2.pdf").read_bytes() == current
    page = parse_html(kept / "index.html")
    versions = [unquote(a.get("href", "")) for a in page.iter("a") if a.get("class") == "version-link"]
    assert versions == ["《测试简报》2026年第12期-v1.pdf", "《测试简报》2026年第12期-v2.pdf"]
    lines = text_of(kept / PDF)
    # a correction naming no article prints after the last one
    late = next(i for i, line in enumerate(lines) if line.startswith("更正（2026年3月25日）：第2页“96.8%”应为"))
    assert late > lines.index("一网统管的流程")
    # a build with nothing new keeps them all, and a forced one does not take the current PDF for a version
    build(options_for(project, force=True))
    assert (kept / "《测试简报》2026年第12期-v2.pdf").read_bytes() == current
    # A kept PDF gone from the output cannot be made again from the corrected one: it is reported, not linked.
    (kept / "《测试简报》2026年第12期-v2.pdf").unlink()
    report = build(options_for(project, force=True))
    assert not (kept / "《测试简报》2026年第12期-v2.pdf").exists()
    assert report.lost_versions == {"2026-12": (2,)}
    page = parse_html(kept / "index.html")
    assert [a.get("href") for a in page.iter("a") if a.get("class") == "version-link"] == [quote(versions[0])]


@pytest.mark.parametrize(
    ("yaml", "bulletin", "expected"),
    [
        (
            CORRECTION.replace("01-a.md", "03-c.md"),
            "",
            "corrections：本期没有文章“03-c.md”（本期文章：01-a.md、02-b.md）",
        ),
        (
            CORRECTION.replace("2026-03-20", "2026-02-20"),
            "",
            "corrections：更正日期 2026-02-20 早于本期日期 2026-03-02",
        ),
        ("", 'pdf_name: "{title}第{issue}期"\n', "pdf_name：“{issue}” 用不了（可用：{title}、{year}、{month}、"),
        ("", 'pdf_name: "{title}/{number}"\n', "pdf_name：“{title}/{number}”给出的文件名里有不能用于文件名的字符 /"),
        (
            "title: 甲/乙\n",
            'pdf_name: "{title}{number}"\n',
            "pdf_name：“{title}{number}”给出的文件名里有不能用于文件名的字符 /",
        ),
    ],
)
def test_correction_and_pdf_name_mistakes_are_errors(tmp_path: Path, yaml: str, bulletin: str, expected: str) -> None:
    project = make_project(tmp_path, {}, MINIMAL_BULLETIN + bulletin)
    write_issue(project / "content", "2026-12", SIGNED + yaml, ARTICLES)
    with pytest.raises(ContentError) as caught:
        load_content(project / "content")
    assert [p.message[: len(expected)] for p in caught.value.problems] == [expected]
