"""A live tree and a leftover copy of it → the copy made an exact hard-link copy, touching only what differs.

The staging folder starts from the site the last swap replaced (the shadow):
comparing the two trees by name, kind and inode from the directory listings
costs a fraction of linking a large archive anew.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path


def mirror(source: Path, target: Path, link: Callable[[str, str], None]) -> None:
    """Make the tree `target` what a hard-link copy of `source` would be, touching only what differs.

    Entries are matched by name, kind and inode (a hard link shares its file's), all read from the
    directory listings without a stat, so comparing an archive of 1,000 issues takes a fraction of
    linking it anew. A file replaced in either tree, a leftover or a missing one is put right; files
    are put in place with `link` (hard links, see `link_or_copy`).
    """
    with os.scandir(source) as listing:
        wanted = {entry.name: entry for entry in listing}
    with os.scandir(target) as listing:
        present = {entry.name: entry for entry in listing}
    for name, have in present.items():
        want = wanted.get(name)
        if want is not None and _same_entry(want, have):
            if _kind(want) == "dir":
                mirror(Path(want.path), Path(have.path), link)
            continue
        if _kind(have) == "dir":
            shutil.rmtree(have.path)
        else:
            os.unlink(have.path)
        if want is not None:
            _copy_entry(want, target / name, link)
    for name, want in wanted.items():
        if name not in present:
            _copy_entry(want, target / name, link)


def link_or_copy(source: str, target: str) -> bool:
    """Hard-link a file (same file system, instant), copying only where links are refused (then False)."""
    try:
        os.link(source, target)
        return True
    except OSError:
        shutil.copy2(source, target)
        return False


def _kind(entry: os.DirEntry[str]) -> str:
    if entry.is_symlink():
        return "link"
    return "dir" if entry.is_dir(follow_symlinks=False) else "file"


def _same_entry(first: os.DirEntry[str], second: os.DirEntry[str]) -> bool:
    kind = _kind(first)
    if kind != _kind(second):
        return False
    if kind == "link":
        return os.readlink(first.path) == os.readlink(second.path)
    return kind == "dir" or first.inode() == second.inode()


def link_tree(source: Path, target: Path, link: Callable[[str, str], None]) -> None:
    """What copytree(symlinks=True, copy_function=link, dirs_exist_ok=True) does, but stopping at the first
    failure with its own error (a full disk: ENOSPC and the path), not a list of them in English."""
    target.mkdir(exist_ok=True)
    with os.scandir(source) as listing:
        entries = list(listing)
    for entry in entries:
        _copy_entry(entry, target / entry.name, link)
    shutil.copystat(source, target)


def _copy_entry(entry: os.DirEntry[str], target: Path, link: Callable[[str, str], None]) -> None:
    """What copytree(symlinks=True, copy_function=link) does with one entry."""
    kind = _kind(entry)
    if kind == "dir":
        link_tree(Path(entry.path), target, link)
    elif kind == "link":
        os.symlink(os.readlink(entry.path), target)
    else:
        link(entry.path, str(target))
