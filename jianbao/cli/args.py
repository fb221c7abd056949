"""Command-line arguments → an `argparse.Namespace`; all of argparse's Chinese lives here.

argparse has no public translation hook except gettext, whose catalogue is
chosen by the user's locale. So this module keeps the catalogue itself:
`MESSAGES` maps each message argparse passes to gettext (its msgid, kept
verbatim) to a Chinese template, and `translate` turns a finished English
message back into its msgid's fields and fills the Chinese template, through
the public `ArgumentParser.error`; argument groups get Chinese titles. A
message argparse adds in a later release stays English (tests/test_cli_habits.py
checks every msgid still exists in the installed argparse). The help text's
"用法：" and its columns come from a formatter that reaches into argparse's
internals, kept apart in helpformat.py.

Options common to all commands may come before or after the command
(`python build.py --output 网站 check` = `python build.py check --output 网站`);
no command means `build`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from jianbao import __version__
from jianbao.cli.helpformat import formatter_class
from jianbao.cli.project import settle_folders

EXIT_USAGE = 2
COMMANDS = ("build", "check", "new", "serve", "import", "approve", "init", "publish", "ofd-info")
_VALUED: set[str] = set()  # option strings, of any command, followed by a value (filled by Parser)

# argparse's msgid → Chinese. Fields are named as in the msgid; `%s`/`%r` without a name become f0, f1…
MESSAGES = {
    "unrecognized arguments: %s": "无法识别的参数：{f0}",
    "the following arguments are required: %s": "缺少参数：{f0}",
    "argument %(argument_name)s: %(message)s": "参数 {argument_name}: {message}",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选择 {value}（可选：{choices}）",
    "invalid %(type)s value: %(value)r": "不是有效的{type}：{value}",
    "expected one argument": "需要一个值",
    "expected at most one argument": "最多只能有一个值",
    "expected at least one argument": "至少需要一个值",
    "expected %s argument": "需要 {f0} 个值",
    "expected %s arguments": "需要 {f0} 个值",
    "ambiguous option: %(option)s could match %(matches)s": "选项 {option} 不明确，可能是 {matches}",
    "not allowed with argument %s": "不能与参数 {f0} 同时使用",
    "ignored explicit argument %r": "多余的值 {f0}",
    "one of the arguments %s is required": "须提供以下参数之一：{f0}",
    "unexpected option string: %s": "意外的选项 {f0}",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "没有命令 {parser_name}（可选：{choices}）",
    "can't open '%(filename)s': %(error)s": "无法打开“{filename}”：{error}",
}
TYPE_NAMES = {"int": "整数", "float": "数字"}


def _pattern(msgid: str) -> re.Pattern[str]:
    """A regex that matches `msgid` once argparse has filled in its fields."""
    parts, count = [], 0
    for piece in re.split(r"(%\(\w+\)[rs]|%[rs])", msgid):
        if named := re.fullmatch(r"%\((\w+)\)[rs]", piece):
            parts.append(f"(?P<{named[1]}>.+?)")
        elif piece in ("%s", "%r"):
            parts.append(f"(?P<f{count}>.+?)")
            count += 1
        else:
            parts.append(re.escape(piece))
    return re.compile("".join(parts), re.DOTALL)


_PATTERNS = [(_pattern(msgid), chinese) for msgid, chinese in MESSAGES.items()]


def translate(message: str) -> str:
    """An argparse message in Chinese (nested messages too); unknown messages unchanged."""
    for pattern, chinese in _PATTERNS:
        if match := pattern.fullmatch(message):
            fields = {key: _field(key, value) for key, value in match.groupdict().items()}
            return chinese.format(**fields)
    return message


def _field(key: str, value: str) -> str:
    if key == "message":
        return translate(value)
    if key == "type":
        return TYPE_NAMES.get(value, value)
    quoted = re.sub(r"'([^']*)'", r"“\1”", value)  # %r of strings: 'x' → “x”
    return quoted.replace("”, “", "”、“")  # a list of choices


class Parser(argparse.ArgumentParser):
    """argparse with Chinese group titles, Chinese error messages and exit code 2."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", formatter_class())
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        # Our own groups: argparse's default ones ("positional arguments", "options") stay empty and unshown.
        self.arguments = self.add_argument_group("参数")
        self.options = self.add_argument_group("选项")

    def add_argument(self, *args: Any, **kwargs: Any) -> argparse.Action:
        optional = bool(args) and isinstance(args[0], str) and args[0][:1] in self.prefix_chars
        action = (self.options if optional else self.arguments).add_argument(*args, **kwargs)
        if action.option_strings and action.nargs != 0:
            _VALUED.update(action.option_strings)
        return action

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_USAGE, f"错误：{translate(message)}\n（用 --help 查看用法）\n")


