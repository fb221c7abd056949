"""Bytes, files and folders → short content digests (what the caches compare, never file times)."""

from __future__ import annotations

import hashlib
import os
from functools import cache
from pathlib import Path
from typing import Any


def new_hasher() -> Any:
    """The one hash every digest uses."""
    return hashlib.blake2b(digest_size=20)


def digest_bytes(data: bytes) -> str:
    """A short content digest of some bytes (an output file, a key's parts)."""
    hasher = new_hasher()
    hasher.update(data)
    return str(hasher.hexdigest())


def digest_file(path: Path) -> str | None:
    """The digest of a file on disk, None if it cannot be read."""
    try:
        with path.open("rb") as file:
            return str(hashlib.file_digest(file, new_hasher).hexdigest())
    except OSError:
        return None


def feed_tree(hasher: Any, root: Path) -> None:
    """Feed every file below `root` into `hasher`: relative path, size, bytes.

    Hidden files count too: an article may name one, and a spurious rebuild is cheaper than a stale PDF.
    """
    if root.is_file():
        top, files = os.fspath(root.parent), [(root.name, root.is_symlink())]
    else:
        top, files = os.fspath(root), _files_below(os.fspath(root)) if root.is_dir() else []
    inside = Path(os.path.realpath(top))
    for name, is_link in files:
        path = os.path.join(top, name)
        if is_link and not Path(os.path.realpath(path)).is_relative_to(inside):
            # A link out of the folder is never opened (loading refuses it); its text still counts.
            hasher.update(f"\0{name}\0->".encode("utf-8", "surrogateescape"))
            hasher.update(os.fsencode(os.readlink(path)))
            continue
        with open(path, "rb") as file:
            data = file.read()
        # Any name, UTF-8 or not (surrogate escapes): a GBK name must not stop the build (check names it).
        hasher.update(f"\0{name}\0{len(data)}\0".encode("utf-8", "surrogateescape"))
        hasher.update(data)


def _files_below(top: str) -> list[tuple[str, bool]]:
    """The files below `top` as (relative POSIX path, is a symlink), sorted as paths sort; linked folders
    are not entered. os.scandir, not Path.rglob: a no-change build hashes every issue folder, and
    pathlib's objects cost more than the hashing."""
    found: list[tuple[str, bool]] = []
    folders = [""]
    while folders:
        folder = folders.pop()
        with os.scandir(os.path.join(top, folder)) as entries:
            for entry in entries:
                name = f"{folder}/{entry.name}" if folder else entry.name
                if entry.is_dir(follow_symlinks=False):
                    folders.append(name)
                elif entry.is_file():
                    found.append((name, entry.is_symlink()))
    return sorted(found, key=lambda file: file[0].split("/"))


def tree_digest(root: Path) -> str:
    """The digest of every file below `root`, or of the file `root`."""
    hasher = new_hasher()
    feed_tree(hasher, root)
    return str(hasher.hexdigest())


class TreeDigests(dict[Path, str]):
    """`tree_digest` of each folder asked for, computed once: one build needs each issue's twice
    (is its parsed content still good, is its PDF stale), and hashing every folder is most of a no-change build."""

    def __missing__(self, root: Path) -> str:
        self[root] = tree_digest(root)
        return self[root]


@cache
def installed_version(package: str) -> str:
    """An installed package's version ("-" if it is not installed), a part of the caches' keys."""
    from importlib import metadata  # slow to import; only a build needs it

    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "-"


@cache
def code_digest() -> str:
    """The digest of jianbao's own source: a parse made by other code is never reused."""
    hasher = new_hasher()
    for path in sorted(Path(__file__).parent.rglob("*.py")):
        hasher.update(path.relative_to(Path(__file__).parent).as_posix().encode() + b"\0" + path.read_bytes())
    return str(hasher.hexdigest())
