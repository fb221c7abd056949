"""An issue and how its text fell on the pages → whether it fits, and what to shorten when it does not.

The layout facts come from laying the issue out (pdf/pagereport.py, through a
build or `check`): the page count, the empty grid lines at the foot of each
page and the pages that end short with their reason. Reported as warnings:

- more pages than `target_pages:` (issue.yaml or bulletin.yaml) — with the
  lines to cut, counted from what stands on the pages past the target less the
  room still empty before it;
- a page count that is not a multiple of `pages_per_sheet:` (4 for folded
  sheets) — with the lines to cut to reach the multiple below;
- a page that ends with more than six empty lines — with what to shrink, by
  what the next page starts with (a figure, a table, the 报尾 …).
"""

from __future__ import annotations

from dataclasses import dataclass

from jianbao.errors import Problem, Severity, display_path
from jianbao.model import Issue
from jianbao.pdf.printed import ShortPage

LINES_PER_PAGE = 22  # the body grid of a GB/T 9704 page
CHARS_PER_LINE = 28
BLANK_LINES = 6  # a page ending with more empty lines than this is reported


@dataclass(frozen=True)
class PageFit:
    """How an issue's text fell on its pages."""

    pages: int
    room: tuple[int, ...]  # empty grid lines at the foot of each page
    short_pages: tuple[ShortPage, ...] = ()


def lines_to_cut(fit: PageFit, pages: int) -> int:
    """About how many body lines to cut so the issue ends on page `pages`: what stands on the pages after it,
    less the room still empty up to it (at least one line). The room a keep rule left at the foot of a short
    page does not count: what would fill it (a figure, a table, a title with its lines) does not fit there."""
    after = sum(LINES_PER_PAGE - room for room in fit.room[pages:])
    blocked = {short.page for short in fit.short_pages}
    before = sum(room for page, room in enumerate(fit.room[:pages], 1) if page not in blocked)
    return max(1, after - before)


def how_much(lines: int) -> str:
    """`约 12 行（约 330 字）`"""
    return f"约 {lines} 行（约 {lines * CHARS_PER_LINE} 字）"


def fit_messages(issue: Issue, fit: PageFit) -> list[str]:
    """Each way the issue does not fit its pages, with what to shorten."""
    messages = []
    target = issue.bulletin.target_pages
    if target is not None and fit.pages > target:
        messages.append(
            f"共 {fit.pages} 页，超过 target_pages 的 {target} 页：要排进 {target} 页，"
            f"需删减{how_much(lines_to_cut(fit, target))}"
        )
    sheet = issue.bulletin.pages_per_sheet
    if sheet and sheet > 1 and fit.pages % sheet:
        blank = sheet - fit.pages % sheet
        lower = fit.pages - fit.pages % sheet
        how = "对折装订" if sheet == 4 else "双面打印"
        if lower:
            shorten = f"删减{how_much(lines_to_cut(fit, lower))}可排成 {lower} 页，否则会有 {blank} 页空白"
        else:
            shorten = f"不足一张纸的 {sheet} 页，会有 {blank} 页空白"
        messages.append(f"共 {fit.pages} 页，{how}（pages_per_sheet: {sheet}）最好是 {sheet} 的倍数：{shorten}")
    for short in fit.short_pages:
        if short.empty > BLANK_LINES:
            messages.append(f"第 {short.page} 页末尾空 {short.empty} 行（{short.reason}）：{advice(short, fit)}")
    return messages


def advice(short: ShortPage, fit: PageFit) -> str:
    """What to shorten so that the page's empty lines fill."""
    if short.kind == "figure":
        return f"把下一页开头的图缩小到 {short.empty - 1} 行高以内（如 {{width=60%}}），或把图后的文字移到图前"
    if short.kind == "table":
        return f"把下一页开头的表格缩短，或把表格后的文字移到表格前，填满这 {short.empty} 行"
    if short.kind == "colophon":
        return f"删减{how_much(lines_to_cut(fit, short.page))}，正文和报尾就能排在第 {short.page} 页结束"
    if short.kind == "footnote":
        return "缩短这一页的脚注，或把注码所在的句子移到前面"
    return f"删减下一页开头的内容，或在本页补写{how_much(short.empty)}"


def fit_problems(issue: Issue, fit: PageFit, severity: Severity = "warning") -> list[Problem]:
    """`fit_messages` as problems of the issue's issue.yaml."""
    where = display_path(issue.folder / "issue.yaml")
    return [Problem(where, 0, f"排版：{message}", severity) for message in fit_messages(issue, fit)]
