"""Loaded `Site` + fonts in use → lint findings about Chinese text, and the safe fixes.

`check` runs this after loading: half-width punctuation inside Chinese
sentences, unpaired marks, repeated punctuation, paragraphs without a closing
mark, spaces between Chinese characters and characters no font in use can
draw. Each finding carries a rule code (load.schema.LINT_RULES) that an issue
(`issue.yaml`) or an article (front matter) can silence with
`lint: {ignore: [...]}`. Fixes are single-character edits known to be safe.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from jianbao.errors import Problem, display_path
from jianbao.files import write_atomic
from jianbao.load.content import split_front_matter
from jianbao.load.sources import FENCE
from jianbao.markup.richtext import is_caption
from jianbao.model import Issue, Site
from jianbao.pdf.fonts import FontSetup, font_file

_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
_PAIRS = {"“": "”", "‘": "’", "（": "）", "《": "》", "【": "】", "「": "」", "『": "』"}
_CLOSERS = {close: open_ for open_, close in _PAIRS.items()}
_MARK_NAMES = dict(
    zip(
        "“”‘’（）《》【】「」『』",
        [
            "左双引号",
            "右双引号",
            "左单引号",
            "右单引号",
            "左括号",
            "右括号",
            "左书名号",
            "右书名号",
            "左方头括号",
            "右方头括号",
            "左直角引号",
            "右直角引号",
            "左双直角引号",
            "右双直角引号",
        ],
        strict=True,
    )
)


def _mark(char: str) -> str:
    """`左双引号“` — a mark with its name, since quoting a quote mark is unreadable."""
    return f"{_MARK_NAMES[char]}{char}"


_ENDINGS = set("。！？…”’）》】」』：；—")
_SPACES = " \t\u3000\u00a0"

# Spans that are not prose: code, links' targets, HTML tags, footnote marks, autolinks, URLs.
_MASK = re.compile(r"`+[^`]*`+|\]\([^)]*\)|<[^>\n]*>|\[\^[^\]]*\]|https?://\S+|www\.\S+|[\w.+-]+@[\w-]+\.[\w.]+")
_MASKED = "\x01"


def is_chinese(char: str) -> bool:
    """A Han character or full-width punctuation (what a Chinese sentence is made of)."""
    if not char:
        return False
    code = ord(char)
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x20000 <= code <= 0x3FFFF
        or 0x3000 <= code <= 0x303F
        or 0xFF00 <= code <= 0xFFEF
        or char in "“”‘’…—·"
    )


def _is_han(char: str) -> bool:
    return bool(char) and is_chinese(char) and char not in _SPACES and char not in _CLOSERS and char not in _PAIRS


@dataclass(frozen=True)
class Edit:
    """Replace `length` characters at `column` of `line` with `text`."""

    line: int
    column: int
    length: int
    text: str


@dataclass(frozen=True)
class Finding:
    """One lint finding; `edits` is empty when no safe fix exists."""

    line: int
    rule: str
    message: str
    edits: tuple[Edit, ...] = ()


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


# ---------------------------------------------------------------------------
# Splitting Markdown into prose units with their lines


@dataclass(frozen=True)
class Unit:
    """Prose lines that belong together: a paragraph, a heading, a list item, a table row."""

    lines: tuple[tuple[int, int, str], ...]  # (line number, column where prose starts, masked text)
    kind: str  # "paragraph" | "line"


_BLOCK_PREFIX = re.compile(r"^(\s*(?:>\s?)*)(\s*(?:[-*+]|\d+[.)])\s+|\s*#{1,6}\s+|\s*\[\^?[^\]]+\]:\s*)?")


def mask(text: str) -> str:
    """Blank out spans that are not prose, keeping every column where it was."""
    return _MASK.sub(lambda m: _MASKED * len(m.group(0)), text)


def prose_units(body: str, first_line: int) -> Iterator[Unit]:
    """Paragraphs and one-line blocks of a Markdown body; code, HTML and tables' rules skipped."""
    paragraph: list[tuple[int, int, str]] = []
    fenced = False
    for offset, raw in enumerate(body.split("\n")):
        number = first_line + offset
        stripped = raw.strip()
        if FENCE.match(raw):
            fenced = not fenced
        skipped = (
            not stripped or stripped.startswith(("<", "![")) or raw.startswith(("    ", "\t"))
        )  # HTML, images, code
        if fenced or FENCE.match(raw) or skipped:
            if paragraph:
                yield Unit(tuple(paragraph), "paragraph")
                paragraph = []
            continue
        prefix = _BLOCK_PREFIX.match(raw)
        start = prefix.end() if prefix else 0
        masked = mask(raw)
        # Headings, list items, definitions and table rows are units of their own.
        if (prefix and prefix.group(2)) or stripped.startswith("|") or set(stripped) <= set("|-: "):
            if paragraph:
                yield Unit(tuple(paragraph), "paragraph")
                paragraph = []
            yield Unit(((number, start, masked),), "line")
        else:
            paragraph.append((number, start, masked))
    if paragraph:
        yield Unit(tuple(paragraph), "paragraph")


