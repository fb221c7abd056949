"""The problems one run finds: collected while loading, raised together at the end."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from jianbao.errors import Problem
from jianbao.model import Article


@dataclass
class Problems:
    """Collects problems while loading; raises them all at the end."""

    strict: bool = False
    items: list[Problem] = field(default_factory=list)
    root: Path | None = None  # files read must lie inside (symlinks followed)
    # Each article read without an error, with the lint rules its issue and front matter silence: `check`
    # lints them beside the errors of a run that failed (the same articles `build` would have read).
    loaded: list[tuple[Article, frozenset[str]]] = field(default_factory=list)

    def error(self, path: str, line: int, message: str) -> None:
        self.items.append(Problem(path, line, message))

    def warn(self, path: str, line: int, message: str) -> None:
        self.items.append(Problem(path, line, message, "error" if self.strict else "warning"))

    @property
    def has_errors(self) -> bool:
        return any(p.severity == "error" for p in self.items)

    @property
    def warnings(self) -> list[Problem]:
        return sorted(p for p in self.items if p.severity == "warning")