DESCRIPTION = "简报（jianbao）：把 YAML 和 Markdown 排成红头简报 PDF 和内网网页。"
EPILOG = """示例：
  python build.py                        生成全部期刊（PDF + 网页 + 目录页）
  python build.py build 2025-08          只生成 2025-08 这一期
  python build.py check                  只检查内容，不生成文件
  python build.py new                    按最新一期的期号新建下一期（今天的日期）
  python build.py serve --open           边写边预览：保存后浏览器自动刷新
  python build.py import 稿件.docx       把 Word 稿件转成最新一期的文章
  python build.py init ../我的简报        为自己的刊物建立新的项目文件夹

公共选项（--content、--layouts、--output、--strict、-q、-v）写在命令前后都可以。
每个命令的详细用法：python build.py 命令 --help（例如 python build.py serve --help）
"""
BUILD_EPILOG = """示例：
  python build.py build                  生成全部期刊
  python build.py build 2025-07 2025-08  只生成这两期
  python build.py build --output 网站    输出到“网站”文件夹
  python build.py build -q               只在出错时显示信息
  python build.py build --no-docx        只生成 PDF 和网页，不生成 Word 版

只生成部分期刊时，其余各期沿用输出文件夹里已有的结果；目录页只列出输出文件夹里确实有的期。
每期除 PDF 和网页外还生成 Word 版 <期号>/<期号>.docx：版式同 PDF，可在 Word、WPS 中修改，
改过的稿子可用 import 导回为 Markdown。
"""
CHECK_EPILOG = """示例：
  python build.py check                  检查全部内容
  python build.py check --strict         警告也算错误（发布前用）
  python build.py check -v               同时显示每种字体实际用的文件
  python build.py check --fix            显示可自动修正的改动，确认后写入
  python build.py check --fix --yes      不询问，直接修正
  python build.py check --layout         排版后列出每期的页数和末尾留空的页（及原因），不写入任何文件
"""
NEW_EPILOG = """示例：
  python build.py new                    按最新一期的期号新建下一期（今天的日期）
  python build.py new --date 2026-03-01  指定本期日期
  python build.py new --number 12 --total 86   从第12期（总第86期）开始编号（换成自己的刊物时用）
"""
SERVE_EPILOG = """示例：
  python build.py serve                  在 http://127.0.0.1:8000/ 预览（含草稿，生成到 preview/）
  python build.py serve --open           同时在浏览器中打开预览
  python build.py serve --port 8080      换一个端口
  python build.py serve --poll           内容在网络共享盘上时改用轮询检测修改
  python build.py serve --host 0.0.0.0   让局域网里的其他电脑也能打开预览（须明确指定）

保存文章后只重新生成它所在的那一期，浏览器自动刷新；内容有错误时页面上显示错误，改正后自动消失。
按 Ctrl-C 停止。
"""
IMPORT_EPILOG = """示例：
  python build.py import 稿件.docx                  导入到最新一期
  python build.py import 稿件.docx --issue 2025-08
  python build.py import 稿件.docx --issue 2025-08 --name data-market
  python build.py import 修改稿.docx --replace 02-data-market.md   用修改稿替换已导入的文章
  python build.py import 粘贴.txt --issue 2025-08

支持 .docx（Word 2007 及以后）、.md 和 .txt。旧版 .doc 请先在 Word 中“另存为” .docx。
文章写到 content/issues/<期号>/NN-<名称>.md，图片放进本期的 images/ 文件夹。
"""


INIT_EPILOG = """示例：
  python build.py init ../我的简报          建立项目文件夹，然后按提示修改 bulletin.yaml

接着在新文件夹里用 new --number N --total M 从第N期（总第M期）开始编号。详见 README“换成自己的刊物”。
"""


PUBLISH_EPILOG = """示例：
  python build.py                                  先生成
  python build.py publish /srv/www/jianbao         再发布到网站目录
  python build.py publish /mnt/内网共享/简报 --output 网站

只发布已签发（status: 签发）的期，送审稿留下不发布；输出文件夹里有草稿、或签发后还没重新生成时拒绝发布。
新版先在目标旁边复制好，再一步换上；目标里若有不是 jianbao 发布的文件，不会覆盖。
以“.”开头的隐藏文件不会复制过去（生成记录本来就在输出文件夹旁边，不在其中）。
"""


APPROVE_EPILOG = """示例：
  python build.py approve 2026-12 --by 王建国                 今天签发 2026-12
  python build.py approve 2026-12 --by 王建国 --date 2026-03-09

签发后重新生成（去掉“送审稿”标记），再用 publish 发布；publish 只发布已签发的期。
"""


