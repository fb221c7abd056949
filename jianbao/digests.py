"""Bytes, files and folders → short content digests (what the caches compare, never file times)."""

from __future__ import annotations

import hashlib
import os
from functools import cache
from pathlib import Path
from typing import Any


def _hasher() -> Any:
    """The one hash every digest uses."""
    return hashlib.blake2b(digest_size=20)


def digest_bytes(data: bytes) -> str:
    """A short content digest of some bytes (an output file, a key's parts)."""
    hasher = _hasher()
    hasher.update(data)
    return str(hasher.hexdigest())


def digest_file(path: Path) -> str | None:
    """The digest of a file on disk, None if it cannot be read."""
    try:
        with path.open("rb") as file:
            return str(hashlib.file_digest(file, _hasher).hexdigest())
    except OSError:
        return None


def _feed_tree(hasher: Any, root: Path) -> None:
    """Feed every file below `root` into `hasher`: relative path, size, bytes.

    Hidden files count too: an article may name one, and a spurious rebuild is cheaper than a stale PDF.
    """
    if root.is_file():
        files = [root]
        root = root.parent
    elif root.is_dir():
        files = sorted(p for p in root.rglob("*") if p.is_file())
    else:
        files = []
    inside = root.resolve()
    for path in files:
        if path.is_symlink() and not path.resolve().is_relative_to(inside):
            # A link out of the folder is never opened (loading refuses it); its text still counts.
            hasher.update(f"\0{path.relative_to(root).as_posix()}\0->".encode("utf-8", "surrogateescape"))
            hasher.update(os.fsencode(os.readlink(path)))
            continue
        data = path.read_bytes()
        # Any name, UTF-8 or not (surrogate escapes): a GBK name must not stop the build (check names it).
        hasher.update(f"\0{path.relative_to(root).as_posix()}\0{len(data)}\0".encode("utf-8", "surrogateescape"))
        hasher.update(data)


def tree_digest(root: Path) -> str:
    """The digest of every file below `root`, or of the file `root`."""
    hasher = _hasher()
    _feed_tree(hasher, root)
    return str(hasher.hexdigest())


class TreeDigests(dict[Path, str]):
    """`tree_digest` of each folder asked for, computed once: one build needs each issue's twice
    (is its parsed content still good, is its PDF stale), and hashing every folder is most of a no-change build."""

    def __missing__(self, root: Path) -> str:
        self[root] = tree_digest(root)
        return self[root]


@cache
def code_digest() -> str:
    """The digest of jianbao's own source: a parse made by other code is never reused."""
    hasher = _hasher()
    for path in sorted(Path(__file__).parent.rglob("*.py")):
        hasher.update(path.relative_to(Path(__file__).parent).as_posix().encode() + b"\0" + path.read_bytes())
    return str(hasher.hexdigest())
