"""Fitting the issue (issue 25, requirement 4): `check` lays out the issues being prepared and reports the page
count, blank stretches over six lines, a page count folding does not take, a `target_pages:` exceeded — each
with what to shorten; `build` warns the same. Template text is a warning there (requirement 5)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from jianbao.check.fit import PageFit, fit_messages, lines_to_cut
from jianbao.check.placeholders import placeholder_problems
from jianbao.commands.new import NextIssue, create_issue
from jianbao.markup import load_content
from jianbao.pdf.printed import ShortPage
from tests.test_cli import run
from tests.workflow import make_project


def issue_with(tmp_path: Path, settings: str) -> object:
    project = make_project(tmp_path, {"2026-01": "number: 1\ntotal: 1\ndate: 2026-03-02\n" + settings})
    return load_content(project / "content")[0].issues[0]


def test_target_pages_and_folding_say_how_much_to_cut(tmp_path: Path) -> None:
    issue = issue_with(tmp_path, "target_pages: 4\npages_per_sheet: 4\n")
    # five pages: the fifth holds 9 lines (text and 报尾); pages 1–4 have 1, 0, 2 and 1 lines to spare
    fit = PageFit(5, (1, 0, 2, 1, 13))
    assert lines_to_cut(fit, 4) == 5
    assert fit_messages(issue, fit) == [  # type: ignore[arg-type]
        "共 5 页，超过 target_pages 的 4 页：要排进 4 页，需删减约 5 行（约 140 字）",
        "共 5 页，对折装订（pages_per_sheet: 4）最好是 4 的倍数："
        "删减约 5 行（约 140 字）可排成 4 页，否则会有 3 页空白",
    ]
    assert fit_messages(issue, PageFit(4, (1, 0, 2, 8))) == []  # type: ignore[arg-type]


def test_a_blank_stretch_says_what_to_shrink(tmp_path: Path) -> None:
    issue = issue_with(tmp_path, "")
    figure = ShortPage(2, 9, "图排不下，移到下一页", "figure")
    short = ShortPage(3, 2, "段落在页末、页首各至少留两行", "paragraph")
    fit = PageFit(4, (0, 9, 2, 10), (figure, short))
    assert fit_messages(issue, fit) == [  # type: ignore[arg-type]
        "第 2 页末尾空 9 行（图排不下，移到下一页）："
        "把下一页开头的图缩小到 8 行高以内（如 {width=60%}），或把图后的文字移到图前"
    ]
    # the room a figure could not use does not count as room to cut into
    assert lines_to_cut(fit, 3) == 12 - 0


def test_check_names_every_line_of_template_text_new_wrote(tmp_path: Path) -> None:
    project = make_project(tmp_path, {})
    create_issue(project / "content", NextIssue("2026-12", 12, 86, dt.date(2026, 3, 2)))
    issue = load_content(project / "content")[0].issues[0]
    found = [(p.line, p.severity) for p in placeholder_problems([issue])]
    assert found == [(2, "warning"), (9, "warning"), (11, "warning"), (13, "warning"), (15, "warning"), (17, "warning")]
    assert all(p.path.endswith("2026-12/01-article.md") for p in placeholder_problems([issue], "error"))


@pytest.mark.slow
def test_check_and_build_report_how_an_issue_fits(tmp_path: Path) -> None:
    long_text = "全市推进老旧小区改造，三年累计开工四百余个，惠及居民十余万户，居民满意度持续提升。" * 12
    article = "---\ntitle: 城市更新的进展\n---\n\n" + "\n\n".join([long_text] * 3) + "\n"
    draft = "number: 1\ntotal: 1\ndate: 2026-03-02\nstatus: 送审\ntarget_pages: 1\n"
    project = make_project(tmp_path, {"2026-01": draft})
    (project / "content/issues/2026-01/01-a.md").write_text(article, encoding="utf-8")
    checked = run(project, "check")
    assert checked.returncode == 0, checked.stderr
    pages = int(re.search(r"排版：2026-01 共 (\d+) 页", checked.stdout)[1])  # type: ignore[index]
    assert pages > 1
    warning = f"2026-01/issue.yaml: 警告：排版：共 {pages} 页，超过 target_pages 的 1 页：要排进 1 页，需删减约"
    assert warning in checked.stderr
    strict = run(project, "check", "--strict", "-q")
    assert strict.returncode == 1 and "超过 target_pages 的 1 页" in strict.stderr
    built = run(project, "build")
    assert built.returncode == 0, built.stderr
    assert f"排版：2026-01 共 {pages} 页" in built.stdout and warning in built.stderr
    assert "送审稿：output/2026-01/2026-01.pdf（带“送审稿”标记；签发后才会发布）" in built.stdout
