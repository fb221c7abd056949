"""Findings of one file → the safe fixes applied, shown as a diff, written atomically."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from jianbao.check.rules import Finding
from jianbao.errors import Problem, display_path
from jianbao.files import write_atomic


@dataclass
class FileReport:
    """Findings for one file, with its text so fixes can be applied."""

    path: Path
    text: str
    ignore: frozenset[str]
    findings: list[Finding] = field(default_factory=list)

    def problems(self, strict: bool) -> list[Problem]:
        """The findings not silenced, as warnings (errors under --strict)."""
        severity = "error" if strict else "warning"
        return [
            Problem(display_path(self.path), f.line, f"{f.message} [{f.rule}]", severity)  # type: ignore[arg-type]
            for f in self.findings
            if f.rule not in self.ignore
        ]

    def fixed_text(self) -> str:
        """The text with every safe, non-silenced edit applied."""
        lines = self.text.split("\n")
        edits = sorted(
            {e for f in self.findings if f.rule not in self.ignore for e in f.edits},
            key=lambda e: (e.line, e.column),
            reverse=True,
        )
        last: tuple[int, int] | None = None
        for edit in edits:
            if last and edit.line == last[0] and edit.column + edit.length > last[1]:
                continue  # overlaps an edit already applied
            row = lines[edit.line - 1]
            lines[edit.line - 1] = row[: edit.column] + edit.text + row[edit.column + edit.length :]
            last = (edit.line, edit.column)
        return "\n".join(lines)


def fix_repeatedly(report: FileReport, lint: Callable[[str], list[Finding]], passes: int = 5) -> str:
    """The text with every safe fix applied, re-checked with `lint` until nothing more can be fixed (one
    run fixes what a fix reveals, e.g. `,,` that becomes `，，`)."""
    text = report.fixed_text()
    for _ in range(passes - 1):
        again = FileReport(report.path, text, report.ignore, lint(text)).fixed_text()
        if again == text:
            break
        text = again
    return text


def fix_diff(
    reports: Iterable[FileReport], lint_article: Callable[[str], list[Finding]]
) -> tuple[str, list[tuple[Path, str]]]:
    """The unified diff of every safe fix, and the new texts to write (articles re-checked with `lint_article`)."""
    diff: list[str] = []
    changes: list[tuple[Path, str]] = []
    for report in reports:
        fixed = fix_repeatedly(report, lint_article) if report.path.suffix.lower() == ".md" else report.fixed_text()
        if fixed != report.text:
            shown = display_path(report.path)
            diff += difflib.unified_diff(
                report.text.splitlines(keepends=True), fixed.splitlines(keepends=True), shown, shown
            )
            changes.append((report.path, fixed))
    return "".join(diff), changes


def apply_fixes(changes: Iterable[tuple[Path, str]]) -> int:
    """Write the fixed texts (atomically, as UTF-8); count the files changed."""
    return sum(write_atomic(path, text.encode("utf-8")) for path, text in changes)
