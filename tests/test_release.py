"""What `publish` may publish (issue 25, requirements 1 and 5): signed-off issues only, never from an output
folder holding drafts, never a page built before its status changed, never template text."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from jianbao.cli import main
from jianbao.recipe import build
from tests.conftest import options_for
from tests.test_approval import IN_REVIEW, SIGNED
from tests.workflow import make_project

pytestmark = pytest.mark.slow  # builds PDFs


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A signed-off issue 2026-01 and a 送审 one 2026-02, built into output/."""
    project = make_project(tmp_path_factory.mktemp("release"), {"2026-01": SIGNED, "2026-02": IN_REVIEW})
    build(options_for(project))
    return project


@pytest.fixture
def project(built: Path, tmp_path: Path) -> Path:
    """A writable copy of the built project."""
    shutil.copytree(built, tmp_path / "p", symlinks=True)
    return tmp_path / "p"


def publish(project: Path, *extra: str) -> int:
    args = ["publish", str(project / "www"), "--content", str(project / "content")]
    return main([*args, "--output", str(project / "output"), "--layouts", str(project / "layouts"), *extra])


def published(project: Path) -> list[str]:
    return sorted(p.relative_to(project / "www").as_posix() for p in (project / "www").glob("20*/*"))


def test_publish_leaves_review_copies_behind_and_names_them(project: Path, capsys: pytest.CaptureFixture) -> None:
    assert (project / "output/2026-02/2026-02.pdf").is_file()  # built for the person who signs it off
    assert publish(project) == 0
    said = capsys.readouterr()
    assert "（1 期，不含生成缓存）" in said.out
    assert "未发布：2026-02（送审稿，尚未签发；签发后重新生成再发布：" in said.err
    assert published(project) == [
        "2026-01/2026-01.ofd",
        "2026-01/2026-01.pdf",
        "2026-01/cover.png",
        "2026-01/index.html",
    ]


def test_a_page_built_before_sign_off_is_refused(project: Path, capsys: pytest.CaptureFixture) -> None:
    # Signed off but not rebuilt: the 送审稿 mark would reach the intranet.
    assert main(["approve", "2026-02", "--by", "王建国", "--content", str(project / "content")]) == 0
    capsys.readouterr()
    assert publish(project) == 2
    assert "2026-02 现在是“签发”，输出文件夹里的却是按“送审”生成的；请先运行 " in capsys.readouterr().err
    assert not (project / "www").exists()
    build(options_for(project))
    assert publish(project) == 0
    assert "2026-02/2026-02.pdf" in published(project)


def test_an_output_folder_holding_a_draft_is_never_published(project: Path, capsys: pytest.CaptureFixture) -> None:
    yaml = project / "content/issues/2026-02/issue.yaml"
    yaml.write_text(IN_REVIEW.replace("送审", "草稿"), encoding="utf-8")
    build(options_for(project, drafts=True))  # a preview built into output/ on purpose
    assert publish(project) == 2
    assert "里有草稿 2026-02（预览时生成的），不从含草稿的文件夹发布；请先运行 " in capsys.readouterr().err
    assert not (project / "www").exists()
    build(options_for(project))  # the published build takes the draft out again
    assert publish(project) == 0 and not any(name.startswith("2026-02") for name in published(project))


def test_template_text_is_an_error_for_publish(project: Path, capsys: pytest.CaptureFixture) -> None:
    article = project / "content/issues/2026-01/02-b.md"
    article.write_text("---\ntitle: 文章标题（请修改）\n---\n\n正文第一段。段落之间空一行。\n", encoding="utf-8")
    build(options_for(project))
    assert publish(project) == 1
    err = capsys.readouterr().err
    assert "content/issues/2026-01/02-b.md:2: 模板文字“文章标题（请修改）”还没有替换成正文（或删去），不能发布" in err
    assert "02-b.md:5: 模板文字“正文第一段。段落之间空一行。”" in err
    assert not (project / "www").exists()
