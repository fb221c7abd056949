"""Command line: parse arguments, run a command, print Chinese messages.

Exit codes: 0 all went well, 1 the content (or a layout) has errors,
2 the command line or the environment is wrong.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import traceback
import unicodedata
from collections.abc import Sequence
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING

from jianbao import __version__
from jianbao.cli.console import paint
from jianbao.errors import ContentError, JianbaoError, Problem, UsageError, display_path

if TYPE_CHECKING:
    from jianbao.build import Report

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2

DESCRIPTION = "简报（jianbao）：把 YAML 和 Markdown 排成红头简报 PDF 和内网网页。"
EPILOG = """示例：
  python build.py                        生成全部期刊（PDF + 网页 + 目录页）
  python build.py build 2025-08          只生成 2025-08 这一期
  python build.py check                  只检查内容，不生成文件
  python build.py new                    按最新一期的期号新建下一期（今天的日期）
  python build.py serve                  边写边预览：保存后浏览器自动刷新
  python build.py import 稿件.docx --issue 2025-08   把 Word 稿件转成文章

每个命令的详细用法：python build.py 命令 --help（例如 python build.py serve --help）
"""
BUILD_EPILOG = """示例：
  python build.py build                  生成全部期刊
  python build.py build 2025-07 2025-08  只生成这两期
  python build.py build --output 网站    输出到“网站”文件夹
  python build.py build -q               只在出错时显示信息
"""
CHECK_EPILOG = """示例：
  python build.py check                  检查全部内容
  python build.py check --strict         警告也算错误（发布前用）
  python build.py check -v               同时显示每种字体实际用的文件
  python build.py check --fix            先显示改动，再自动修正半角标点、重复标点、汉字间空格
"""
SERVE_EPILOG = """示例：
  python build.py serve                  在 http://127.0.0.1:8000/ 预览（含草稿）
  python build.py serve --port 8080      换一个端口
  python build.py serve --poll           内容在网络共享盘上时改用轮询检测修改
  python build.py serve --host 0.0.0.0   让局域网里的其他电脑也能打开预览（须明确指定）

保存文章后只重新生成它所在的那一期，浏览器自动刷新；内容有错误时页面上显示错误，改正后自动消失。
按 Ctrl-C 停止。
"""
IMPORT_EPILOG = """示例：
  python build.py import 稿件.docx --issue 2025-08
  python build.py import 稿件.docx --issue 2025-08 --name data-market
  python build.py import 粘贴.txt --issue 2025-08

支持 .docx（Word 2007 及以后）、.md 和 .txt。旧版 .doc 请先在 Word 中“另存为” .docx。
文章写到 content/issues/<期号>/NN-<名称>.md，图片放进本期的 images/ 文件夹。
"""


class _Formatter(argparse.RawDescriptionHelpFormatter):
    """Help text with a Chinese "用法：" line, its columns aligned for Chinese metavars."""

    def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[no-untyped-def]
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)

    # argparse measures and pads by characters; a Chinese character takes two columns.
    def add_argument(self, action: argparse.Action) -> None:
        super().add_argument(action)
        if action.help is not argparse.SUPPRESS:
            width = self._current_indent + _columns(self._format_action_invocation(action))
            self._action_max_length = max(self._action_max_length, width)

    def _format_action(self, action: argparse.Action) -> str:
        text = super()._format_action(action)
        head = " " * self._current_indent + self._format_action_invocation(action)
        wide = _columns(head) - len(head)
        rest = text[len(head) :]
        if wide and text.startswith(head) and len(rest) - len(rest.lstrip(" ")) >= wide + 2:
            text = head + rest[wide:]
        return text


def _columns(text: str) -> int:
    """How many terminal columns `text` takes."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