OFD_INFO_EPILOG = """示例：
  python build.py ofd-info output/2025-08/2025-08.ofd        列出文档信息、目录和每页文字
  python build.py ofd-info output/2025-08/2025-08.ofd -q     只列文档信息、目录和字体

文件结构有问题时逐条列出，退出码为 1。
"""


def _common(parser: Parser) -> None:
    parser.add_argument("-h", "--help", action="help", help="显示帮助并退出")
    parser.add_argument(
        "--content", type=Path, metavar="目录", help="内容文件夹（默认：本文件夹或上层文件夹里的 content）"
    )
    parser.add_argument("--layouts", type=Path, metavar="目录", help="版式文件夹（默认：项目里的 layouts）")
    parser.add_argument(
        "--output", type=Path, metavar="目录", help="输出文件夹（默认：项目里的 output；预览和草稿为 preview）"
    )
    parser.add_argument("--strict", action="store_true", help="把警告当作错误")
    parser.add_argument("-q", "--quiet", action="store_true", help="只显示错误")
    parser.add_argument("-v", "--verbose", action="store_true", help="显示技术细节")


def _positive(option: str) -> Callable[[str], int]:
    """argparse type of `option`: a positive whole number (--jobs, --number, --total)."""

    def parse(text: str) -> int:
        if not text.isdigit() or int(text) < 1:
            raise argparse.ArgumentTypeError(f"{option} 应为正整数，而不是“{text}”")
        return int(text)

    return parse


