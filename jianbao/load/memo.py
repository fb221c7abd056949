"""Parsed issues kept between runs: `<content>/.jianbao-cache/content.json` ↔ a `load_site` memo.

JSON validated back into the frozen model by pydantic (never pickle: the file is data,
not code), keyed by each issue folder's digest, the bulletin settings and a digest of
jianbao's own source, so a parse made by other code or other content is never reused.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jianbao.digests import code_digest
from jianbao.files import write_atomic

if TYPE_CHECKING:
    from pydantic import TypeAdapter

    from jianbao.model import Bulletin, Issue

FORMAT = 2  # 2: each bulletin once, each issue naming its own by index


MEMO_DIR = ".jianbao-cache"


def content_memo_path(content: Path) -> Path:
    """Where the parsed issues are kept: in a hidden folder of the content folder the user named.

    Not in the output (it would be published, absolute paths and all, and the output is swapped
    whole), and not beside content/ (a folder nobody pointed jianbao at). The loader reads only
    bulletin.yaml and issues/, and `serve` ignores this folder, so it never counts as content.
    """
    return content / MEMO_DIR / "content.json"


@cache
def issue_adapter() -> TypeAdapter[Issue]:
    """pydantic's (de)serialiser of an issue: made once: it is slow to make, and serve saves the memo on each edit."""
    from pydantic import TypeAdapter

    from jianbao.model import Issue

    return TypeAdapter(Issue)


@cache
def bulletin_adapter() -> TypeAdapter[Bulletin]:
    from pydantic import TypeAdapter

    from jianbao.model import Bulletin

    return TypeAdapter(Bulletin)


def load_content_memo(path: Path) -> dict[str, Any]:
    """The parsed issues of earlier runs as a `load_site` memo; empty if missing or not exactly ours.

    JSON validated back into the frozen model by pydantic (never pickle: the file is data, not code).
    """
    from pydantic import ValidationError

    from jianbao.load.yamlfile import YamlDoc

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT or data.get("code") != code_digest():
            return {}
        adapter = issue_adapter()
        # Validated once and shared, as in a build (pydantic takes an instance as it is): a 1,000-issue
        # memo validates in half the time.
        bulletins = [bulletin_adapter().validate_python(bulletin) for bulletin in data["bulletins"]]
        memo: dict[str, Any] = {}
        for folder, entry in data["issues"].items():
            lines: dict[tuple[str | int, ...], int] = {(str(key),): int(line) for key, line in entry["lines"].items()}
            doc = YamlDoc({}, lines, int(entry["first_line"]))
            fields = entry["issue"]
            fields["bulletin"] = bulletins[fields["bulletin"]]
            memo[folder] = (str(entry["key"]), (adapter.validate_python(fields), doc))
        return memo
    except (OSError, ValueError, TypeError, KeyError, IndexError, AttributeError, ValidationError):
        return {}


def save_content_memo(path: Path, memo: dict[str, Any]) -> None:
    """Keep the problem-free parsed issues for the next run (only the YAML lines numbering messages need)."""
    adapter = issue_adapter()
    issues = {}
    bulletins: list[Bulletin] = []  # each different bulletin once: all the issues of a build have the same
    for folder, entry in sorted(memo.items()):
        if entry is None or entry[1] is None or not Path(folder).is_dir():
            continue  # not problem-free, or an issue folder since removed
        key, (issue, doc) = entry
        lines = {str(loc[0]): line for loc, line in doc.lines.items() if len(loc) == 1}
        fields = adapter.dump_python(issue, mode="json", exclude={"bulletin"})
        if issue.bulletin not in bulletins:
            bulletins.append(issue.bulletin)
        fields["bulletin"] = bulletins.index(issue.bulletin)
        issues[folder] = {"key": key, "issue": fields, "lines": lines, "first_line": doc.first_line}
    dumped = [bulletin_adapter().dump_python(bulletin, mode="json") for bulletin in bulletins]
    data = {"format": FORMAT, "code": code_digest(), "bulletins": dumped, "issues": issues}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, json.dumps(data, ensure_ascii=False, sort_keys=True).encode())
    except OSError:
        pass  # a memo that cannot be written (a full or read-only disk) only costs the next run its parsing
