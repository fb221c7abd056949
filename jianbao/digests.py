"""Bytes, files and folders → short content digests (what the caches compare, never file times)."""

from __future__ import annotations

import hashlib
import os
import sys
from contextlib import suppress
from functools import cache
from pathlib import Path
from typing import Any

from jianbao import disk
from jianbao.errors import UnreadableError


def new_hasher() -> Any:
    """The one hash every digest uses."""
    return hashlib.blake2b(digest_size=20)


def digest_bytes(data: bytes) -> str:
    """A short content digest of some bytes (an output file, a key's parts)."""
    hasher = new_hasher()
    hasher.update(data)
    return str(hasher.hexdigest())


def digest_file(path: Path) -> str | None:
    """The digest of a regular file on disk (read in chunks), None if it cannot be read."""
    hasher = new_hasher()
    try:
        disk.feed_file(hasher, path, largest=sys.maxsize)
    except UnreadableError:
        return None
    return str(hasher.hexdigest())


def feed_tree(hasher: Any, root: Path) -> None:
    """Feed every file below `root` (or the file `root`) into `hasher`: relative path, size, bytes, streamed.

    Hidden files count too: an article may name one, and a spurious rebuild is cheaper than a stale PDF.
    Never raises for what the folder holds: a symlink loop, a link out of the folder (never opened: loading
    refuses it), a FIFO, a file that vanishes or cannot be read is fed as its name and what it is; a file
    larger than anything the build reads, as its name and size (disk.walk, disk.feed_file).
    """
    if root.is_dir():
        top, listing = root, disk.walk(root)
    else:
        top, listing = root.parent, disk.Listing()
        if os.path.lexists(root):
            single = disk.walk_one(root)
            listing.files, listing.oddities = ([root.name], []) if single is None else ([], [single])
    for name in listing.files:
        feed_file(hasher, top, name)
    for odd in listing.oddities:
        # Any name, UTF-8 or not (surrogate escapes): a GBK name must not stop the build (check names it).
        hasher.update(f"\0{odd.name}\0{odd.kind}\0".encode("utf-8", "surrogateescape"))
        if odd.kind == "outside":
            with suppress(OSError):
                hasher.update(os.fsencode(os.readlink(top / odd.name)))


def feed_file(hasher: Any, top: Path, name: str) -> None:
    """One file's name, size and bytes (a file too large to be read: its size only)."""
    path = top / name
    hasher.update(f"\0{name}\0".encode("utf-8", "surrogateescape"))
    try:
        size = os.stat(path).st_size
        if size > disk.LARGEST_READ:
            hasher.update(f"{size}\0large".encode())
            return
        content = new_hasher()
        size = disk.feed_file(content, path)
    except (OSError, UnreadableError):
        hasher.update(b"unreadable")  # vanished since the listing, or not readable: read again next time
        return
    hasher.update(f"{size}\0".encode() + content.digest())


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