class _Parser(argparse.ArgumentParser):
    """argparse with Chinese help headings, Chinese error messages and exit code 2."""

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)
        self._positionals.title = "参数"
        self._optionals.title = "选项"

    def error(self, message: str) -> None:  # type: ignore[override]
        message = (
            message.replace("unrecognized arguments", "无法识别的参数")
            .replace("the following arguments are required", "缺少参数")
            .replace("invalid choice", "无效的命令")
            .replace("expected one argument", "需要一个值")
            .replace("invalid int value", "不是有效的整数")
            .replace("argument ", "参数 ")
        )
        self.exit(EXIT_USAGE, f"错误：{message}\n（用 --help 查看用法）\n")


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-h", "--help", action="help", help="显示帮助并退出")
    parser.add_argument(
        "--content", type=Path, default=Path("content"), metavar="目录", help="内容文件夹（默认 content）"
    )
    parser.add_argument(
        "--layouts", type=Path, default=Path("layouts"), metavar="目录", help="版式文件夹（默认 layouts）"
    )
    parser.add_argument("--output", type=Path, default=Path("output"), metavar="目录", help="输出文件夹（默认 output）")
    parser.add_argument("--strict", action="store_true", help="把警告当作错误")
    parser.add_argument("-q", "--quiet", action="store_true", help="只显示错误")
    parser.add_argument("-v", "--verbose", action="store_true", help="显示技术细节")


def _jobs(text: str) -> int:
    """--jobs: a positive whole number."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"--jobs 应为正整数，而不是“{text}”")
    return int(text)


def make_parser() -> argparse.ArgumentParser:
    """The `python build.py` argument parser."""
    parser = _Parser(
        prog="python build.py",
        description=DESCRIPTION,
        epilog=EPILOG,
        add_help=False,
    )
    parser.add_argument("-h", "--help", action="help", help="显示帮助并退出")
    parser.add_argument("--version", action="version", version=f"jianbao {__version__}", help="显示版本号")
    commands = parser.add_subparsers(dest="command", title="命令", metavar="命令", parser_class=_Parser)
    build = commands.add_parser(
        "build", help="生成 PDF 和网页（默认命令）", add_help=False, description="生成全部或指定期刊的 PDF 和网页。"
    )
    build.epilog = BUILD_EPILOG
    build.add_argument("ids", nargs="*", metavar="期号", help="只生成这些期（文件夹名，如 2025-08）")
    build.add_argument(
        "--pdf-variant",
        choices=["pdf/a-2b", "pdf/x-4", "pdf/ua-1"],
        metavar="类型",
        help="生成特定标准的 PDF：pdf/a-2b 存档用，pdf/x-4 交印刷厂，pdf/ua-1 无障碍",
    )
    build.add_argument("--drafts", action="store_true", help="同时生成草稿（draft: true 的期，不进目录页和搜索）")
    build.add_argument("--force", action="store_true", help="全部重新生成，不沿用上次未改动的结果")
    build.add_argument(
        "-j", "--jobs", type=_jobs, default=0, metavar="N", help="同时生成 PDF 的进程数（默认：CPU 核数）"
    )
    _common(build)
    check = commands.add_parser(
        "check", help="检查内容，不生成文件", add_help=False, description="检查全部内容并报告问题，不生成任何文件。"
    )
    check.epilog = CHECK_EPILOG
    _common(check)
    check.add_argument("--fix", action="store_true", help="自动修正可安全修正的标点和空格（先显示改动）")
    new = commands.add_parser(
        "new", help="新建下一期", add_help=False, description="新建下一期的文件夹，自动算出期号和总期号。"
    )
    new.add_argument("--date", type=_iso_date, metavar="YYYY-MM-DD", help="本期日期（默认今天）")
    _common(new)
    serve = commands.add_parser(
        "serve",
        help="边写边预览：保存后自动重新生成并刷新浏览器",
        add_help=False,
        description="生成全部期刊（含草稿），在本机启动预览网站，保存文件后自动重新生成并刷新浏览器。",
        epilog=SERVE_EPILOG,
    )
    serve.add_argument("--port", type=int, default=8000, metavar="端口", help="端口号（默认 8000；0 表示任选空闲端口）")
    serve.add_argument("--host", default="127.0.0.1", metavar="地址", help="监听地址（默认 127.0.0.1，只有本机能访问）")
    serve.add_argument("--poll", action="store_true", help="用轮询检测文件修改（内容在网络共享盘上时使用）")
    _common(serve)
    importer = commands.add_parser(
        "import",
        help="把 Word 稿件（.docx）或粘贴的文字转成文章",
        add_help=False,
        description="把 Word 稿件（.docx）、Markdown（.md）或纯文本（.txt）转成本期的一篇文章，图片一并导入。",
        epilog=IMPORT_EPILOG,
    )
    importer.add_argument("file", type=Path, metavar="文件", help="稿件文件（.docx、.md 或 .txt）")
    importer.add_argument("--issue", required=True, metavar="期号", help="导入到哪一期（文件夹名，如 2025-08）")
    importer.add_argument("--name", metavar="名称", help="文章文件名（不含序号和 .md；默认取稿件文件名）")
    _common(importer)
    return parser


def _iso_date(text: str) -> dt.date:
    """argparse type: a YYYY-MM-DD date."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}” 不是有效日期（应为 YYYY-MM-DD）") from None