def _iso_date(text: str) -> dt.date:
    """argparse type: a YYYY-MM-DD date."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}” 不是有效日期（应为 YYYY-MM-DD）") from None


def make_parser() -> argparse.ArgumentParser:
    """The `python build.py` argument parser."""
    parser = Parser(prog="python build.py", description=DESCRIPTION, epilog=EPILOG)
    parser.add_argument("-h", "--help", action="help", help="显示帮助并退出")
    parser.add_argument("--version", action="version", version=f"jianbao {__version__}", help="显示版本号")
    commands = parser.add_subparsers(dest="command", title="命令", metavar="命令", parser_class=Parser)

    build = commands.add_parser(
        "build",
        help="生成 PDF 和网页（默认命令）",
        description="生成全部或指定期刊的 PDF 和网页。",
        epilog=BUILD_EPILOG,
    )
    build.add_argument("ids", nargs="*", metavar="期号", help="只生成这些期（文件夹名，如 2025-08）")
    build.add_argument(
        "--pdf-variant",
        choices=["pdf/a-2b", "pdf/x-4", "pdf/ua-1"],
        metavar="类型",
        help="生成特定标准的 PDF：pdf/a-2b 存档用，pdf/x-4 交印刷厂，pdf/ua-1 无障碍",
    )
    build.add_argument(
        "--no-docx",
        action="store_true",
        help="不生成 Word 版（<期号>.docx，默认与 PDF 一同生成），网页上也不给出 Word 版链接",
    )
    build.add_argument(
        "--drafts", action="store_true", help="同时生成草稿（status: 草稿 的期；默认生成到 preview/，不要发布）"
    )
    build.add_argument(
        "--no-ofd", action="store_true", help="不生成 OFD 版（GB/T 33190 版式文件；默认与 PDF 一同生成）"
    )
    build.add_argument("--force", action="store_true", help="全部重新生成，不沿用上次未改动的结果")
    build.add_argument(
        "-j", "--jobs", type=_positive("--jobs"), default=0, metavar="N", help="同时生成 PDF 的进程数（默认：CPU 核数）"
    )
    _common(build)

    check = commands.add_parser(
        "check",
        help="检查内容，不生成文件",
        description="检查全部内容并报告问题，不生成任何文件。",
        epilog=CHECK_EPILOG,
    )
    _common(check)
    check.add_argument("--fix", action="store_true", help="显示可自动修正的标点和空格，确认后写入")
    check.add_argument("-y", "--yes", action="store_true", help="与 --fix 一起用：不询问，直接写入")
    check.add_argument(
        "--layout", action="store_true", help="把各期排成 PDF（不写入文件），列出页数和末尾留空两行以上的页及原因"
    )

    new = commands.add_parser(
        "new", help="新建下一期", description="新建下一期的文件夹，自动算出期号和总期号。", epilog=NEW_EPILOG
    )
    new.add_argument("--date", type=_iso_date, metavar="YYYY-MM-DD", help="本期日期（默认今天）")
    new.add_argument(
        "--number", type=_positive("--number"), metavar="N", help="本期期号（默认接着最新一期；换成自己的刊物时用）"
    )
    new.add_argument("--total", type=_positive("--total"), metavar="M", help="本期总期号（默认接着最新一期）")
    _common(new)

    serve = commands.add_parser(
        "serve",
        help="边写边预览：保存后自动重新生成并刷新浏览器",
        description="生成全部期刊（含草稿），在本机启动预览网站，保存文件后自动重新生成并刷新浏览器。",
        epilog=SERVE_EPILOG,
    )
    serve.add_argument("--port", type=int, default=8000, metavar="端口", help="端口号（默认 8000；0 表示任选空闲端口）")
    serve.add_argument("--host", default="127.0.0.1", metavar="地址", help="监听地址（默认 127.0.0.1，只有本机能访问）")
    serve.add_argument("--poll", action="store_true", help="用轮询检测文件修改（内容在网络共享盘上时使用）")
    serve.add_argument("--open", action="store_true", help="启动后在默认浏览器中打开预览")
    _common(serve)

    importer = commands.add_parser(
        "import",
        help="把 Word 稿件（.docx）或粘贴的文字转成文章",
        description="把 Word 稿件（.docx）、Markdown（.md）或纯文本（.txt）转成本期的一篇文章，图片一并导入。",
        epilog=IMPORT_EPILOG,
    )
    importer.add_argument("file", type=Path, metavar="文件", help="稿件文件（.docx、.md 或 .txt）")
    importer.add_argument("--issue", metavar="期号", help="导入到哪一期（文件夹名，如 2025-08；默认最新一期）")
    importer.add_argument("--name", metavar="名称", help="文章文件名（不含序号和 .md；默认取稿件文件名）")
    importer.add_argument("--replace", metavar="文章", help="用这份稿件替换本期已有的文章（如 02-data-market.md）")
    _common(importer)

    init = commands.add_parser(
        "init",
        help="为自己的刊物建立一个新的项目文件夹",
        description="建立新刊物的项目文件夹：带说明的 content/bulletin.yaml、空的 content/issues/、版式 layouts/。",
        epilog=INIT_EPILOG,
    )
    init.add_argument("folder", type=Path, metavar="文件夹", help="新建的项目文件夹（不能已有文件）")
    _common(init)

    approve = commands.add_parser(
        "approve",
        help="签发一期：在 issue.yaml 里写上 status: 签发、签发人和签发日期",
        description="签发一期：在它的 issue.yaml 里写上 status: 签发、签发人和签发日期（其余内容和注释不变）。",
        epilog=APPROVE_EPILOG,
    )
    approve.add_argument("issue", metavar="期号", help="要签发的期（文件夹名，如 2026-12）")
    approve.add_argument("--by", required=True, metavar="姓名", help="签发人")
    approve.add_argument("--date", type=_iso_date, metavar="YYYY-MM-DD", help="签发日期（默认今天）")
    _common(approve)

    publish = commands.add_parser(
        "publish",
        help="把生成好的网站里已签发的各期复制到网站目录（不含生成缓存）",
        description="把输出文件夹里生成好的网站复制到网站目录（如内网服务器的目录或挂载的共享盘），一步换上新版。",
        epilog=PUBLISH_EPILOG,
    )
    publish.add_argument("dest", type=Path, metavar="目标文件夹", help="网站目录（不存在则新建）")
    _common(publish)

    ofd_info = commands.add_parser(
        "ofd-info",
        help="列出 OFD 文件的文档信息、目录和每页文字",
        description="读取 OFD 文件（GB/T 33190），列出文档信息、目录、字体和每页文字，并检查文件结构。",
        epilog=OFD_INFO_EPILOG,
    )
    ofd_info.add_argument("file", type=Path, metavar="文件", help="OFD 文件（如 output/2025-08/2025-08.ofd）")
    _common(ofd_info)
    return parser


def parse(argv: Sequence[str]) -> argparse.Namespace:
    """Parse arguments; no command means `build`, and options may come before the command."""
    parser = make_parser()
    argv = list(argv)
    position, skip = None, False
    for index, arg in enumerate(argv):
        if skip:
            skip = False
        elif arg in _VALUED:
            skip = True  # `--output 网站`: 网站 is a value, not a command
        elif not arg.startswith("-"):
            position = index
            break
    if position is None or argv[position] not in COMMANDS:
        if not any(arg in ("-h", "--help", "--version") for arg in argv) or position is not None:
            argv.insert(0, "build")
    elif position > 0:
        argv.insert(0, argv.pop(position))  # `--output 网站 check` reads as `check --output 网站`
    args = parser.parse_args(argv)
    if hasattr(args, "content"):
        settle_folders(args)
    return args