# ---------------------------------------------------------------------------
# Rules over one line or one unit


def _neighbour(text: str, index: int, step: int) -> str:
    """The nearest character from `index` in direction `step`, skipping spaces and emphasis marks."""
    index += step
    while 0 <= index < len(text) and text[index] in " \t*_":
        index += step
    return text[index] if 0 <= index < len(text) else ""


_PAREN_PAIR = re.compile(r"\(([^()\n]*)\)")


def _half_to_full(number: int, text: str, index: int) -> Finding:
    """Replace the half-width mark at `index`, and the spaces an English habit put after it."""
    char = text[index]
    end = index + 1
    while char not in "()" and end < len(text) and text[end] in " \t" and is_chinese(_neighbour(text, end - 1, 1)):
        end += 1
    return Finding(
        number,
        "halfwidth-punct",
        f"中文句中使用了半角标点“{char}”（应为“{_FULL[char]}”）",
        (Edit(number, index, end - index, _FULL[char]),),
    )


def halfwidth_punct(number: int, start: int, text: str) -> Iterator[Finding]:
    """`,` `;` `:` `?` `!` `(` `)` next to Chinese text should be full-width."""
    paired: set[int] = set()
    for match in _PAREN_PAIR.finditer(text, start):
        open_, close = match.start(), match.end() - 1
        paired.update((open_, close))
        inner = match.group(1)
        if (
            is_chinese(_neighbour(text, open_, -1))
            or is_chinese(_neighbour(text, close, 1))
            or any(_is_han(c) for c in inner)
        ):
            yield _half_to_full(number, text, open_)
            yield _half_to_full(number, text, close)
    for index in range(start, len(text)):
        char = text[index]
        if char == "." and _is_han(_neighbour(text, index, -1)) and _ends_sentence(text, index):
            yield Finding(
                number, "halfwidth-punct", "中文句末使用了半角句点“.”（应为“。”）", (Edit(number, index, 1, "。"),)
            )
            continue
        if char not in _FULL or index in paired:
            continue
        if char == ":" and text[index + 1 : index + 3] == "//":
            continue
        if is_chinese(_neighbour(text, index, -1)) or is_chinese(_neighbour(text, index, 1)):
            yield _half_to_full(number, text, index)


def _ends_sentence(text: str, index: int) -> bool:
    """A `.` after a Chinese character ends a sentence when a Chinese character, a space or the line end follows
    (not `3.5`, `www.gov.cn`, `Fig.1` or `...`)."""
    after = text[index + 1 : index + 2]
    return after != "." and text[index - 1 : index] != "." and (not after or after in " \t" or _is_han(after))


_REPEATED = re.compile(r"([，、；：！？])\1+|。{2,}")


def repeated_punct(number: int, start: int, text: str) -> Iterator[Finding]:
    """`，，` or `。。` (an ellipsis is `……`)."""
    for match in _REPEATED.finditer(text, start):
        run = match.group(0)
        if run[0] == "。" and len(run) >= 3:
            yield Finding(number, "repeated-punct", f"标点重复“{run}”（省略号应为“……”）", ())
        else:
            yield Finding(
                number,
                "repeated-punct",
                f"标点重复“{run}”（应为“{run[0]}”）",
                (Edit(number, match.start(), len(run), run[0]),),
            )


_CJK_SPACE = re.compile(r"[ \t\u3000\u00a0]+")


def cjk_space(number: int, start: int, text: str) -> Iterator[Finding]:
    """Spaces between two Chinese characters (pasted from Word or a PDF)."""
    for match in _CJK_SPACE.finditer(text, start):
        left = text[match.start() - 1] if match.start() > start else ""
        right = text[match.end()] if match.end() < len(text) else ""
        if is_chinese(left) and is_chinese(right) and match.start() > start:
            yield Finding(
                number,
                "cjk-space",
                f"汉字之间有空格：“{left}{match.group(0)}{right}”",
                (Edit(number, match.start(), len(match.group(0)), ""),),
            )


