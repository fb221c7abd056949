"""`publish DEST` copies the built site without the build cache, replaces what it published before, refuses a
foreign file where the site needs its path; a build of some issues into a fresh folder links only to what
the folder holds. (What publish keeps of a shared folder: tests/test_publish_shared.py.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import MINIMAL_ARTICLE, MINIMAL_BULLETIN
from tests.test_cli import run


def fake_site(project: Path) -> Path:
    """An output folder as a build leaves it (with the issue's content beside it: publish reads its status)."""
    issue = project / "content/issues/2025-08"
    issue.mkdir(parents=True)
    (project / "content/bulletin.yaml").write_text(MINIMAL_BULLETIN, encoding="utf-8")
    (issue / "issue.yaml").write_text("number: 8\ntotal: 8\ndate: 2025-08-01\n", encoding="utf-8")
    (issue / "01-a.md").write_text(MINIMAL_ARTICLE, encoding="utf-8")
    output = project / "output"
    for name, text in {
        "index.html": "目录",
        "2025-08/index.html": "第8期",
        "2025-08/2025-08.pdf": "%PDF",
        "pagefind/pagefind.js": "js",
        ".jianbao-cache.json": "{}",
        "2025-08/.index.html.tmp": "half",
    }.items():
        (output / name).parent.mkdir(parents=True, exist_ok=True)
        (output / name).write_text(text, encoding="utf-8")
    return output


def test_publish_copies_the_site_without_the_build_cache(tmp_path: Path) -> None:
    fake_site(tmp_path)
    result = run(tmp_path, "publish", str(tmp_path / "www"))
    assert result.returncode == 0, result.stderr
    assert "已发布 4 个文件到" in result.stdout
    www = tmp_path / "www"
    published = sorted(p.relative_to(www).as_posix() for p in www.rglob("*") if p.is_file())
    assert published == [
        ".jianbao-published",
        "2025-08/2025-08.pdf",
        "2025-08/index.html",
        "index.html",
        "pagefind/pagefind.js",
    ]
    # Publishing again replaces the site: a page gone from the output is gone from DEST, nothing left beside it.
    (tmp_path / "output/2025-08/2025-08.pdf").unlink()
    again = run(tmp_path, "publish", "www")
    assert again.returncode == 0 and "删除了 1 个已不在网站中的旧文件" in again.stdout
    assert not (www / "2025-08/2025-08.pdf").exists() and (www / "index.html").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "output", "www"]
    assert sorted(p.name for p in www.iterdir()) == [".jianbao-published", "2025-08", "index.html", "pagefind"]


def test_publish_refuses_only_a_foreign_file_on_its_own_path(tmp_path: Path) -> None:
    fake_site(tmp_path)
    www = tmp_path / "www"
    www.mkdir()
    (www / "其他系统.html").write_text("别人的", encoding="utf-8")
    (www / "index.html").write_text("别人的首页", encoding="utf-8")
    result = run(tmp_path, "publish", "www")
    assert result.returncode == 2
    assert "www 里的 index.html 不是 jianbao 发布的，而网站要用这些位置，不会覆盖" in result.stderr
    assert (www / "index.html").read_text(encoding="utf-8") == "别人的首页"
    assert sorted(p.name for p in www.iterdir()) == ["index.html", "其他系统.html"]  # nothing written
    (www / "index.html").unlink()
    assert run(tmp_path, "publish", "www").returncode == 0
    assert (www / "其他系统.html").read_text(encoding="utf-8") == "别人的"
    nothing = run(tmp_path, "publish", "www", "--output", "空")
    assert nothing.returncode == 2 and "里还没有生成好的网站，请先运行 " in nothing.stderr


@pytest.mark.slow
def test_one_issue_into_a_fresh_folder_links_only_what_it_holds(project: Path) -> None:
    result = run(project, "build", "2025-08", "--output", "新文件夹", "-q")
    assert result.returncode == 0, result.stderr
    site = project / "新文件夹"
    for page in ("index.html", "feed.xml", "2025-08/index.html"):
        text = (site / page).read_text(encoding="utf-8")
        assert "2025-07/" not in text and "2025-09/" not in text, page
    run(project, "build", "2025-07", "--output", "新文件夹", "-q")
    archive = (site / "index.html").read_text(encoding="utf-8")
    assert "2025-07/index.html" in archive and "2025-08/index.html" in archive and "2025-09/" not in archive
