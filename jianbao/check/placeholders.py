"""Loaded issues (and bulletin.yaml) → a problem at every line still holding a placeholder `new` or `init` wrote.

The placeholders are the ones jianbao/scaffold.py writes: a line left as the
template had it. `check` and `build` report them as warnings; `publish` and
`approve` as errors, since template text must never reach the intranet.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from jianbao.errors import Problem, Severity, display_path
from jianbao.load.problems import Problems
from jianbao.load.reading import read_text
from jianbao.model import Issue
from jianbao.scaffold import ARTICLE_PLACEHOLDERS, BULLETIN_PLACEHOLDERS, TITLE_PLACEHOLDER

_LINE_PREFIX = re.compile(r"^(?:title:\s*|#{1,6}\s+)")  # a front matter title or a Markdown heading
_COMMENT = re.compile(r"\s+#.*$")


def article_placeholder(line: str) -> str:
    """The placeholder text `line` holds ("" when none): a template line left as `new` wrote it."""
    text = _LINE_PREFIX.sub("", line.strip())
    if text in ARTICLE_PLACEHOLDERS or TITLE_PLACEHOLDER in line:
        return text
    return ""


def placeholder_problems(issues: Iterable[Issue], severity: Severity = "warning") -> list[Problem]:
    """A problem at each line of the issues' articles that still holds template text."""
    found = []
    for issue in issues:
        for article in issue.articles:
            path = article.source_path
            text = read_text(path, display_path(path), Problems(root=issue.folder))
            for number, line in enumerate((text or "").split("\n"), 1):
                if placeholder := article_placeholder(line):
                    message = f"模板文字“{placeholder}”还没有替换成正文（或删去），不能发布"
                    found.append(Problem(display_path(path), number, message, severity))
    return found


def bulletin_placeholder_problems(content: Path, severity: Severity = "warning") -> list[Problem]:
    """A problem at each line of bulletin.yaml that `init` wrote with a value to replace, left unchanged."""
    path = content / "bulletin.yaml"
    text = read_text(path, display_path(path), Problems(root=content)) or ""
    found = []
    for number, line in enumerate(text.split("\n"), 1):
        if _COMMENT.sub("", line).rstrip() in BULLETIN_PLACEHOLDERS:
            value = line.split(":", 1)[-1].split("#")[0].strip(' -"[]')
            message = f"“{value}”是 init 写的示例，请换成本单位的（会印在报头或报尾上）"
            found.append(Problem(display_path(path), number, message, severity))
    return found