def unpaired_marks(unit: Unit) -> Iterator[Finding]:
    """“” ‘’ （） 《》 【】 must open and close in order within a paragraph."""
    stack: list[tuple[str, int]] = []
    for number, start, text in unit.lines:
        for char in text[start:]:
            if char in _PAIRS:
                stack.append((char, number))
            elif char in _CLOSERS:
                if stack and stack[-1][0] == _CLOSERS[char]:
                    stack.pop()
                elif stack and any(open_ == _CLOSERS[char] for open_, _ in stack):
                    open_, line = stack.pop()
                    yield Finding(number, "unpaired-mark", f"{_mark(open_)}（第 {line} 行）与{_mark(char)} 不匹配")
                    while stack and stack[-1][0] != _CLOSERS[char]:
                        stack.pop()
                    if stack:
                        stack.pop()
                else:
                    yield Finding(number, "unpaired-mark", f"多出的{_mark(char)}，前面没有{_mark(_CLOSERS[char])}")
    for open_, line in stack:
        yield Finding(line, "unpaired-mark", f"{_mark(open_)} 没有闭合（缺少{_mark(_PAIRS[open_])}）")


def paragraph_end(unit: Unit) -> Iterator[Finding]:
    """A Chinese paragraph ends with 。！？… or a closing mark."""
    if unit.kind != "paragraph":
        return
    number, start, text = unit.lines[-1]
    prose = "".join(t[s:] for _, s, t in unit.lines)
    if not any(_is_han(c) for c in prose) or is_caption(prose):  # `表1　…` / `图：…` captions end bare
        return
    tail = text[start:].replace(_MASKED, "").rstrip(" \t*_~\\")
    if tail and tail[-1] not in _ENDINGS:
        yield Finding(number, "paragraph-end", f"段落没有以句末标点结束（末尾是“{tail[-1]}”）")


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
            number, masked = 2 + offset, mask(raw)
            findings += halfwidth_punct(number, match.end(), masked)
            findings += repeated_punct(number, match.end(), masked)
            findings += cjk_space(number, match.end(), masked)
    return [f for f in findings if f.line < body_line]


def lint_article(text: str) -> list[Finding]:
    """Every text finding of an article file: its front matter's prose and its body."""
    _, body, body_line = split_front_matter(text)
    return sorted(lint_front_matter(text) + lint_markdown(body, body_line), key=lambda f: f.line)


def fix_article(report: FileReport, passes: int = 5) -> str:
    """The article with every safe fix applied, re-checked until nothing more can be fixed (one run fixes
    what a fix reveals, e.g. `,,` that becomes `，，`)."""
    text = report.fixed_text()
    for _ in range(passes - 1):
        again = FileReport(report.path, text, report.ignore, lint_article(text)).fixed_text()
        if again == text:
            break
        text = again
    return text


def lint_markdown(body: str, first_line: int) -> list[Finding]:
    """Every punctuation and spacing finding in a Markdown body."""
    findings: list[Finding] = []
    for unit in prose_units(body, first_line):
        for number, start, text in unit.lines:
            findings += halfwidth_punct(number, start, text)
            findings += repeated_punct(number, start, text)
            findings += cjk_space(number, start, text)
        findings += unpaired_marks(unit)
        findings += paragraph_end(unit)
    return findings


# ---------------------------------------------------------------------------
# Characters no font can draw


@cache
def _cmap(path: str, index: int) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    try:
        with TTFont(path, fontNumber=index, lazy=True) as font:
            return frozenset(font.getBestCmap() or {})
    except Exception:  # an unreadable font covers nothing; fonts.py reports fonts separately
        return frozenset()


def coverage(fonts: FontSetup) -> frozenset[int] | None:
    """Code points some font in use can draw (None when no font file can be found)."""
    files = {(str(f.path), 0) for f in fonts.user_fonts}
    for stack in fonts.stacks.values():
        files.update(found for family in stack if (found := font_file(family)))
    if not files:
        return None
    return frozenset().union(*(_cmap(path, index) for path, index in sorted(files)))


def missing_glyphs(text: str, covered: frozenset[int]) -> Iterator[Finding]:
    """Characters outside `covered`, one finding per character and line."""
    for number, line in enumerate(text.split("\n"), 1):
        seen: set[str] = set()
        for char in line:
            code = ord(char)
            if char in seen or char == "\t":
                continue
            if unicodedata.category(char) in ("Cc", "Cf"):
                name = unicodedata.name(char, "控制字符")
                yield Finding(number, "missing-glyph", f"不可见的字符 U+{code:04X}（{name}），请删除")
            elif code not in covered and not 0x20 <= code < 0x7F:
                yield Finding(number, "missing-glyph", f"字体中没有字符“{char}”（U+{code:04X}），打印时会显示为方框")
            seen.add(char)


