"""The working folder + the options given → the folders a command works on (content, layouts, output).

Like git, jianbao works from any folder inside a project: without `--content`
it looks for `content/bulletin.yaml` in the working folder and then in each
folder above it, and takes layouts/ and the output folder from there. An
option given wins, relative to the working folder as typed. Previews (serve,
`build --drafts`) go to `preview/` unless told otherwise, so drafts never
land in the folder `publish` copies from.
"""

from __future__ import annotations

import argparse
from pathlib import Path

PREVIEW = "preview"  # where serve and --drafts builds write by default
OUTPUT = "output"


def find_project(start: Path) -> Path | None:
    """The nearest folder at or above `start` holding content/bulletin.yaml (None: not inside a project)."""
    start = start.absolute()
    for folder in (start, *start.parents):
        if (folder / "content" / "bulletin.yaml").is_file():
            return folder
    return None


def previews(args: argparse.Namespace) -> bool:
    """Whether the command builds drafts (serve always, build when asked)."""
    return args.command == "serve" or (args.command == "build" and bool(getattr(args, "drafts", False)))


def settle_folders(args: argparse.Namespace, cwd: Path | None = None) -> None:
    """Fill in the folders not given on the command line (in place)."""
    cwd = cwd or Path.cwd()
    root = None if args.content is not None else find_project(cwd)
    base = Path() if root is None or root.resolve() == cwd.resolve() else root
    if args.content is None:
        args.content = base / "content"
    if args.layouts is None:
        args.layouts = base / "layouts"
    if args.output is None:
        args.output = base / (PREVIEW if previews(args) else OUTPUT)
