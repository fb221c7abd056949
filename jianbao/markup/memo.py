"""Parsed issues kept between runs: `parsed.json` in `.<output>.jianbao-cache/` ↔ the loader's memo.

A build parses only the issues whose folders changed; the others come from
here. The file sits beside the output folder, as its lock and shadow do: not in
`content/` (a folder the office's editors all write to), not in the output
(it would be published). It is input all the same, never trusted: JSON (never
pickle) validated back into the frozen model by pydantic, keyed by each issue
folder's digest, the bulletin settings and a digest of jianbao's own source,
and then checked as fresh content is — every folder inside `content/issues/`,
every article file inside its issue folder, every body tree within the
sanitizer's allowlist, every image path confined to its issue folder. One
entry that fails any check makes the whole file count as absent.
"""

from __future__ import annotations

import contextlib
import json
import os
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from jianbao import disk
from jianbao.digests import code_digest
from jianbao.errors import UnreadableError
from jianbao.files import cache_folder, write_atomic
from jianbao.load import safety
from jianbao.load.content import Memo, Parsed
from jianbao.load.yamlfile import YamlDoc
from jianbao.markup.sanitize import check_tree

if TYPE_CHECKING:
    from pydantic import TypeAdapter

    from jianbao.model import Bulletin, Issue

FORMAT = 3  # 3: beside the output, bodies as trees


def memo_path(output: Path) -> Path:
    """Where the parsed issues of builds into `output` are kept: beside the manifest (write/manifest.py)."""
    return cache_folder(output) / "parsed.json"


@cache
def issue_adapter() -> TypeAdapter[Issue]:
    """pydantic's (de)serialiser of an issue: made once (slow to make; serve saves the memo on each edit)."""
    from pydantic import TypeAdapter

    from jianbao.model import Issue

    return TypeAdapter(Issue)


@cache
def bulletin_adapter() -> TypeAdapter[Bulletin]:
    from pydantic import TypeAdapter

    from jianbao.model import Bulletin

    return TypeAdapter(Bulletin)


class UntrustedError(ValueError):
    """A memo entry that fails a check fresh content would pass."""


def load_memo(path: Path, content: Path) -> Memo:
    """The parsed issues of earlier runs for the issues of `content`; empty if missing, damaged or foreign."""
    from pydantic import ValidationError

    try:
        data = json.loads(disk.read_bounded(path, disk.CACHE))  # never a FIFO or a huge file put in its place
        if data.get("format") != FORMAT or data.get("code") != code_digest():
            return {}
        adapter = issue_adapter()
        # Validated once and shared, as in a build (pydantic takes an instance as it is).
        bulletins = [bulletin_adapter().validate_python(bulletin) for bulletin in data["bulletins"]]
        issues_dir = Path(os.path.realpath(content / "issues"))
        memo: Memo = {}
        for folder, entry in data["issues"].items():
            lines: dict[tuple[str | int, ...], int] = {(str(key),): int(line) for key, line in entry["lines"].items()}
            fields = entry["issue"]
            fields["bulletin"] = bulletins[fields["bulletin"]]
            issue = adapter.validate_python(fields)
            check_issue(issue, Path(folder), issues_dir)
            memo[folder] = Parsed(str(entry["key"]), issue, YamlDoc({}, lines, int(entry["first_line"])))
        return memo
    except (OSError, UnreadableError, ValueError, TypeError, KeyError, IndexError, AttributeError, ValidationError):
        return {}
    except RecursionError:  # nested past what a parse ever makes
        return {}


def check_issue(issue: Issue, folder: Path, issues_dir: Path) -> None:
    """Raise `UntrustedError` unless the issue is one fresh content of this folder could have given."""
    if Path(os.path.realpath(folder)).parent != issues_dir or issue.folder != folder or issue.id != folder.name:
        raise UntrustedError(f"{folder}: not an issue folder of this content")
    for article in issue.articles:
        if article.source_path.parent != folder or article.source_path.suffix.lower() != ".md":
            raise UntrustedError(f"{article.source_path}: not an article of {folder}")
        if not check_tree(article.body):
            raise UntrustedError(f"{article.source_path}: a body the sanitizer would not have let through")
        for image in article.images:
            found, refused = safety.resolve_image_src(image, folder)
            if found is None or refused:
                raise UntrustedError(f"{image}: not an image of {folder}")
            disk.checked_size(found, disk.IMAGE)  # a regular file within the limit (UnreadableError else)


def save_memo(path: Path, memo: Memo) -> None:
    """Keep the parsed issues for the next run (only the YAML lines numbering messages need)."""
    adapter = issue_adapter()
    issues = {}
    bulletins: list[Bulletin] = []  # each different bulletin once: all the issues of a build have the same
    for folder, parsed in sorted(memo.items()):
        if not Path(folder).is_dir():
            continue  # an issue folder since removed
        lines = {str(loc[0]): line for loc, line in parsed.doc.lines.items() if len(loc) == 1}
        fields = adapter.dump_python(parsed.issue, mode="json", exclude={"bulletin"})
        if parsed.issue.bulletin not in bulletins:
            bulletins.append(parsed.issue.bulletin)
        fields["bulletin"] = bulletins.index(parsed.issue.bulletin)
        issues[folder] = {"key": parsed.key, "issue": fields, "lines": lines, "first_line": parsed.doc.first_line}
    dumped = [bulletin_adapter().dump_python(bulletin, mode="json") for bulletin in bulletins]
    data = {"format": FORMAT, "code": code_digest(), "bulletins": dumped, "issues": issues}
    # A memo that cannot be written (a full or read-only disk) only costs the next run its parsing.
    with contextlib.suppress(OSError):
        write_atomic(path, json.dumps(data, ensure_ascii=False, sort_keys=True).encode())
