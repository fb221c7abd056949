"""`approve ID --by 姓名`: an issue's issue.yaml → the same file with `status: 签发`, 签发人 and 签发日期.

The file is edited line by line, not re-dumped: the editor's comments, key
order, quoting and blank lines stay exactly as they were. Only top-level
`key: value` lines are touched (a trailing comment is kept); a key not there
is added at the end, and `draft:` (the older spelling of 草稿) goes. The result
is parsed back and must hold exactly the old data plus the new keys, or the
file is left alone and the editor told what to write. A YAML round-trip
library (ruamel.yaml) would keep most of this too, but re-wraps long values
and re-indents lists; three scalar keys in a flat file do not need it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re

from jianbao.cli.console import EXIT_OK, say
from jianbao.errors import ContentError, UsageError, display_path
from jianbao.files import write_atomic
from jianbao.invocation import command
from jianbao.model import SIGNED, Issue

_PLAIN_VALUE = re.compile(r"[^\s:#'\"\[\]{},&*!|>%@`-][^:#]*")  # a name YAML reads as plain text


def yaml_scalar(value: str) -> str:
    """`value` as a YAML scalar: plain when YAML reads it back unchanged, else double-quoted."""
    return value if _PLAIN_VALUE.fullmatch(value) and value == value.strip() else json.dumps(value, ensure_ascii=False)


def set_top_level(text: str, values: dict[str, str], drop: tuple[str, ...] = ()) -> str:
    """`text` with each top-level key of `values` set (in place, keeping a trailing comment; else added at the
    end) and each key of `drop` removed."""
    lines = text.splitlines(keepends=True)
    done: set[str] = set()
    kept = []
    for line in lines:
        match = re.match(r"^([^\s#][^:]*?)[ \t]*:(?:[ \t]+|$)(.*?)(\r?\n)?$", line)
        key = match[1].strip("'\"") if match else None
        if key in drop:
            continue
        if key is not None and key in values and match is not None:
            comment = re.search(r"[ \t]+#.*$", match[2]) if match[2][:1] not in "'\"" else None
            kept.append(f"{match[1]}: {values[key]}{comment[0] if comment else ''}{match[3] or ''}")
            done.add(key)
            continue
        kept.append(line)
    if kept and not kept[-1].endswith("\n"):
        kept[-1] += "\n"
    kept += [f"{key}: {value}\n" for key, value in values.items() if key not in done]
    return "".join(kept)


def approved_text(text: str, signer: str, date: dt.date) -> str:
    """issue.yaml's text once signed off by `signer` on `date`; UsageError when the file is written in a way
    a line edit cannot safely change."""
    import yaml

    values = {"status": SIGNED, "签发人": yaml_scalar(signer), "签发日期": date.isoformat()}
    result = set_top_level(text, values, drop=("draft",))
    try:
        before, after = yaml.safe_load(text) or {}, yaml.safe_load(result)
    except yaml.YAMLError:
        before, after = None, None
    expected = None
    if isinstance(before, dict):
        expected = {k: v for k, v in before.items() if k != "draft"} | {
            "status": SIGNED,
            "签发人": signer,
            "签发日期": date,
        }
    if expected is None or after != expected:
        raise UsageError(
            "issue.yaml 的写法无法自动修改，请手动加上三行：status: 签发、"
            f"签发人: {yaml_scalar(signer)}、签发日期: {date.isoformat()}"
        )
    return result


def run(args: argparse.Namespace) -> int:
    """`approve ID --by 姓名 [--date D]`: sign the issue off and say what to do next."""
    from jianbao.check.placeholders import placeholder_problems
    from jianbao.markup import load_content

    site, _ = load_content(args.content, strict=False)
    issue = find_issue(site.issues, args.issue)
    signer = args.by.strip()
    if not signer:
        raise UsageError("--by：请写签发人的姓名")
    if issue.status == SIGNED:
        when = f"（{issue.approval.date}）" if issue.approval.date else ""
        if issue.approval.signer == signer:
            say(f"{issue.id} 已由 {signer} 签发{when}，没有改动。", quiet=args.quiet)
            return EXIT_OK
        raise UsageError(f"{issue.id} 已由 {issue.approval.signer} 签发{when}；要改签发人，请直接编辑 issue.yaml")
    if placeholders := placeholder_problems([issue], severity="error"):
        raise ContentError(placeholders)  # never sign off a template's text
    path = issue.folder / "issue.yaml"
    date = args.date or dt.date.today()
    before = issue.status or "未写状态"
    write_atomic(path, approved_text(path.read_text(encoding="utf-8-sig"), signer, date).encode())
    say(f"已签发 {issue.id}（{before} → 签发，签发人 {signer}，{date}）：{display_path(path)}", quiet=args.quiet)
    say(
        "下一步：\n"
        f"  1. {command('build')}   重新生成（PDF 和网页上不再有“送审稿”标记，PDF 里记下签发人和日期）\n"
        f"  2. {command('publish', '网站目录')}   发布",
        quiet=args.quiet,
    )
    return EXIT_OK


def find_issue(issues: tuple[Issue, ...], issue_id: str) -> Issue:
    """The issue named on the command line (UsageError naming the ones there are)."""
    for issue in issues:
        if issue.id == issue_id:
            return issue
    names = "、".join(i.id for i in issues) or "无"
    raise UsageError(f"没有这一期：{issue_id}（可用：{names}）")