# ---------------------------------------------------------------------------
# The whole site


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")


def lint_site(site: Site, content: Path, fonts: FontSetup) -> list[FileReport]:
    """Lint every article (and every YAML file's characters) of the loaded site."""
    covered = coverage(fonts)
    reports: list[FileReport] = []
    bulletin = content / "bulletin.yaml"
    if covered is not None:
        reports.append(
            FileReport(bulletin, _read(bulletin), frozenset(), list(missing_glyphs(_read(bulletin), covered)))
        )
    for issue in site.issues:
        issue_yaml = issue.folder / "issue.yaml"
        if covered is not None:
            text = _read(issue_yaml)
            reports.append(
                FileReport(issue_yaml, text, frozenset(issue.lint_ignore), list(missing_glyphs(text, covered)))
            )
        for article in issue.articles:
            text = _read(article.source_path)
            findings = lint_article(text)
            if covered is not None:
                findings += missing_glyphs(text, covered)
            ignore = frozenset(issue.lint_ignore) | frozenset(article.lint_ignore)
            reports.append(FileReport(article.source_path, text, ignore, sorted(findings, key=lambda f: f.line)))
    return reports


def fix_diff(reports: Iterable[FileReport]) -> tuple[str, list[tuple[Path, str]]]:
    """The unified diff of every safe fix, and the new texts to write."""
    diff: list[str] = []
    changes: list[tuple[Path, str]] = []
    for report in reports:
        fixed = fix_article(report) if report.path.suffix == ".md" else report.fixed_text()
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


# ---------------------------------------------------------------------------
# Text warnings outside `check`: after a build or a preview rebuild, and beside load errors

WARNINGS_SHOWN = 5  # build and serve show this many text warnings, then point to `check`


def lint_issues(issues: Iterable[Issue], strict: bool = False) -> list[Problem]:
    """The text findings (not glyph coverage, which needs the font files) of these issues' articles."""
    problems: list[Problem] = []
    for issue in issues:
        for article in issue.articles:
            text = _read(article.source_path)
            ignore = frozenset(issue.lint_ignore) | frozenset(article.lint_ignore)
            problems += FileReport(article.source_path, text, ignore, lint_article(text)).problems(strict)
    return problems


def lint_unloaded(content: Path, strict: bool = False) -> list[Problem]:
    """The text findings of every article under content/issues/, read without loading the site
    (which failed): `check` shows them beside the errors. `lint: {ignore: […]}` is honoured where
    its YAML can be read."""
    problems: list[Problem] = []
    for issue_yaml in sorted((content / "issues").glob("*/issue.yaml")):
        issue_ignore = _ignored(issue_yaml.read_text(encoding="utf-8", errors="replace"))
        for path in sorted(issue_yaml.parent.glob("*.md")):
            text = _read(path)
            front, _, _ = split_front_matter(text)
            ignore = issue_ignore | _ignored(front or "")
            problems += FileReport(path, text, ignore, lint_article(text)).problems(strict)
    return problems


def _ignored(yaml_text: str) -> frozenset[str]:
    import yaml

    try:
        data = yaml.safe_load(yaml_text)
        return frozenset(str(rule) for rule in data["lint"]["ignore"])
    except Exception:  # unreadable or absent: nothing silenced
        return frozenset()


def about(problems: Sequence[Problem], issues: Sequence[Issue], content: Path) -> list[Problem]:
    """The problems about these issues' files, or about no issue in particular (bulletin.yaml)."""
    wanted = {i.folder.name for i in issues}
    issues_dir = (content / "issues").resolve()

    def keep(problem: Problem) -> bool:
        try:
            folder = Path(problem.path).resolve().relative_to(issues_dir).parts[0]
        except (ValueError, IndexError):
            return True
        return folder in wanted

    return [p for p in problems if keep(p)]


def warning_lines(problems: Sequence[Problem], limit: int = WARNINGS_SHOWN) -> list[str]:
    """`3 条文字警告：` and the first `limit` of them (file:line), pointing to `check` for the rest."""
    if not problems:
        return []
    shown = f"，以下是前 {limit} 条" if len(problems) > limit else ""
    head = f"{len(problems)} 条文字警告{shown}（全部警告和可自动修正的改动见 python build.py check）："
    return [head, *(str(p) for p in problems[:limit])]
