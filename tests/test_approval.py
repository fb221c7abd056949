"""Approval (issue 25, requirement 1): status 草稿 → 送审 → 签发 in issue.yaml, `approve`, and what each status
builds: a 送审稿 mark on the PDF and the page, the 签发 record in the PDF's document info and the page source,
and only published issues in the archive, the feed and the search index."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pdfplumber
import pytest

from jianbao.cli import main
from jianbao.commands.approve import approved_text
from jianbao.errors import ContentError, Problem, UsageError
from jianbao.markup import load_content
from jianbao.recipe import build
from tests.conftest import options_for
from tests.test_site import indexed_pages
from tests.workflow import make_project

SIGNED = "number: 1\ntotal: 1\ndate: 2026-03-02\nstatus: 签发\n签发人: 王建国\n签发日期: 2026-03-01\n"
IN_REVIEW = "number: 2\ntotal: 2\ndate: 2026-03-16\nstatus: 送审\n"


def problems_of(content: Path) -> list[Problem]:
    try:
        return load_content(content)[1]
    except ContentError as exc:
        return exc.problems


def test_status_signer_and_date_are_read_from_issue_yaml(tmp_path: Path) -> None:
    project = make_project(tmp_path, {"2026-01": SIGNED, "2026-02": IN_REVIEW})
    site, warnings = load_content(project / "content")
    signed, review = site.issues
    assert (signed.status, signed.approval.signer, signed.approval.date) == ("签发", "王建国", dt.date(2026, 3, 1))
    assert signed.publishable and not signed.in_review
    assert review.in_review and not review.publishable and not review.draft
    assert warnings == []


@pytest.mark.parametrize(
    ("yaml", "expected"),
    [
        ("status: 签发\n", (4, "status：签发须写明签发人（签发人: 姓名），或运行 ")),
        ("status: 已签\n", (4, "status（状态）：“已签” 不是可用的值（应为 草稿, 送审, 签发）")),
        ("draft: true\nstatus: 签发\n签发人: 王建国\n", (4, "draft：draft: true（草稿）与 status: 签发 矛盾")),
        ("签发日期: 2026-13-01\n", (4, "签发日期：“2026-13-01” 不是有效日期")),
    ],
)
def test_approval_mistakes_are_errors_at_their_line(tmp_path: Path, yaml: str, expected: tuple[int, str]) -> None:
    project = make_project(tmp_path, {"2026-01": "number: 1\ntotal: 1\ndate: 2026-03-02\n" + yaml})
    errors = [p for p in problems_of(project / "content") if p.severity == "error"]
    assert [(p.line, p.message[: len(expected[1])]) for p in errors] == [expected]


def test_a_signer_without_sign_off_is_a_warning(tmp_path: Path) -> None:
    project = make_project(
        tmp_path, {"2026-01": "number: 1\ntotal: 1\ndate: 2026-03-02\nstatus: 送审\n签发人: 王建国\n"}
    )
    (warning,) = problems_of(project / "content")
    assert (warning.line, warning.message) == (5, "签发人：本期状态为送审，还没有签发；签发时写 status: 签发")


def test_after_the_first_approval_an_issue_without_status_is_unsigned(tmp_path: Path) -> None:
    # Issues from before approval was used stay published; a later one without a status is not signed off.
    old = "number: 1\ntotal: 1\ndate: 2026-01-05\n"
    later = "number: 3\ntotal: 3\ndate: 2026-02-02\n"
    signed = "number: 2\ntotal: 2\ndate: 2026-01-19\nstatus: 签发\n签发人: 王建国\n"
    project = make_project(tmp_path, {"2026-01": old, "2026-02": signed, "2026-03": later})
    site, warnings = load_content(project / "content")
    assert [(i.id, i.status, i.publishable) for i in site.issues] == [
        ("2026-01", "", True),
        ("2026-02", "签发", True),
        ("2026-03", "送审", False),
    ]
    (warning,) = warnings
    assert warning.path.endswith("2026-03/issue.yaml")
    assert warning.message.startswith("本刊从 2026-02 起签发后才发布，本期没有写 status：按送审稿生成，不会发布")
    # An archive that never uses approval publishes as before.
    legacy = make_project(tmp_path / "legacy", {"2026-01": old, "2026-03": later})
    assert all(i.publishable for i in load_content(legacy / "content")[0].issues)


ISSUE_YAML = """\
# 第12期（总第86期）。期号由 jianbao new 算出，发布后请勿再改。
number: 12   # 第12期
total: 86
date: 2026-03-02
draft: true
toc: false   # 只有一篇
"""


def test_approve_edits_only_its_keys_and_keeps_comments_and_order() -> None:
    text = approved_text(ISSUE_YAML, "王建国", dt.date(2026, 3, 1))
    assert text == ISSUE_YAML.replace("draft: true\n", "") + "status: 签发\n签发人: 王建国\n签发日期: 2026-03-01\n"
    again = approved_text(text.replace("签发", "送审", 1).replace("签发人: 王建国\n", ""), "李 四", dt.date(2026, 3, 5))
    assert "status: 签发\n" in again and "签发人: 李 四\n" in again and "签发日期: 2026-03-05\n" in again
    # A value that needs quoting is quoted; one a line edit cannot place safely is refused, the file left alone.
    assert 'status: 签发  # 状态\n签发人: "王: 主任"\n' in approved_text(
        "number: 1\ntotal: 1\ndate: 2026-03-02\nstatus: 送审  # 状态\n", "王: 主任", dt.date(2026, 3, 1)
    )
    with pytest.raises(UsageError, match=r"issue\.yaml 的写法无法自动修改"):
        approved_text("{number: 1, total: 1, date: 2026-03-02}\n", "王建国", dt.date(2026, 3, 1))


def test_approve_command_signs_off_and_refuses_template_text(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    project = make_project(tmp_path, {"2026-12": "number: 12\ntotal: 86\ndate: 2026-03-02\nstatus: 送审\n"})
    content = str(project / "content")
    assert main(["approve", "2026-12", "--by", "王建国", "--date", "2026-03-01", "--content", content]) == 0
    said = capsys.readouterr().out
    assert "已签发 2026-12（送审 → 签发，签发人 王建国，2026-03-01）" in said and "下一步：" in said
    issue = load_content(project / "content")[0].issues[0]
    assert (issue.status, issue.approval.signer, issue.approval.date) == ("签发", "王建国", dt.date(2026, 3, 1))
    # Template text is never signed off: the file and line are named, issue.yaml stays as it was.
    article = project / "content/issues/2026-12/01-a.md"
    article.write_text("---\ntitle: 文章标题（请修改）\n---\n\n正文。\n", encoding="utf-8")
    yaml = project / "content/issues/2026-12/issue.yaml"
    yaml.write_text("number: 12\ntotal: 86\ndate: 2026-03-02\nstatus: 送审\n", encoding="utf-8")
    assert main(["approve", "2026-12", "--by", "王建国", "--content", content]) == 1
    assert "01-a.md:2: 模板文字“文章标题（请修改）”还没有替换成正文" in capsys.readouterr().err
    assert "签发" not in yaml.read_text(encoding="utf-8")


# --- what each status builds ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def approvals(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A signed-off issue and a 送审 one, built."""
    project = make_project(tmp_path_factory.mktemp("approval"), {"2026-01": SIGNED, "2026-02": IN_REVIEW})
    build(options_for(project))
    return project


