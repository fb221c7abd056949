"""`serve`: options → a live preview on a local address until Ctrl-C (see jianbao/preview/)."""

from __future__ import annotations

import argparse
import sys

from jianbao.cli.console import paint, say, shout


def run(args: argparse.Namespace) -> int:
    from jianbao.options import Options
    from jianbao.preview.live import serve
    from jianbao.preview.server import Address

    options = Options(args.content, args.layouts, args.output, strict=args.strict)
    log = (lambda text: print(paint(text, "dim", sys.stderr), file=sys.stderr)) if args.verbose else None
    return serve(
        options,
        Address(args.host, args.port),
        poll=args.poll,
        open_browser=args.open,
        say=lambda text: say(text, quiet=args.quiet),
        shout=lambda text: shout(text, "yellow" if text.startswith(("注意", "提示")) or "警告" in text else "red"),
        log=log,
    )
