"""Command line: parse arguments, run a command, print Chinese messages.

Exit codes: 0 all went well, 1 the content (or a layout) has errors,
2 the command line or the environment is wrong.
"""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Sequence
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING

from jianbao import __version__
from jianbao.errors import ContentError, JianbaoError, Problem, UsageError

if TYPE_CHECKING:
    from jianbao.build import Report

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2

DESCRIPTION = "简报（jianbao）：把 YAML 和 Markdown 排成红头简报 PDF 和内网网页。"
EPILOG = """示例：
  python build.py                 生成全部期刊（PDF + 网页 + 目录页）
  python build.py build 2025-08   只生成 2025-08 这一期
  python build.py check           只检查内容，不生成文件
"""


class _Parser(argparse.ArgumentParser):
    """argparse with Chinese error messages and exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        message = (
            message.replace("unrecognized arguments", "无法识别的参数")
            .replace("the following arguments are required", "缺少参数")
            .replace("invalid choice", "无效的命令")
            .replace("expected one argument", "需要一个值")
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
        formatter_class=argparse.RawDescriptionHelpFormatter,
        add_help=False,
    )
    parser.add_argument("-h", "--help", action="help", help="显示帮助并退出")
    parser.add_argument("--version", action="version", version=f"jianbao {__version__}", help="显示版本号")
    commands = parser.add_subparsers(dest="command", title="命令", metavar="命令", parser_class=_Parser)
    build = commands.add_parser(
        "build", help="生成 PDF 和网页（默认命令）", add_help=False, description="生成全部或指定期刊的 PDF 和网页。"
    )
    build.add_argument("ids", nargs="*", metavar="期号", help="只生成这些期（文件夹名，如 2025-08）")
    build.add_argument("--force", action="store_true", help="全部重新生成，不沿用上次未改动的结果")
    build.add_argument(
        "-j", "--jobs", type=_jobs, default=0, metavar="N", help="同时生成 PDF 的进程数（默认：CPU 核数）"
    )
    _common(build)
    check = commands.add_parser(
        "check", help="检查内容，不生成文件", add_help=False, description="检查全部内容并报告问题，不生成任何文件。"
    )
    _common(check)
    return parser


def parse(argv: Sequence[str]) -> argparse.Namespace:
    """Parse arguments; no command means `build`."""
    argv = list(argv)
    commands = {"build", "check"}
    if not any(arg in commands for arg in argv) and not any(arg in ("-h", "--help", "--version") for arg in argv):
        argv.insert(0, "build")
    return make_parser().parse_args(argv)


def say(text: str, *, quiet: bool = False) -> None:
    """Print a message for the user (suppressed by -q)."""
    if not quiet:
        print(text, flush=True)


def report_problems(problems: Sequence[Problem]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)


def run_build(args: argparse.Namespace) -> int:
    from jianbao.cache import MANIFEST
    from jianbao.pool import RenderPool, default_jobs

    # A forced or first build will render: start the workers now, so loading WeasyPrint in them
    # overlaps loading jianbao and the content here.
    workers = min(default_jobs(args.jobs), len(args.ids) or default_jobs(args.jobs))
    surely_renders = args.force or not (args.output / MANIFEST).is_file()
    with RenderPool.start(workers) if surely_renders else nullcontext() as pool:
        from jianbao.build import Options, build
        from jianbao.progress import progress_bar

        options = Options(
            args.content, args.layouts, args.output, tuple(args.ids), args.strict, jobs=args.jobs, force=args.force
        )
        with progress_bar(args.quiet) as progress:
            report = build(options, progress, pool)
    report_problems(report.warnings)
    for notice in report.notices:
        print(f"提示：{notice}", file=sys.stderr)
    for message, ids in failures_by_message(report.failures):
        print(f"错误：{ids} 生成失败：{message}", file=sys.stderr)
    say(summary(report), quiet=args.quiet)
    if report.failures:
        print(f"{len(report.failures)} 期生成失败（这些期上次的输出保持不变），其余各期已生成。", file=sys.stderr)
        return EXIT_CONTENT
    return EXIT_OK


def failures_by_message(failures: dict[str, str]) -> list[tuple[str, str]]:
    """(message, issues) pairs: a layout error that fails every issue is said once, not 150 times."""
    grouped: dict[str, list[str]] = {}
    for issue_id, message in sorted(failures.items()):
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
    from jianbao.content import load_site
    from jianbao.fonts import environment_warnings, resolve_fonts

    site, warnings = load_site(args.content, strict=args.strict)
    report_problems(warnings)
    fonts = resolve_fonts(args.content.parent / "fonts")
    if args.verbose:
        say("字体：" + "；".join(fonts.describe()))
    for notice in environment_warnings(fonts):
        print(f"提示：{notice}", file=sys.stderr)
    say(f"检查完毕：{len(site.issues)} 期，{len(warnings)} 条警告，没有错误。", quiet=args.quiet)
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; map every expected failure to a message and an exit code."""
    args = parse(sys.argv[1:] if argv is None else argv)
    try:
        return {"build": run_build, "check": run_check}[args.command](args)
    except ContentError as exc:
        report_problems(exc.problems)
        errors = sum(p.severity == "error" for p in exc.problems)
        print(f"发现 {errors} 个错误，未生成任何文件（上次的输出保持不变）。", file=sys.stderr)
        return EXIT_CONTENT
    except UsageError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_USAGE
    except JianbaoError as exc:
        print(f"错误：{exc}", file=sys.stderr)
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
