"""Files and folders on disk → their bytes, their digests and their listings, bounded and without surprises.

Every file is stat'ed before it is opened, and only a regular file is opened (never a FIFO, which would
block, a device or a socket), and read only up to its kind's limit (`Kind`): the one place the limits of
articles, settings, images, manuscripts, layouts, fonts and caches are kept. Digests read in chunks. A
folder walk (`walk`) survives what an office's shared folders hold — symlink loops, links out of the
folder, files that vanish between the listing and the reading (an editor's swap file), folders it may not
read — and gives each of them as an `Oddity`, never as an exception. A leaf: every stage may use it.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Literal

from jianbao.errors import UnreadableError, os_cause

KB, MB = 1024, 1024 * 1024
CHUNK = 1024 * 1024  # what a digest reads at a time


@dataclass(frozen=True)
class Kind:
    """A kind of file jianbao reads, named as a message names it, and the most of it that is read."""

    name: str
    limit: int


ARTICLE = Kind("文章", 512 * KB)  # ~170,000 Chinese characters; a bulletin article has a few thousand
SETTINGS = Kind("设置文件", 256 * KB)  # bulletin.yaml, issue.yaml: a few dozen lines
IMAGE = Kind("图片", 20 * MB)  # a print-quality chart is a few MB
MANUSCRIPT = Kind("稿件", 200 * MB)  # a .docx with its images
MANUSCRIPT_TEXT = Kind("文本稿件", 4 * MB)  # a .txt or .md manuscript: eight times what an article may hold
LAYOUT = Kind("版式文件", 2 * MB)  # a template or a style sheet
ASSET = Kind("网站资源文件", 20 * MB)  # layouts/assets/: scripts, styles, icons, a web font
FONT = Kind("字体文件", 64 * MB)  # a licensed CJK face is 5–30 MB
CACHE = Kind("缓存文件", 64 * MB)  # what a build keeps beside the output (the parse memo, the manifest)

# The largest file any stage reads from the content folder: a larger one is never read, so its digest
# is its size (reading a stray 1 GB video to hash it would cost a build seconds and nothing else).
LARGEST_READ = max(ARTICLE.limit, SETTINGS.limit, IMAGE.limit)


def size_text(size: int) -> str:
    """`512 KB`, `20 MB`, `1.0 GB`: a size as a message says it."""
    if size >= 1024 * MB:
        return f"{size / (1024 * MB):.1f} GB"
    if size >= MB:
        return f"{size // MB} MB"
    return f"{max(1, size // KB) if size else 0} KB"


def checked_size(path: Path, kind: Kind) -> int:
    """The size of the regular file `path` (symlinks followed), stat'ed without opening it; `UnreadableError` if
    it is something else or larger than `kind` allows."""
    try:
        info = os.stat(path)
    except OSError as exc:
        raise UnreadableError(path, unreadable_cause(exc)) from None
    if not stat.S_ISREG(info.st_mode):
        raise UnreadableError(path, special_cause(info.st_mode))
    if info.st_size > kind.limit:
        raise UnreadableError(path, too_large(info.st_size, kind))
    return info.st_size


def read_bounded(path: Path, kind: Kind) -> bytes:
    """The bytes of the regular file `path`, at most `kind.limit` of them (else `UnreadableError`): stat'ed before
    it is opened, opened without blocking (a FIFO put in its place meanwhile is found by fstat, unread)."""
    checked_size(path, kind)
    handle = _open_regular(path)
    try:
        chunks: list[bytes] = []
        left = kind.limit + 1
        while left > 0:
            chunk = os.read(handle, min(CHUNK, left))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as exc:
        raise UnreadableError(path, unreadable_cause(exc)) from None
    finally:
        os.close(handle)
    data = b"".join(chunks)
    if len(data) > kind.limit:  # it grew since the stat
        raise UnreadableError(path, too_large(len(data), kind))
    return data


def open_checked(path: Path, kind: Kind) -> BinaryIO:
    """`path` opened for reading once it is known to be a regular file within `kind`'s limit (for a reader
    that reads only part of it: an image's header)."""
    checked_size(path, kind)
    return os.fdopen(_open_regular(path), "rb")


def feed_file(hasher: Any, path: Path, largest: int = LARGEST_READ) -> int:
    """Feed a regular file's bytes into `hasher`, in chunks (never all at once); its size. A file over
    `largest` (which nothing reads) is not read: its size stands for it."""
    size = checked_size(path, Kind("", largest))
    handle = _open_regular(path)
    try:
        while chunk := os.read(handle, CHUNK):
            hasher.update(chunk)
    except OSError as exc:
        raise UnreadableError(path, unreadable_cause(exc)) from None
    finally:
        os.close(handle)
    return size


def _open_regular(path: Path) -> int:
    """An open descriptor of `path`, which must still be a regular file."""
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except OSError as exc:
        raise UnreadableError(path, unreadable_cause(exc)) from None
    try:
        mode = os.fstat(handle).st_mode
    except OSError as exc:
        os.close(handle)
        raise UnreadableError(path, unreadable_cause(exc)) from None
    if not stat.S_ISREG(mode):
        os.close(handle)
        raise UnreadableError(path, special_cause(mode))
    return handle


