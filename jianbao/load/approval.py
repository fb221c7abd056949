"""issue.yaml's status, 签发人, 签发日期 and corrections → an issue's `Approval` and `Correction`s, and, across
the archive, the status of issues that give none.

An issue is 草稿 (previews only), 送审 (printed with a 送审稿 mark for the person who signs it off) or 签发
(may be published); `draft: true` is the older way to write 草稿. An archive that never uses 送审 or 签发
publishes every issue that is not a draft, as before. Once an issue is 送审 or 签发, a later issue that
gives no status is taken as 送审 — unsigned, so never published — with a warning; the issues before the
first one that uses approval were published before it existed, and stay published.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from jianbao.errors import display_path
from jianbao.invocation import command
from jianbao.load.problems import Problems
from jianbao.load.schema import CorrectionSchema, IssueSchema
from jianbao.load.yamlfile import YamlDoc
from jianbao.model import DRAFT, IN_REVIEW, SIGNED, Approval, Article, Correction, Issue


def approval_of(schema: IssueSchema, issue_id: str, doc: YamlDoc, shown: str, problems: Problems) -> Approval:
    """The approval issue.yaml gives (problems at the lines of their keys)."""
    status = schema.status or (DRAFT if schema.draft else "")
    if schema.draft and schema.status not in (None, DRAFT):
        problems.error(
            shown,
            doc.line_of(("draft",)),
            f"draft：draft: true（草稿）与 status: {schema.status} 矛盾；请删去 draft 这一行（草稿写 status: 草稿）",
        )
    if status == SIGNED and not schema.签发人:
        how = command("approve", issue_id, "--by", "姓名")
        problems.error(shown, doc.line_of(("status",)), f"status：签发须写明签发人（签发人: 姓名），或运行 {how}")
    if status != SIGNED:
        for key in ("签发人", "签发日期"):
            if getattr(schema, key):
                now = f"本期状态为{status}" if status else "本期没有写 status"
                problems.warn(shown, doc.line_of((key,)), f"{key}：{now}，还没有签发；签发时写 status: 签发")
    if status != SIGNED:
        return Approval(status)
    return Approval(status, schema.签发人, schema.签发日期)


def corrections_of(
    items: Sequence[CorrectionSchema],
    articles: Sequence[Article],
    schema: IssueSchema,
    doc: YamlDoc,
    shown: str,
    problems: Problems,
) -> tuple[Correction, ...]:
    """The issue's corrections, oldest first; each names its article by the article's file name."""
    by_file = {article.source_path.name: article.slug for article in articles}
    found = []
    for index, item in enumerate(items):
        line = doc.line_of(("corrections", index))
        if item.date < schema.date:
            problems.error(shown, line, f"corrections：更正日期 {item.date} 早于本期日期 {schema.date}")
        slug = ""
        if item.article:
            slug = by_file.get(item.article, "")
            if not slug:
                names = "、".join(by_file) or "无"
                problems.error(shown, line, f"corrections：本期没有文章“{item.article}”（本期文章：{names}）")
        found.append(Correction(item.date, item.text, slug))
    unpublished = schema.status in (DRAFT, IN_REVIEW) or (schema.draft and schema.status is None)
    if found and unpublished:
        problems.warn(shown, doc.line_of(("corrections",)), "corrections：本期还没有发布，直接改正文即可，不必写更正")
    return tuple(sorted(found, key=lambda c: c.date))


def settle_approvals(issues: list[Issue], docs: dict[str, YamlDoc], problems: Problems) -> list[Issue]:
    """The issues with the status each stands at: one without a status after the first issue that uses
    approval (送审 or 签发) is 送审, with a warning; the others are as loaded."""
    using = [i for i in issues if i.status in (IN_REVIEW, SIGNED)]
    if not using:
        return issues
    first = min(using, key=lambda i: (i.total, i.id))
    settled = []
    for issue in issues:
        if issue.status == "" and (issue.total, issue.id) > (first.total, first.id):
            how = command("approve", issue.id, "--by", "姓名")
            problems.warn(
                display_path(issue.folder / "issue.yaml"),
                docs[issue.id].first_line,
                f"本刊从 {first.id} 起签发后才发布，本期没有写 status：按送审稿生成，不会发布；签发请运行 {how}",
            )
            issue = dataclasses.replace(issue, approval=Approval(IN_REVIEW))
        settled.append(issue)
    return settled