def parse(argv: Sequence[str]) -> argparse.Namespace:
    """Parse arguments; no command means `build`, and options may come before the command."""
    argv = list(argv)
    commands = {"build", "check", "new", "serve", "import"}
    position = next((i for i, arg in enumerate(argv) if arg in commands), None)
    if position is None:
        if not any(arg in ("-h", "--help", "--version") for arg in argv):
            argv.insert(0, "build")
    elif position > 0 and all(arg.startswith("-") for arg in argv[:position]):
        argv.insert(0, argv.pop(position))  # `-q check` reads as `check -q`
    return make_parser().parse_args(argv)


def say(text: str, *, quiet: bool = False) -> None:
    """Print a message for the user (suppressed by -q)."""
    if not quiet:
        print(text, flush=True)


def shout(text: str, colour: str = "red") -> None:
    """Print a message to stderr (in colour on a terminal)."""
    print(paint(text, colour, sys.stderr), file=sys.stderr, flush=True)


def report_problems(problems: Sequence[Problem]) -> None:
    for problem in problems:
        shout(str(problem), "red" if problem.severity == "error" else "yellow")


def run_build(args: argparse.Namespace) -> int:
    from jianbao.pdf.workers import RenderPool, default_jobs
    from jianbao.publish.manifest import MANIFEST

    # A forced or first build will render: start the workers now, so loading WeasyPrint in them
    # overlaps loading jianbao and the content here.
    workers = min(default_jobs(args.jobs), len(args.ids) or default_jobs(args.jobs))
    surely_renders = args.force or not (args.output / MANIFEST).is_file()
    with RenderPool.start(workers) if surely_renders else nullcontext() as pool:
        from jianbao.build import Options, build
        from jianbao.cli.progress import progress_bar

        options = Options(
            args.content,
            args.layouts,
            args.output,
            tuple(args.ids),
            args.strict,
            args.drafts,
            pdf_variant=args.pdf_variant,
            jobs=args.jobs,
            force=args.force,
        )
        with progress_bar(args.quiet) as progress:
            report = build(options, progress, pool)
    report_problems(report.warnings)
    for notice in report.notices:
        print(f"提示：{notice}", file=sys.stderr)
    for message, ids in failures_by_message(report.failures, args.verbose):
        print(f"错误：{ids} 生成失败：{message}", file=sys.stderr)
    say(summary(report), quiet=args.quiet)
    if report.failures:
        print(f"{len(report.failures)} 期生成失败（这些期上次的输出保持不变），其余各期已生成。", file=sys.stderr)
        return EXIT_CONTENT
    return EXIT_OK


def failures_by_message(failures: dict[str, str], verbose: bool = False) -> list[tuple[str, str]]:
    """(message, issues) pairs: a layout error that fails every issue is said once, not 150 times.

    An internal error's traceback (after its first line) is kept only when `verbose`.
    """
    grouped: dict[str, list[str]] = {}
    for issue_id, message in sorted(failures.items()):
        if message.startswith("内部错误") and not verbose:
            message = message.split("\n", 1)[0]
        grouped.setdefault(message, []).append(issue_id)
    return [
        (message, "、".join(ids) if len(ids) <= 3 else f"{ids[0]} 等 {len(ids)} 期") for message, ids in grouped.items()
    ]


def summary(report: Report) -> str:
    """`已生成 150 期：PDF 150，网页 150，用时 41.2 秒` (PDFs reused from the last build counted apart)."""
    built = len(report.built)
    reused = built - len(report.rendered)
    pdfs = f"PDF {len(report.rendered)}" + (f"（另 {reused} 份未改动，沿用上次）" if reused else "")
    return f"已生成 {built} 期：{pdfs}，网页 {built}，用时 {report.seconds:.1f} 秒"


