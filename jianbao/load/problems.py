"""The problems one run finds: collected while loading, raised together at the end."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from jianbao.errors import Problem


@dataclass
class Problems:
    """Collects problems while loading; raises them all at the end."""

    strict: bool = False
    items: list[Problem] = field(default_factory=list)
    root: Path | None = None  # files read must lie inside (symlinks followed)

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
