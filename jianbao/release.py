"""A built output folder + the loaded content → which of its issues `publish` may copy, or why it must not.

Only signed-off issues are published (in an archive that does not use
approval, every issue that is not a draft). An output folder holding a draft
is refused outright: drafts are built for previews (into preview/), and one
in the folder means it was built for a preview. A 送审 issue is built into the
output for the person who signs it off, but is left out of the archive, the
feed and the search index; `publish` leaves its folder behind and names it.
Each issue page records the status it was built with (`<meta name="status">`,
layouts/issue.html): a page built before a status changed (signed off, but not
rebuilt) is refused, so a 送审稿 mark never reaches the intranet. Template text
left by `new` is an error here.
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from jianbao.check.placeholders import bulletin_placeholder_problems, placeholder_problems
from jianbao.errors import ContentError, UsageError, display_path
from jianbao.invocation import command
from jianbao.model import DRAFT, ISSUE_ID_RE, Issue, Site


@dataclass(frozen=True)
class Release:
    """What `publish` copies: every issue folder of the output but the `withheld` ones (id → why)."""

    published: tuple[str, ...]
    withheld: dict[str, str]

    def keeps(self, name: str) -> bool:
        """Whether the site file `name` (relative to the output folder) is published."""
        return name.split("/", 1)[0] not in self.withheld


class _PageRecord(HTMLParser):
    """The status an issue page was built with: its `<meta name="status">`, or `draft` in its body's class."""

    def __init__(self) -> None:
        super().__init__()
        self.status: str | None = None  # None: the page records none (an older layout)
        self.draft = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "meta" and values.get("name") == "status":
            self.status = values.get("content") or ""
        elif tag == "body":
            self.draft = "draft" in (values.get("class") or "").split()


def page_record(page: Path) -> _PageRecord:
    """Read an issue page's status record."""
    record = _PageRecord()
    record.feed(page.read_text(encoding="utf-8", errors="replace"))
    return record


def built_issues(output: Path) -> list[str]:
    """The issue folders of a built output (each holds the issue's page)."""
    return sorted(
        entry.name for entry in output.iterdir() if ISSUE_ID_RE.match(entry.name) and (entry / "index.html").is_file()
    )


def release_of(output: Path, site: Site, content: Path) -> Release:
    """The issues of `output` that may be published; UsageError when the folder must not be published from,
    ContentError when a published issue still holds template text."""
    by_id = {issue.id: issue for issue in site.issues}
    folders = built_issues(output)
    records = {name: page_record(output / name / "index.html") for name in folders}
    drafts = [name for name in folders if records[name].draft or records[name].status == DRAFT]
    drafts += [name for name in folders if name in by_id and by_id[name].draft and name not in drafts]
    if drafts:
        raise UsageError(
            f"{display_path(output)} 里有草稿 {'、'.join(drafts)}（预览时生成的），不从含草稿的文件夹发布；"
            f"请先运行 {command('build')} 重新生成（草稿会被去掉），或发布另一个输出文件夹"
        )
    for name in folders:
        stale_reason = stale(name, by_id.get(name), records[name].status)
        if stale_reason:
            raise UsageError(f"{stale_reason}；请先运行 {command('build')} 再发布")
    withheld = {name: "送审稿，尚未签发" for name in folders if not by_id[name].publishable}
    published = tuple(name for name in folders if name not in withheld)
    if not published:
        first = next(iter(withheld), "")
        unsigned = f"{'、'.join(withheld)} 是送审稿，尚未签发；签发：{command('approve', first, '--by', '姓名')}"
        raise UsageError(f"{display_path(output)} 里没有已签发的期可以发布（{unsigned if withheld else '一期也没有'}）")
    issues = [by_id[name] for name in published]
    problems = placeholder_problems(issues, severity="error") + bulletin_placeholder_problems(content, "error")
    if problems:
        raise ContentError(problems)
    return Release(published, withheld)


def stale(name: str, issue: Issue | None, built_as: str | None) -> str:
    """Why the output's page of issue `name` is not the one the content now makes ("" when it is)."""
    if issue is None:
        return f"输出文件夹里的 {name} 在内容里已经没有了"
    if built_as is not None and built_as != issue.status:
        now, then = issue.status or "未写状态", built_as or "未写状态"
        return f"{name} 现在是“{now}”，输出文件夹里的却是按“{then}”生成的"
    return ""
