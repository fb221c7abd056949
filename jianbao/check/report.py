"""The loaded site (or the articles of one that failed to load) + the fonts in use → every `check` finding.

`check` runs `lint_site` after loading; `build` and `serve` show the first few
findings of what they built (`lint_issues`, `warning_lines`); when loading
failed, `lint_loaded` still checks every article the load read without an
error, so one round of corrections fixes both — and nothing loading refused is
ever read.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from jianbao import disk
from jianbao.check.fixes import FileReport
from jianbao.check.glyphs import coverage, missing_glyphs
from jianbao.check.rules import Finding, line_findings, unit_findings
from jianbao.check.units import mask, prose_units
from jianbao.errors import Problem, display_path
from jianbao.invocation import command
from jianbao.load.articles import split_front_matter, take_title
from jianbao.load.problems import Problems
from jianbao.load.reading import read_text
from jianbao.markup.article import convert_markdown
from jianbao.model import Article, Issue, Site
from jianbao.pdf.fonts import FontSetup
from jianbao.pdf.metrics import MEASURE_PT, TITLE_PT, Widths, role_widths
from jianbao.text.breaking import title_advice
from jianbao.tree import Node

TITLE_CAPACITY = MEASURE_PT / TITLE_PT  # an article title's line, in ems of its 22 pt
FRONT_MATTER_TEXT = ("title", "subtitle", "note", "source")  # front matter prose (an author line may hold spaces)
_FRONT_LINE = re.compile(rf"^({'|'.join(FRONT_MATTER_TEXT)}):[ \t]+(?=\S)")


def lint_front_matter(text: str) -> list[Finding]:
    """Half-width punctuation, repeated marks and spaces in the front matter's title, subtitle, note…"""
    front, _, body_line = split_front_matter(text)
    if front is None:
        return []
    findings: list[Finding] = []
    for offset, raw in enumerate(front.split("\n")):
        if match := _FRONT_LINE.match(raw):
            findings += line_findings(2 + offset, match.end(), mask(raw))
    return [f for f in findings if f.line < body_line]


def lint_markdown(body: str, first_line: int, tree: Node | None = None) -> list[Finding]:
    """Every punctuation and spacing finding in a Markdown body, whose prose the tree the build renders
    says (made here when not given)."""
    if tree is None:
        tree = convert_markdown(body, "lint", first_line).tree
    return [finding for unit in prose_units(tree, body, first_line) for finding in unit_findings(unit)]


def lint_article(text: str, tree: Node | None = None) -> list[Finding]:
    """Every text finding of an article file: its front matter's prose and its body (`tree`: the body's tree
    as loaded, when the text is the one loaded)."""
    front, body, body_line = split_front_matter(text)
    findings = lint_front_matter(text)
    if not _has_title_field(front):  # the title is a `# 标题` line: not part of the body, as loading takes it
        title, rest, rest_line = take_title(body, body_line)
        if title:
            number = rest_line - 1
            raw = text.split("\n")[number - 1]
            findings += line_findings(number, raw.index(title[:1]), mask(raw))
            body, body_line = rest, rest_line
    return sorted(findings + lint_markdown(body, body_line, tree), key=lambda f: f.line)


def _has_title_field(front: str | None) -> bool:
    return bool(front and re.search(r"^title:[ \t]*\S", front, re.MULTILINE))


def read_article(path: Path, content: Path, kind: disk.Kind = disk.ARTICLE) -> str | None:
    """A loaded article's text (or a settings file's), read as loading reads it: its kind's limit, UTF-8, a
    regular file inside `content`; None if it cannot be read now."""
    return read_text(path, display_path(path), Problems(root=content), kind)


def article_report(
    article: Article, ignore: frozenset[str], covered: frozenset[int] | None, titles: TitleSetting | None = None
) -> FileReport | None:
    """The findings of one loaded article, read from the same tree the build renders (and, with `titles`,
    whether its title can be set between words in even lines)."""
    parents = article.source_path.parents
    text = read_article(article.source_path, parents[min(2, len(parents) - 1)])  # content/issues/<id>/…
    if text is None:
        return None
    findings = lint_article(text, article.body)
    if covered is not None:
        findings += missing_glyphs(text, covered)
    if titles is not None:
        findings += title_findings(text, article.title, titles)
    return FileReport(article.source_path, text, ignore, sorted(findings, key=lambda f: f.line))


