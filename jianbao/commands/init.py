"""`init DIR`: a new bulletin's project folder — a commented bulletin.yaml, an empty issues/, the layouts.

Refuses a folder that already holds files. Says what to set next and how to
start at 第N期（总第M期）.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from jianbao.cli.console import EXIT_OK, say
from jianbao.errors import UsageError, display_path
from jianbao.invocation import command, shell_word
from jianbao.scaffold import bulletin_template

# The default layouts: package data (in a checkout, jianbao/layouts links to the top-level layouts/).
LAYOUTS = Path(__file__).resolve().parent.parent / "layouts"

GITIGNORE = "/output/\n/preview/\n/.output.*\n/.preview.*\n/fonts/\n/.cache/\n"  # beside them: records, shadow, lock


def create_project(folder: Path) -> list[Path]:
    """Write the new project; refuse a folder that is not empty."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise UsageError(f"{display_path(folder)} 已存在且不是空文件夹，不会覆盖（请换一个新文件夹名）")
    content = folder / "content"
    (content / "issues").mkdir(parents=True)
    (content / "bulletin.yaml").write_text(bulletin_template(), encoding="utf-8")
    written = [content / "bulletin.yaml", content / "issues"]
    if LAYOUTS.is_dir():
        shutil.copytree(LAYOUTS, folder / "layouts")
        written.append(folder / "layouts")
    (folder / ".gitignore").write_text(GITIGNORE, encoding="utf-8")
    return written


def run(args: argparse.Namespace) -> int:
    """`init DIR`: write the project and say what to do next."""
    folder = args.folder
    for path in create_project(folder):
        say(f"已建立 {display_path(path)}", quiet=args.quiet)
    say(
        "下一步：\n"
        f"  1. 打开 {shell_word(display_path(folder / 'content' / 'bulletin.yaml'))}，"
        "改成自己的刊名、主办单位、报送范围等；\n"
        f"  2. cd {shell_word(display_path(folder))}\n"
        f"  3. {command('new', '--number', '12', '--total', '86')}\n"
        "     （把 12、86 换成下一期的期号和总期号；从第1期开始就省去这两项）\n"
        f"  4. {command('serve', '--open')}   边写边预览（在项目的任何子文件夹里运行都可以）",
        quiet=args.quiet,
    )
    return EXIT_OK
