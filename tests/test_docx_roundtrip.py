"""The round trip of issue 23: `import output/<id>/<id>.docx` gives back the source articles — the same
files, the same front matter, the same article once rendered (headings, footnotes, tables, pictures and
captions) — and a reviewer's changes made in Word come back with them."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from jianbao.importing.manuscript import import_manuscript
from jianbao.markup import load_content
from jianbao.model import Article
from jianbao.text.spacing import drop_mixed_spaces
from tests.conftest import copy_project
from tests.docxcheck import ISSUE, RICH, edition, write_rich
from tests.test_cli import run

SAMPLES = {"2025-07": "2026-07", "2025-08": "2026-08", "2025-09": "2026-09"}


def as_rendered(article: Article) -> tuple[str, ...]:
    """What an article prints as: its file, front matter and body after the Markdown stage."""
    return (
        article.source_path.name,
        article.title,
        article.subtitle,
        article.author,
        article.note,
        article.source,
        article.body_html,
    )


def new_issue(content: Path, issue_id: str, number: int, total: int, date: str) -> Path:
    folder = content / "issues" / issue_id
    folder.mkdir(parents=True)
    (folder / "issue.yaml").write_text(f"number: {number}\ntotal: {total}\ndate: {date}\n", encoding="utf-8")
    return folder


def test_an_edition_imports_back_to_its_articles(rich: Path, tmp_path: Path) -> None:
    """Two articles: front matter, numbered headings, a note called twice, a table with aligned and
    unaligned columns, a list, a picture with its caption from the alt text, a block quote."""
    source = tmp_path / "edition.docx"
    source.write_bytes(edition(rich))
    target = new_issue(rich / "content", "2025-02", 2, 2, "2025-02-10")
    result = import_manuscript(source, target)
    assert [p.name for p in result.written] == ["chart.png", "01-article.md", "02-second.md"]
    site, _ = load_content(rich / "content")
    before, after = (next(i for i in site.issues if i.id == issue_id) for issue_id in (ISSUE, "2025-02"))
    assert [as_rendered(a) for a in after.articles] == [as_rendered(a) for a in before.articles]
    original = rich / "content/issues" / ISSUE
    assert (target / "images/chart.png").read_bytes() == (original / "images/chart.png").read_bytes()
    assert (target / "02-second.md").read_text(encoding="utf-8") == (original / "02-second.md").read_text(
        encoding="utf-8"
    )


def test_an_edition_never_overwrites_its_articles_unless_one_is_named(rich: Path, tmp_path: Path) -> None:
    """Back into its own issue: refused while the articles are there; `--replace` takes one article out of
    the edition — with what a reviewer changed in Word (a tracked insertion in, a tracked deletion out)."""
    source = tmp_path / "审阅稿.docx"
    reviewed(edition(rich), source)
    folder = rich / "content/issues" / ISSUE
    with pytest.raises(Exception, match=r"本期已有 01-article\.md、02-second\.md；用 --replace"):
        import_manuscript(source, folder)
    before = (folder / "02-second.md").read_text(encoding="utf-8")
    import_manuscript(source, folder, replace="01-article.md")
    text = (folder / "01-article.md").read_text(encoding="utf-8")
    assert "各地积极探索授权运营，成效[^2]" in text and "初显" not in text
    assert (folder / "02-second.md").read_text(encoding="utf-8") == before


def reviewed(data: bytes, target: Path) -> None:
    """The edition as a reviewer returns it: 积极 inserted, 初显 deleted (Word's tracked changes)."""
    with zipfile.ZipFile(io.BytesIO(data)) as original, zipfile.ZipFile(target, "w") as copy:
        for info in original.infolist():
            part = original.read(info)
            if info.filename == "word/document.xml":
                text = part.decode()
                run = '<w:r><w:t xml:space="preserve">。各地探索授权运营，成效初显</w:t></w:r>'
                assert run in text
                who = 'w:author="审阅人" w:date="2025-01-11T00:00:00Z"'
                change = (
                    '<w:r><w:t xml:space="preserve">。各地</w:t></w:r>'
                    f'<w:ins w:id="901" {who}><w:r><w:t>积极</w:t></w:r></w:ins>'
                    '<w:r><w:t xml:space="preserve">探索授权运营，成效</w:t></w:r>'
                    f'<w:del w:id="902" {who}><w:r><w:delText>初显</w:delText></w:r></w:del>'
                )
                part = text.replace(run, change).encode()
            copy.writestr(info, part)


@pytest.fixture
def rich(minimal: Callable[..., Path]) -> Path:
    return write_rich(minimal(article=RICH))


@pytest.mark.slow
def test_the_sample_editions_import_back_to_the_sample_articles(sample_build: Path, tmp_path: Path) -> None:
    """`build.py import output/<id>/<id>.docx` for each sample issue: the same files, the same Markdown (but
    for the spaces between Chinese and digits, which the Markdown stage drops), the same rendered articles."""
    project = copy_project(tmp_path)
    for number, (issue_id, copy_id) in enumerate(SAMPLES.items(), 1):
        new_issue(project / "content", copy_id, number, 145 + number, f"2026-01-{number:02d}")
        source = sample_build / "output" / issue_id / f"{issue_id}.docx"
        result = run(project, "import", str(source), "--issue", copy_id)
        assert result.returncode == 0, result.stderr
        assert f"来自 {issue_id} 期的 Word 版" in result.stdout
    site, _ = load_content(project / "content")
    issues = {issue.id: issue for issue in site.issues}
    for issue_id, copy_id in SAMPLES.items():
        originals, copies = issues[issue_id].articles, issues[copy_id].articles
        assert [as_rendered(a) for a in copies] == [as_rendered(a) for a in originals]
        for original, copy in zip(originals, copies, strict=True):
            written = copy.source_path.read_text(encoding="utf-8")
            assert written == drop_mixed_spaces(original.source_path.read_text(encoding="utf-8"))
    images = project / "content/issues/2026-09/images"
    assert sorted(p.name for p in images.iterdir()) == ["aging-chart.svg"]
    assert (images / "aging-chart.svg").read_bytes() == (
        project / "content/issues/2025-09/images/aging-chart.svg"
    ).read_bytes()


def test_a_forged_edition_writes_only_inside_its_issue(rich: Path, tmp_path: Path) -> None:
    """Article and picture names come from the .docx: a name that leaves the issue folder is not used."""
    forged = tmp_path / "forged.docx"
    with zipfile.ZipFile(io.BytesIO(edition(rich))) as original, zipfile.ZipFile(forged, "w") as copy:
        for info in original.infolist():
            part = original.read(info)
            if info.filename == "docProps/custom.xml":
                part = part.replace(b"01-article.md|02-second.md", b"../../evil.md|.hidden.md")
            if info.filename == "word/document.xml":
                part = part.replace(b'name="images/chart.png"', b'name="images/../../evil.png"')
            copy.writestr(info, part)
    target = new_issue(rich / "content", "2025-02", 2, 2, "2025-02-10")
    result = import_manuscript(forged, target)
    assert sorted(p.relative_to(rich).as_posix() for p in result.written) == [
        "content/issues/2025-02/01-article.md",
        "content/issues/2025-02/02-article.md",
    ]
    assert not list(rich.rglob("evil*")) and not (target / ".hidden.md").exists()
