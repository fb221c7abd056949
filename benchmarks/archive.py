"""A synthetic archive for the benchmark: N issues made from the sample content.

Issues are numbered 1–25 within each year, dated a fortnight apart, with
`total` counting up from 1, so the content checks pass; each issue takes
the sample articles in turn, with the issue number in the title so no two
issues are byte-identical.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PER_YEAR = 25


def sample_articles(content: Path) -> list[tuple[str, Path]]:
    """The sample's article files as text with their issue folder (for images), in a stable order."""
    return [(p.read_text(encoding="utf-8"), p.parent) for p in sorted((content / "issues").glob("*/*.md"))]


def make_archive(target: Path, count: int, source: Path = ROOT) -> Path:
    """Write a project (content/, layouts/) with `count` issues into `target`; return it."""
    if target.exists():
        shutil.rmtree(target)
    content = target / "content"
    (content / "issues").mkdir(parents=True)
    shutil.copy2(source / "content" / "bulletin.yaml", content / "bulletin.yaml")
    shutil.copytree(source / "layouts", target / "layouts")
    articles = sample_articles(source / "content")
    first_year = 2026 - (count + PER_YEAR - 1) // PER_YEAR
    for index in range(count):
        year, number = first_year + index // PER_YEAR, index % PER_YEAR + 1
        folder = content / "issues" / f"{year}-{number:02d}"
        folder.mkdir()
        date = dt.date(year, 1, 5) + dt.timedelta(days=14 * (number - 1))
        (folder / "issue.yaml").write_text(f"number: {number}\ntotal: {index + 1}\ndate: {date}\n", encoding="utf-8")
        text, origin = articles[index % len(articles)]
        text = text.replace("\ntitle: ", f"\ntitle: （{year}-{number}）", 1)
        (folder / "01-article.md").write_text(text, encoding="utf-8")
        if (origin / "images").is_dir():
            shutil.copytree(origin / "images", folder / "images")
    return target


def article_of(project: Path, issue_id: str) -> Path:
    """The article file of one synthetic issue (what the benchmark edits)."""
    return project / "content" / "issues" / issue_id / "01-article.md"