def too_large(size: int, kind: Kind) -> str:
    return f"文件过大（{size_text(size)}，{kind.name}上限 {size_text(kind.limit)}）"


def special_cause(mode: int) -> str:
    """Why a file of this mode is not read."""
    if stat.S_ISDIR(mode):
        return "是一个文件夹，不是文件"
    what = "管道（FIFO）" if stat.S_ISFIFO(mode) else "套接字" if stat.S_ISSOCK(mode) else "设备文件"
    return f"是{what}，不是普通文件，不予读取"


def unreadable_cause(exc: OSError) -> str:
    """Why a file could not be stat'ed, opened or read, in Chinese."""
    if exc.errno == errno.ENOENT:
        return "文件不存在（可能刚被删除或改名，或是指向不存在文件的符号链接）"
    if exc.errno == errno.ELOOP:
        return ODDITY_CAUSES["loop"]
    return f"无法读取（{os_cause(exc)}）"


# --- walking a folder ------------------------------------------------------------------------------------

OddityKind = Literal["loop", "broken", "outside", "special", "unreadable", "vanished"]

ODDITY_CAUSES: dict[OddityKind, str] = {
    "loop": "是循环的符号链接（最终指向它自己），无法读取",
    "broken": "是指向不存在文件的符号链接",
    "outside": "是指向所在文件夹以外的符号链接，出于安全考虑不予读取",
    "special": "不是普通文件（管道、套接字或设备文件），不予读取",
    "unreadable": "无法读取（没有权限）",
    "vanished": "在读取时消失了（可能刚被删除或改名）",
}


@dataclass(frozen=True)
class Oddity:
    """An entry of a walked folder that is not read: its path relative to the top, and what it is."""

    name: str
    kind: OddityKind
    is_folder: bool = False

    @property
    def cause(self) -> str:
        return ODDITY_CAUSES[self.kind]


@dataclass
class Listing:
    """A folder's regular files (relative POSIX paths, sorted as paths sort; a symlink to a file inside the
    folder counts as that file) and its oddities."""

    files: list[str] = field(default_factory=list)
    links: set[str] = field(default_factory=set)  # which of the files are symlinks
    oddities: list[Oddity] = field(default_factory=list)


def walk(top: Path, outside_ok: bool = False) -> Listing:
    """Every regular file below `top` and every entry that is not one, without ever raising for what the folder
    holds. Linked folders are not entered; a symlink to a file outside `top` is an "outside" oddity (unless
    `outside_ok`: then it is listed with the files, for a caller that only notes its text)."""
    listing = Listing()
    try:
        inside = os.path.realpath(top)
    except (OSError, ValueError):
        return listing
    folders = [""]
    while folders:
        folder = folders.pop()
        try:
            with os.scandir(os.path.join(top, folder)) as scan:
                entries = list(scan)
        except FileNotFoundError:
            if folder:
                listing.oddities.append(Oddity(folder, "vanished", True))
            continue
        except OSError:
            listing.oddities.append(Oddity(folder or ".", "unreadable", True))
            continue
        for entry in entries:
            name = f"{folder}/{entry.name}" if folder else entry.name
            kind = _entry_kind(entry, inside)
            if kind == "folder":
                folders.append(name)
            elif kind == "file" or (kind == "outside" and outside_ok):
                listing.files.append(name)
                if entry.is_symlink():
                    listing.links.add(name)
            elif kind != "linked-folder":
                listing.oddities.append(Oddity(name, kind))
    listing.files.sort(key=lambda name: name.split("/"))
    listing.oddities.sort(key=lambda odd: odd.name.split("/"))
    return listing


def walk_one(path: Path) -> Oddity | None:
    """What the single path `path` is, as `walk` would say it of an entry of its folder: None for a regular
    file (or a symlink to one in the same folder)."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return Oddity(path.name, "vanished")
    except OSError:
        return Oddity(path.name, "unreadable")
    if stat.S_ISREG(info.st_mode):
        return None
    if not stat.S_ISLNK(info.st_mode):
        return Oddity(path.name, "special")
    kind = _link_kind(str(path), os.path.realpath(path.parent))
    return None if kind == "file" else Oddity(path.name, "special" if kind == "linked-folder" else kind)


def _entry_kind(entry: os.DirEntry[str], inside: str) -> OddityKind | Literal["file", "folder", "linked-folder"]:
    """What one directory entry is, following a symlink only to tell what it points at."""
    try:
        if entry.is_dir(follow_symlinks=False):
            return "folder"
        if not entry.is_symlink():
            return "file" if entry.is_file(follow_symlinks=False) else "special"
    except FileNotFoundError:
        return "vanished"
    except OSError:
        return "unreadable"
    return _link_kind(entry.path, inside)


def _link_kind(path: str, inside: str) -> OddityKind | Literal["file", "linked-folder"]:
    """What a symlink points at: a file or folder inside `inside`, or an oddity."""
    try:
        target = os.stat(path)
    except FileNotFoundError:
        return "broken" if os.path.islink(path) else "vanished"
    except OSError as exc:
        return "loop" if exc.errno == errno.ELOOP else "unreadable"
    if stat.S_ISDIR(target.st_mode):
        return "linked-folder"
    if os.path.commonpath([os.path.realpath(path), inside]) != inside:
        return "outside"
    return "file" if stat.S_ISREG(target.st_mode) else "special"
