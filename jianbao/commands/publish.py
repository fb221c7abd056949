"""`publish DEST`: the built site (the output folder) → the intranet web folder, beside what others keep there.

The mechanics (the build lock, the marker of what jianbao published, copying only its own paths) are
jianbao/write/publishing.py; this command chooses the folders and says what was done.
"""

from __future__ import annotations

import argparse

from jianbao.cli.console import EXIT_OK, say
from jianbao.errors import display_path
from jianbao.write.publishing import publish_site


def run(args: argparse.Namespace) -> int:
    """`publish DEST`."""
    done = publish_site(args.output, args.dest, [args.content, args.layouts])
    removed = f"，删除了 {done.removed} 个已不在网站中的旧文件" if done.removed else ""
    say(
        f"已发布 {done.files} 个文件到 {display_path(args.dest)}（{done.copied} 个有更新{removed}；不含生成缓存，"
        "文件夹里不是 jianbao 发布的文件保持原样）",
        quiet=args.quiet,
    )
    return EXIT_OK