def run_check(args: argparse.Namespace) -> int:
    from jianbao.load.content import load_site
    from jianbao.load.lint import apply_fixes, fix_diff, lint_site
    from jianbao.pdf.fonts import environment_warnings, resolve_fonts

    site, warnings = load_site(args.content, strict=args.strict)
    fonts = resolve_fonts(args.content.parent / "fonts")
    reports = lint_site(site, args.content, fonts)
    if args.fix:
        diff, changes = fix_diff(reports)
        say(diff.rstrip("\n"), quiet=args.quiet or not diff)
        say(f"已自动修正 {apply_fixes(changes)} 个文件。", quiet=args.quiet)
        site, warnings = load_site(args.content, strict=args.strict)
        reports = lint_site(site, args.content, fonts)
    findings = [p for report in reports for p in report.problems(args.strict)] + fonts.problems()
    if any(p.severity == "error" for p in findings):
        raise ContentError(warnings + findings)
    warnings = sorted(warnings + findings)
    report_problems(warnings)
    if args.verbose:
        say("字体：" + "；".join(fonts.describe()))
    for notice in environment_warnings(fonts):
        print(f"提示：{notice}", file=sys.stderr)
    say(f"检查完毕：{len(site.issues)} 期，{len(warnings)} 条警告，没有错误。", quiet=args.quiet)
    return EXIT_OK


def run_new(args: argparse.Namespace) -> int:
    from jianbao.commands.new import create_issue, next_issue
    from jianbao.load.content import load_site

    site, _ = load_site(args.content, strict=False)
    issue = next_issue(site, args.date or dt.date.today())
    folder = create_issue(args.content, issue)
    say(f"已新建第{issue.number}期（总第{issue.total}期，{issue.date}）：{display_path(folder)}")
    return EXIT_OK


def run_serve(args: argparse.Namespace) -> int:
    from jianbao.build import Options
    from jianbao.preview.server import Address, serve

    options = Options(args.content, args.layouts, args.output, strict=args.strict)
    log = (lambda text: print(paint(text, "dim", sys.stderr), file=sys.stderr)) if args.verbose else None
    return serve(
        options,
        Address(args.host, args.port),
        poll=args.poll,
        say=lambda text: say(text, quiet=args.quiet),
        shout=lambda text: shout(text, "yellow" if text.startswith(("注意", "提示")) or "警告" in text else "red"),
        log=log,
    )


def run_import(args: argparse.Namespace) -> int:
    from jianbao.commands.importer import import_manuscript
    from jianbao.model import ISSUE_ID_RE

    if not ISSUE_ID_RE.match(args.issue):  # it names a folder: no path tricks
        raise UsageError(f"期号“{args.issue}”只能用小写字母、数字和连字符（如 2025-08）")
    result = import_manuscript(args.file, args.content / "issues" / args.issue, args.name)
    for path in result.written:
        say(f"已写入 {display_path(path)}", quiet=args.quiet)
    for line in result.summary:
        say(f"  {line}", quiet=args.quiet)
    for line in result.lost:
        shout(f"未能转换：{line}", "yellow")
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; map every expected failure to a message and an exit code."""
    args = parse(sys.argv[1:] if argv is None else argv)
    try:
        commands = {"build": run_build, "check": run_check, "new": run_new, "serve": run_serve, "import": run_import}
        return commands[args.command](args)
    except ContentError as exc:
        report_problems(exc.problems)
        errors = sum(p.severity == "error" for p in exc.problems)
        print(f"发现 {errors} 个错误，未生成任何文件（上次的输出保持不变）。", file=sys.stderr)
        return EXIT_CONTENT
    except UsageError as exc:
        if getattr(args, "verbose", False) and exc.__cause__ is not None:
            traceback.print_exception(exc.__cause__)
        shout(f"错误：{exc}")
        return EXIT_USAGE
    except JianbaoError as exc:
        if getattr(args, "verbose", False) and exc.__cause__ is not None:
            traceback.print_exception(exc.__cause__)  # the technical detail behind the message
        shout(f"错误：{exc}")
        print("未更新任何文件（上次的输出保持不变）。", file=sys.stderr)
        return EXIT_CONTENT
    except KeyboardInterrupt:
        print("已中断，上次的输出保持不变。", file=sys.stderr)
        return 130
    except Exception:
        if getattr(args, "verbose", False):
            traceback.print_exc()
        print("内部错误：jianbao 遇到了意外问题，请把 -v 的输出报告给维护者。", file=sys.stderr)
        return EXIT_CONTENT
