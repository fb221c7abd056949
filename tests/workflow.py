"""Small projects for the office workflow tests: a bulletin and issues written from text, with the default layouts."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import MINIMAL_BULLETIN, ROOT

ARTICLE = """\
---
title: {title}
---

{text}

## 主要做法

{text}
"""
BODY = "全市推进老旧小区改造，三年累计开工四百余个，惠及居民十余万户，居民满意度持续提升。"


def write_issue(content: Path, issue_id: str, yaml: str, articles: dict[str, str] | None = None) -> Path:
    """content/issues/<id>/ with `yaml` as issue.yaml and the articles (file name → text; default: one)."""
    folder = content / "issues" / issue_id
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "issue.yaml").write_text(yaml, encoding="utf-8")
    for name, text in (articles or {"01-a.md": ARTICLE.format(title=f"{issue_id} 的文章", text=BODY)}).items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def make_project(root: Path, issues: dict[str, str], bulletin: str = MINIMAL_BULLETIN) -> Path:
    """A project in `root`: bulletin.yaml, one issue per (id → issue.yaml text), the default layouts."""
    content = root / "content"
    content.mkdir(parents=True)
    (content / "bulletin.yaml").write_text(bulletin, encoding="utf-8")
    for issue_id, yaml in issues.items():
        write_issue(content, issue_id, yaml)
    shutil.copytree(ROOT / "layouts", root / "layouts")
    return root
