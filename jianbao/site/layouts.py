"""layouts/ → its templates (for Jinja) and its assets (for the site), read confined as content is.

A template or an asset is read only if it is a regular file inside the layouts folder once symlinks are
followed, and no larger than its kind's limit (jianbao/disk.py): a symlink to a secret file, a FIFO or a
device never reaches the site, and a stray huge file is refused by name, never read whole.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import jinja2
from jinja2.loaders import split_template_path

from jianbao import disk
from jianbao.errors import BuildError, ContentError, Problem, UnreadableError, display_path
from jianbao.load import safety


class LayoutLoader(jinja2.BaseLoader):
    """Jinja's templates from `layouts`, each read as `read_layout` reads it (reloaded when it changes)."""

    def __init__(self, layouts: Path):
        self.layouts = layouts

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        path = self.layouts.joinpath(*split_template_path(template))
        if not os.path.lexists(path):
            raise jinja2.TemplateNotFound(template)
        text = read_layout(path, self.layouts)
        stamp = _stamp(path)
        return text, str(path), lambda: _stamp(path) == stamp


def read_layout(path: Path, layouts: Path) -> str:
    """A template or style sheet of `layouts` as text; `BuildError` naming it if it cannot be used."""
    shown = display_path(path)
    if not safety.inside(path, layouts):
        raise BuildError(f"{shown}：版式文件指向版式文件夹以外（符号链接），出于安全考虑不予读取")
    try:
        return disk.read_bounded(path, disk.LAYOUT).decode("utf-8-sig")
    except UnreadableError as exc:
        raise BuildError(f"{shown}：{exc.reason}") from None
    except UnicodeDecodeError:
        raise BuildError(f"{shown}：版式文件不是 UTF-8 编码（请另存为 UTF-8）") from None


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_mtime_ns, info.st_size


def asset_names(folder: Path, prefix: str) -> list[str]:
    """The names `read_assets` gives the files below `folder`, without reading them."""
    names = disk.walk(folder).files if folder.is_dir() else []
    return [f"{prefix}/{name}" for name in names if not _hidden(name)]


def read_assets(folder: Path, prefix: str) -> dict[str, bytes]:
    """Every file below `folder` (hidden ones aside), keyed `prefix/relative/path`. A symlink out of the folder,
    a loop, a FIFO, a device or a file over the asset limit is a `ContentError` naming each; a file that
    vanished since the listing is simply not there."""
    if not folder.is_dir():
        return {}
    listing = disk.walk(folder)
    problems = [
        Problem(display_path(folder / odd.name), 0, f"网站资源{odd.cause}")
        for odd in listing.oddities
        if odd.kind != "vanished" and not _hidden(odd.name)
    ]
    files: dict[str, bytes] = {}
    for name in listing.files:
        if _hidden(name):
            continue
        try:
            files[f"{prefix}/{name}"] = disk.read_bounded(folder / name, disk.ASSET)
        except UnreadableError as exc:
            if os.path.lexists(folder / name):
                problems.append(Problem(display_path(folder / name), 0, exc.reason))
    if problems:
        raise ContentError(problems)
    return files


def _hidden(name: str) -> bool:
    return any(part.startswith(".") for part in name.split("/"))
