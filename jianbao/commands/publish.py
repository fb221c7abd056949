"""`publish DEST`: the built site (the output folder) → the intranet web folder, beside what others keep there.

Which issues go is decided by jianbao/release.py: signed-off ones only, never from a folder holding drafts.
How they are copied (under the build lock, only the paths jianbao published, what others put in DEST kept
as it was) is jianbao/write/publishing.py; this command chooses the folders and says what was done.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from jianbao.cli.console import EXIT_OK, say, shout
from jianbao.errors import UsageError, display_path
from jianbao.invocation import command
from jianbao.write.destination import check_destination
from jianbao.write.publishing import publish_site


def require_site(output: Path) -> None:
    """UsageError unless `output` holds a built site."""
    if not (output / "index.html").is_file():
        raise UsageError(f"{output.absolute()} 里还没有生成好的网站，请先运行 {command('build')}（或用 --output 指定）")


def run(args: argparse.Namespace) -> int:
    """`publish DEST`: the signed-off issues of the output folder (jianbao/release.py), and the site around them."""
    from jianbao.markup import load_content
    from jianbao.release import Release, release_of

    inputs = [args.content, args.layouts]
    check_destination(args.dest, args.output, inputs)  # a harmful DEST is refused before anything is read
    require_site(args.output)
    site, _ = load_content(args.content, strict=False)
    chosen: list[Release] = []

    def choose() -> Callable[[str], bool]:
        """Called under the build lock: the pages' status read is that of the site copied."""
        chosen.append(release_of(args.output, site, args.content))
        return chosen[0].keeps

    done = publish_site(args.output, args.dest, inputs, choose)
    release = chosen[0]
    removed = f"，删除了 {done.removed} 个已不在网站中的旧文件" if done.removed else ""
    say(
        f"已发布 {done.files} 个文件到 {display_path(args.dest)}（{len(release.published)} 期，不含生成缓存）。"
        f"其中 {done.copied} 个有更新{removed}；目标文件夹里不是 jianbao 发布的文件保持原样。",
        quiet=args.quiet,
    )
    for name, why in release.withheld.items():
        how = command("approve", name, "--by", "姓名")
        shout(f"未发布：{name}（{why}；签发后重新生成再发布：{how}）", "yellow")
    return EXIT_OK
