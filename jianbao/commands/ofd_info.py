"""`ofd-info FILE`: an OFD file → its document info, outline, fonts and each page's text, on stdout.

Read with jianbao's own parser (jianbao/ofd/reader.py), so an edition can be
checked without an OFD reader; structural problems (jianbao/ofd/check.py)
are listed on stderr and make the exit code 1.
"""

from __future__ import annotations

import argparse
import sys

from jianbao.cli.console import EXIT_CONTENT, EXIT_OK
from jianbao.errors import BuildError, os_error_message

INFO_LABELS = {
    "Title": "标题",
    "Author": "作者",
    "Subject": "主题",
    "CreationDate": "创建日期",
    "ModDate": "修改日期",
    "Creator": "生成程序",
    "CreatorVersion": "程序版本",
    "DocID": "文档标识",
}


def run(args: argparse.Namespace) -> int:
    from jianbao.ofd.check import problems
    from jianbao.ofd.reader import read_ofd

    try:
        data = args.file.read_bytes()
    except OSError as exc:
        raise BuildError(os_error_message(exc)) from exc
    document = read_ofd(data)
    for key, label in INFO_LABELS.items():
        if document.info.get(key):
            print(f"{label}：{document.info[key]}")
    for name, value in document.custom.items():
        print(f"{name}：{value}")
    box = document.page_box
    size = f"{box[2]:g} × {box[3]:g} mm" if len(box) == 4 else "未知"
    print(f"页数：{len(document.pages)}（页面 {size}）")
    for font in document.fonts.values():
        embedded = "已嵌入" if font.file else "未嵌入"
        print(f"字体：{font.family or font.name}（{font.name}，{embedded}）")
    print_outline(document.outline, 0)
    if not args.quiet:
        for number, page in enumerate(document.pages, 1):
            print(f"\n—— 第 {number} 页 ——")
            for line in page.lines():
                print(line)
    found = problems(data)
    for problem in found:
        print(f"问题：{problem}", file=sys.stderr)
    return EXIT_CONTENT if found else EXIT_OK


def print_outline(entries: tuple[object, ...], depth: int) -> None:
    """The outline, indented by level, each entry with its page."""
    from jianbao.ofd.reader import Outline

    for entry in entries:
        if isinstance(entry, Outline):
            where = f"第 {entry.page + 1} 页" if entry.page >= 0 else "无页面"
            indent = "目录：" if depth == 0 else "　" * (depth + 2)
            print(f"{indent}{entry.title}（{where}）")
            print_outline(entry.children, depth + 1)
