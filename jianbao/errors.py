"""One small exception hierarchy; every message reaches the user as one line.

A `Problem` is one finding about the content (file, line, message). Loading
collects all of them; `ContentError` carries them out of a run together.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """One finding about the content, located at a file and line."""

    path: str
    line: int
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        label = "" if self.severity == "error" else "警告："
        return f"{where}: {label}{self.message}"


class JianbaoError(Exception):
    """Base of every error jianbao expects; its text is shown to the user."""


class UsageError(JianbaoError):
    """The command line or the environment is wrong (exit code 2)."""


class ContentError(JianbaoError):
    """The content has problems; nothing was written."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class BuildError(JianbaoError):
    """Rendering or writing failed for a reason outside the content."""


def display_path(path: Path, root: Path | None = None) -> str:
    """Show a path relative to the working directory when possible."""
    base = root or Path.cwd()
    try:
        return str(path.resolve().relative_to(base.resolve()))
    except ValueError:
        return str(path)


def missing_content(content: Path) -> str:
    """What to say when the content folder is not there: where we looked, and how to run from elsewhere."""
    return (
        f"找不到内容文件夹 {content.absolute()}。请在刊物的项目文件夹里运行 python build.py，"
        f"或用 --content 指定内容文件夹（如 --content /路径/content）"
    )
