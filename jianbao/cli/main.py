"""Command line: parse arguments (args.py), run one command (jianbao/commands/), map failures to exit codes.

Exit codes: 0 all went well, 1 the content (or a layout) has errors,
2 the command line or the environment is wrong.
"""

from __future__ import annotations

import argparse
import importlib
import signal
import sys
import traceback
from collections.abc import Callable, Sequence

from jianbao.cli.args import parse
from jianbao.cli.console import EXIT_CONTENT, EXIT_USAGE, report_problems, shout
from jianbao.errors import ContentError, JianbaoError, UsageError, escaped, os_error_message

# command → module under jianbao/commands/ with a `run(args) -> int`, imported only when run.
COMMAND_MODULES = {
    "build": "build",
    "check": "check",
    "new": "new",
    "serve": "serve",
    "import": "importer",
    "approve": "approve",
    "init": "init",
    "publish": "publish",
    "ofd-info": "ofd_info",
}


def command(name: str) -> Callable[[argparse.Namespace], int]:
    """The `run` function of command `name`."""
    module = importlib.import_module(f"jianbao.commands.{COMMAND_MODULES[name]}")
    run: Callable[[argparse.Namespace], int] = module.run
    return run


class Terminated(KeyboardInterrupt):
    """SIGTERM: unwound like Ctrl-C (staging removed, workers ended), exit code 143."""


def _terminate(signum: int, frame: object) -> None:
    raise Terminated


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; map every expected failure to a message and an exit code."""
    args = parse(sys.argv[1:] if argv is None else argv)
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        return _run(args)
    finally:
        signal.signal(signal.SIGTERM, previous)


def _run(args: argparse.Namespace) -> int:
    """`main` without the signal set-up."""
    try:
        return command(args.command)(args)
    except ContentError as exc:
        quiet = getattr(args, "quiet", False)
        report_problems([p for p in exc.problems if p.severity == "error" or not quiet])  # -q: errors only
        errors = sum(p.severity == "error" for p in exc.problems)
        warnings = len(exc.problems) - errors
        also = f"、{warnings} 条警告" if warnings and not quiet else ""
        print(f"发现 {errors} 个错误{also}，未生成任何文件（上次的输出保持不变）。", file=sys.stderr)
        return EXIT_CONTENT
    except UsageError as exc:
        if getattr(args, "verbose", False) and exc.__cause__ is not None:
            traceback.print_exception(exc.__cause__)
        shout(f"错误：{escaped(str(exc))}")
        return EXIT_USAGE
    except JianbaoError as exc:
        if getattr(args, "verbose", False) and exc.__cause__ is not None:
            traceback.print_exception(exc.__cause__)  # the technical detail behind the message
        shout(f"错误：{escaped(str(exc))}")
        if args.command != "publish":  # (publish says itself what it left in the web folder)
            print("未更新任何文件（上次的输出保持不变）。", file=sys.stderr)
        return EXIT_CONTENT
    except Terminated:
        print("已终止（收到结束信号），上次的输出保持不变。", file=sys.stderr)
        return 128 + signal.SIGTERM
    except KeyboardInterrupt:
        print("已中断，上次的输出保持不变。", file=sys.stderr)
        return 128 + signal.SIGINT
    except OSError as exc:  # a cause the user can act on: a full disk, a read-only folder, a permission
        if getattr(args, "verbose", False):
            traceback.print_exc()
        shout(f"错误：{os_error_message(exc)}")
        if args.command in ("build", "serve"):
            print("未更新任何文件（上次的输出保持不变）。", file=sys.stderr)
        return EXIT_CONTENT
    except Exception:
        if getattr(args, "verbose", False):
            traceback.print_exc()
        print("内部错误：jianbao 遇到了意外问题，请把 -v 的输出报告给维护者。", file=sys.stderr)
        return EXIT_CONTENT