@pytest.mark.slow
def test_a_review_copy_is_marked_on_every_page_and_on_its_web_page(approvals: Path) -> None:
    output = approvals / "output"
    with pdfplumber.open(output / "2026-02/2026-02.pdf") as pdf:
        for page in pdf.pages:
            marks = [c for c in page.chars if c["text"] in "送审稿" and c["size"] > 60]
            assert "".join(c["text"] for c in marks) == "送审稿", page.page_number
    with pdfplumber.open(output / "2026-01/2026-01.pdf") as pdf:
        assert all(c["size"] < 60 for page in pdf.pages for c in page.chars if c["text"] == "送")
    page = (output / "2026-02/index.html").read_text(encoding="utf-8")
    assert '<div class="draft-mark review-mark" aria-hidden="true">送审稿</div>' in page
    assert "送审稿：本期尚未签发，不会发布。" in page and '<meta name="status" content="送审">' in page


@pytest.mark.slow
def test_sign_off_is_recorded_in_the_pdf_and_the_page_source(approvals: Path) -> None:
    with pdfplumber.open(approvals / "output/2026-01/2026-01.pdf") as pdf:
        info = pdf.metadata
    assert (info["approver"], info["approved"], info["status"]) == ("王建国", "2026-03-01", "签发")
    page = (approvals / "output/2026-01/index.html").read_text(encoding="utf-8")
    for meta in (
        'name="status" content="签发"',
        'name="approver" content="王建国"',
        'name="approved" content="2026-03-01"',
    ):
        assert f"<meta {meta}>" in page


@pytest.mark.slow
def test_sign_off_is_recorded_in_the_word_edition(approvals: Path) -> None:
    """File → Properties → Custom in Word: the same three entries as the PDF's document info."""
    with zipfile.ZipFile(approvals / "output/2026-01/2026-01.docx") as edition:
        root = ElementTree.fromstring(edition.read("docProps/custom.xml"))
    values = {prop.get("name"): "".join(prop.itertext()) for prop in root}
    assert (values["approver"], values["approved"], values["status"]) == ("王建国", "2026-03-01", "签发")


@pytest.mark.slow
def test_only_signed_issues_reach_the_archive_feed_and_search(approvals: Path) -> None:
    output = approvals / "output"
    archive = (output / "index.html").read_text(encoding="utf-8")
    feed = (output / "feed.xml").read_text(encoding="utf-8")
    assert "2026-01/index.html" in archive and "2026-02" not in archive
    assert "2026-01/index.html" in feed and "2026-02" not in feed
    assert indexed_pages(output) == {"2026": 1}
    assert "2026-02" not in (output / "2026-01/index.html").read_text(encoding="utf-8")  # no "next issue" link