@dataclass(frozen=True)
class TitleSetting:
    """How article titles print: their width in ems and the glossary's terms kept whole."""

    width: Widths
    glossary: tuple[str, ...] = ()


def title_findings(text: str, title: str, setting: TitleSetting) -> list[Finding]:
    """A title that cannot be cut between words into even lines (GB/T 9704), with the cut it gets."""
    advice = title_advice(title, TITLE_CAPACITY, setting.width, setting.glossary)
    if advice is None:
        return []
    line = next((n for n, row in enumerate(text.split("\n"), 1) if title in row), 1)
    message = (
        f"标题无法在词与词之间排成长短相近的几行，将排成“{advice}”；"
        "可调整措辞，或把不该拆开的词写进 bulletin.yaml 的 glossary"
    )
    return [Finding(line, "title-break", message)]


def lint_site(site: Site, content: Path, fonts: FontSetup) -> list[FileReport]:
    """Lint every article (and every YAML file's characters) of the loaded site."""
    covered = coverage(fonts)
    titles = TitleSetting(role_widths(fonts, "title", bold=True), site.bulletin.glossary)
    reports: list[FileReport] = []
    yaml_files = [(content / "bulletin.yaml", frozenset[str]())]
    yaml_files += [(issue.folder / "issue.yaml", frozenset(issue.lint_ignore)) for issue in site.issues]
    for path, ignore in yaml_files if covered is not None else []:
        text = read_article(path, content, disk.SETTINGS)
        if text is not None and covered is not None:
            reports.append(FileReport(path, text, ignore, list(missing_glyphs(text, covered))))
    for issue in site.issues:
        for article in issue.articles:
            ignore = frozenset(issue.lint_ignore) | frozenset(article.lint_ignore)
            report = article_report(article, ignore, covered, TitleSetting(titles.width, issue.bulletin.glossary))
            if report is not None:
                reports.append(report)
    return reports


def lint_issues(issues: Iterable[Issue], strict: bool = False) -> list[Problem]:
    """The text findings (not glyph coverage, which needs the font files) of these issues' articles."""
    problems: list[Problem] = []
    for issue in issues:
        for article in issue.articles:
            ignore = frozenset(issue.lint_ignore) | frozenset(article.lint_ignore)
            report = article_report(article, ignore, None)
            problems += report.problems(strict) if report is not None else []
    return problems


def lint_loaded(loaded: Iterable[tuple[Article, frozenset[str]]], strict: bool = False) -> list[Problem]:
    """The text findings of the articles a failed load still read (each with the rules it silences): `check`
    shows them beside the errors, so one round of corrections fixes both. Nothing else is read: what
    loading refused (too large, not UTF-8, a FIFO, a link out of the content folder) is never linted."""
    problems: list[Problem] = []
    for article, ignore in loaded:
        report = article_report(article, ignore, None)
        problems += report.problems(strict) if report is not None else []
    return problems


def about(problems: Sequence[Problem], issues: Sequence[Issue], content: Path) -> list[Problem]:
    """The problems about these issues' files, or about no issue in particular (bulletin.yaml)."""
    wanted = {i.folder.name for i in issues}
    issues_dir = Path(os.path.realpath(content / "issues"))

    def keep(problem: Problem) -> bool:
        try:
            # The folder resolved, not the file: the file may be a symlink loop.
            shown = Path(problem.path)
            folder = Path(os.path.realpath(shown.parent), shown.name).relative_to(issues_dir).parts[0]
        except (ValueError, IndexError):
            return True
        return folder in wanted

    return [p for p in problems if keep(p)]


WARNINGS_SHOWN = 5  # build and serve show this many text warnings, then point to `check`


def warning_lines(problems: Sequence[Problem], limit: int = WARNINGS_SHOWN) -> list[str]:
    """`3 条文字警告：` and the first `limit` of them (file:line), pointing to `check` for the rest."""
    if not problems:
        return []
    shown = f"，以下是前 {limit} 条" if len(problems) > limit else ""
    head = f"{len(problems)} 条文字警告{shown}（全部警告和可自动修正的改动见 {command('check')}）："
    return [head, *(str(p) for p in problems[:limit])]
