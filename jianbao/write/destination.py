"""A publish destination asked for → refused at once (UsageError) where publishing would do harm, or what
jianbao published there before (the marker) and what of its own it left there when it was stopped.

DEST is the intranet web server's folder, or a share it reads: a folder others write to as well (IT's
`.htaccess` or `web.config`, a colleague's 附件.pdf). jianbao records every path it published in
`DEST/.jianbao-published` and only ever writes, replaces or deletes those paths.
"""

from __future__ import annotations

import os
import re
import shutil
from contextlib import suppress
from pathlib import Path, PurePosixPath

from jianbao import disk
from jianbao.errors import UnreadableError, UsageError, display_path
from jianbao.files import is_temporary

MARKER = ".jianbao-published"  # each path published (a folder it made ends in "/"), one a line
TEMPORARY_SUFFIX = ".jianbao-publishing"  # a file being copied in: `.<name>.jianbao-publishing`
OLD_COPY = re.compile(r"^\..+\.publishing-[A-Za-z0-9_]{8}$")  # what an earlier publish swapped in from


def check_destination(dest: Path, output: Path, inputs: list[Path]) -> Path:
    """DEST resolved, or `UsageError` at once (nothing listed first): the root folder, the home folder, the
    output folder or anything inside it or holding it, a folder inside (or holding) the content or the
    layouts, a file."""
    try:
        target = Path(os.path.realpath(dest, strict=False))
    except (OSError, ValueError) as exc:
        raise UsageError(f"发布位置 {dest} 无法使用（{exc}）") from None
    home = Path(os.path.realpath(Path.home()))
    if target == Path(target.anchor) or target == home:
        where = "根目录" if target == Path(target.anchor) else "个人主目录"
        raise UsageError(f"发布位置 {dest} 是{where}，不能用来发布网站（请指定网站专用的文件夹，如 /srv/www/jianbao）")
    source = Path(os.path.realpath(output))
    if target == source or target.is_relative_to(source) or source.is_relative_to(target):
        raise UsageError(f"发布位置 {dest} 与输出文件夹 {output} 重叠，请换一个文件夹")
    for folder in inputs:
        real = Path(os.path.realpath(folder))
        if target == real or target.is_relative_to(real) or real.is_relative_to(target):
            raise UsageError(
                f"发布位置 {dest} 与 {display_path(folder)} 重叠：发布会把网站写进内容或版式文件夹"
                "（下次检查、生成时会当作内容读取），请换一个文件夹"
            )
    if os.path.lexists(target) and not target.is_dir():
        raise UsageError(f"发布位置 {dest} 是一个文件，不是文件夹")
    return target


def read_marker(dest: Path) -> tuple[set[str], set[str]]:
    """The files and the folders an earlier publish wrote into `dest` (nothing if there is no marker); a
    line that is not a plain relative path counts for nothing."""
    try:
        text = disk.read_bounded(dest / MARKER, disk.CACHE).decode("utf-8", "surrogateescape")
    except UnreadableError:
        return set(), set()
    files: set[str] = set()
    folders: set[str] = set()
    for line in text.splitlines():
        name = line.rstrip("/")
        if safe_name(name):
            (folders if line.endswith("/") else files).add(name)
    return files, folders


def marker_text(files: set[str], folders: set[str]) -> bytes:
    lines = sorted([*files, *(f"{name}/" for name in folders)])
    return "".join(f"{line}\n" for line in lines).encode("utf-8", "surrogateescape")


def safe_name(name: str) -> bool:
    """A relative path that stays inside DEST and is none of publish's own files."""
    parts = PurePosixPath(name).parts
    return bool(parts) and not name.startswith("/") and ".." not in parts and name != MARKER and "\n" not in name


def temporary_path(target: Path) -> Path:
    """Where a file is copied before it is renamed over `target` (in the same folder, so the rename is atomic)."""
    return target.with_name(f".{target.name}{TEMPORARY_SUFFIX}")


def remove_leftovers(dest: Path, names: set[str]) -> None:
    """What a publish that was stopped left: the half-copied files beside `names`, and (from jianbao before
    this way of publishing) whole copies of the site beside DEST that hold a marker."""
    for name in names:
        temporary = temporary_path(dest / name)
        if os.path.lexists(temporary) and not temporary.is_dir():
            temporary.unlink(missing_ok=True)
    with suppress(OSError), os.scandir(dest) as entries:
        for entry in entries:  # the marker's own temporary file (files.write_atomic)
            if entry.name.startswith(f".{MARKER}.") and is_temporary(Path(entry.path)):
                os.unlink(entry.path)
    try:
        beside = [entry for entry in os.scandir(dest.parent) if OLD_COPY.match(entry.name)]
    except OSError:
        return
    for entry in beside:
        if not entry.name.startswith(f".{dest.name}.publishing-") or not entry.is_dir(follow_symlinks=False):
            continue
        with suppress(OSError):
            if os.path.lexists(os.path.join(entry.path, MARKER)) or not os.listdir(entry.path):
                shutil.rmtree(entry.path, ignore_errors=True)
