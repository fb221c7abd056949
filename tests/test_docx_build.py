"""The Word edition in the build: made beside each PDF and recorded in the manifest, linked from the issue
page and the feed, carried by `publish`; `--no-docx` leaves it out; a failed Word edition is reported like
a failed PDF (exit 1) while the PDF and the page are made, and nothing half-written is left."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from jianbao.write.manifest import manifest_path
from tests.test_cli import run

pytestmark = pytest.mark.slow
ISSUE = "2025-08"


def test_the_word_edition_is_built_recorded_and_linked(sample_build: Path) -> None:
    output = sample_build / "output"
    manifest = json.loads(manifest_path(output).read_text(encoding="utf-8"))
    for issue_id in ("2025-07", "2025-08", "2025-09"):
        assert f"{issue_id}/{issue_id}.docx" in manifest["units"][issue_id]["files"]
        page = (output / issue_id / "index.html").read_text(encoding="utf-8")
        assert f'<a class="word-link" href="{issue_id}.docx"' in page and ">Word 版</a>" in page
    feed = (output / "feed.xml").read_text(encoding="utf-8")
    assert feed.count('type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"') == 3


def test_no_docx_builds_pdf_and_page_only(project: Path) -> None:
    result = run(project, "build", ISSUE, "--no-docx")
    assert result.returncode == 0, result.stderr
    folder = project / "output" / ISSUE
    assert (folder / f"{ISSUE}.pdf").is_file() and not (folder / f"{ISSUE}.docx").exists()
    assert "Word 版" not in (folder / "index.html").read_text(encoding="utf-8")


def test_a_failed_word_edition_is_reported_and_the_pdf_and_page_stand(project: Path) -> None:
    styles = project / "layouts/word/styles.xml"
    good = styles.read_text(encoding="utf-8")
    styles.write_text(good.replace("<w:docDefaults>", "{% if %}<w:docDefaults>", 1), encoding="utf-8")
    failed = run(project, "build", ISSUE)
    assert failed.returncode == 1
    assert f"错误：{ISSUE} 的 Word 版生成失败（PDF 已生成）：layouts/word/styles.xml:" in failed.stderr
    assert "1 期的 Word 版生成失败（上次的 Word 版保持不变），PDF 和网页已生成。" in failed.stderr
    folder = project / "output" / ISSUE
    assert (folder / f"{ISSUE}.pdf").is_file() and (folder / "index.html").is_file()
    assert not list(folder.glob("*.docx"))  # nothing half-written
    styles.write_text(good, encoding="utf-8")  # put right: the next build makes the edition
    fixed = run(project, "build", ISSUE)
    assert fixed.returncode == 0, fixed.stderr
    assert (folder / f"{ISSUE}.docx").is_file()


def test_publish_carries_the_word_edition(sample_build: Path, tmp_path: Path) -> None:
    result = run(sample_build, "publish", str(tmp_path / "www"))
    assert result.returncode == 0, result.stderr
    docx = tmp_path / "www" / ISSUE / f"{ISSUE}.docx"
    assert docx.read_bytes() == (sample_build / "output" / ISSUE / f"{ISSUE}.docx").read_bytes()


def test_layouts_without_word_templates_build_pdf_and_page_with_a_notice(project: Path) -> None:
    """A project whose layouts/ predate the Word edition: told once, not failed for every issue."""
    shutil.rmtree(project / "layouts/word")
    result = run(project, "build", ISSUE)
    assert result.returncode == 0, result.stderr
    assert "提示：版式文件夹里没有 word/（Word 版的版式），未生成 Word 版" in result.stderr
    folder = project / "output" / ISSUE
    assert (folder / f"{ISSUE}.pdf").is_file() and not list(folder.glob("*.docx"))
    assert "Word 版" not in (folder / "index.html").read_text(encoding="utf-8")
