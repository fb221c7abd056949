"""The built site (the output folder) → a web folder it shares with others: jianbao's own paths written, the
rest kept exactly as it was.

Publishing holds the build lock (write/lock.py), so no build swaps the site while it is copied, and DEST's
own lock, so two publishes never mix. Each file is copied beside its place and renamed over it: a reader
never sees half a file. What pages link to comes first, the issue pages next, the archive and the feed
last; then the files an earlier publish wrote that the site no longer has are removed. DEST itself (its
owner, group, mode, setgid bit) and everything in it jianbao did not publish — files (bytes and times),
folders, empty folders, FIFOs, sockets — stay as they were: only the paths in the marker
(write/destination.py) are ever written, replaced or removed. A foreign file where the site needs one of
its paths stops the publish before anything is written, naming it. A publish that is stopped leaves a
marker that already lists what it may have written, and its half-copied files are removed next time.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import stat
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from jianbao import disk
from jianbao.errors import BuildError, BusyError, UsageError, display_path, escaped, os_error_message
from jianbao.files import write_atomic
from jianbao.invocation import command
from jianbao.write.destination import (
    MARKER,
    check_destination,
    marker_text,
    read_marker,
    remove_leftovers,
    temporary_path,
)
from jianbao.write.lock import output_lock


@dataclass(frozen=True)
class Published:
    """What one publish did: the site's files now in DEST, how many of them it copied, how many old ones it
    removed."""

    files: int
    copied: int
    removed: int


def site_files(output: Path, wanted: Callable[[str], bool] | None = None) -> list[str]:
    """The files of the built site (`wanted` ones only, if given): everything but hidden files (the build's
    records, temporaries)."""
    names = (name for name in disk.walk(output).files if not any(p.startswith(".") for p in name.split("/")))
    return [name for name in names if wanted is None or wanted(name)]


def publish_site(
    output: Path,
    dest: Path,
    inputs: Iterable[Path] = (),
    choose: Callable[[], Callable[[str], bool]] | None = None,
) -> Published:
    """Publish the site in `output` into `dest` (see the module docstring); `inputs` (content, layouts) are
    folders DEST must not overlap. `choose`, called under the build lock (so that what it reads of the output
    is what is copied), gives which of the site's files go; all of them without it."""
    if not (output / "index.html").is_file():
        raise UsageError(f"{output.absolute()} 里还没有生成好的网站，请先运行 {command('build')}（或用 --output 指定）")
    target = check_destination(dest, output, list(inputs))
    with output_lock(output):
        files = site_files(output, choose() if choose is not None else None)
        try:
            target.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise BuildError(os_error_message(exc, dest)) from None
        with destination_lock(target, dest):
            return publish_files(output, target, files, dest)


def publish_files(output: Path, target: Path, files: list[str], dest: Path) -> Published:
    """Copy `files` of `output` into `target`, replacing and removing only what the marker says is jianbao's."""
    ours, our_folders = read_marker(target)
    remove_leftovers(target, ours | set(files))
    if taken := foreign_paths(target, files, ours):
        shown = "、".join(escaped(name) for name in taken[:3]) + (f" 等 {len(taken)} 个" if len(taken) > 3 else "")
        raise UsageError(
            f"{dest} 里的 {shown} 不是 jianbao 发布的，而网站要用这些位置，不会覆盖；"
            "请移走或改名后再发布（文件夹里的其他文件不受影响）"
        )
    made = {name for name in folders_of(files) if not os.path.lexists(target / name)}
    try:
        # First the marker lists all that may be written, so a publish stopped midway leaves nothing unowned.
        write_atomic(target / MARKER, marker_text(ours | set(files), our_folders | made))
        copied = sum(copy_file(output / name, target / name) for name in sorted(files, key=publish_order))
        removed = remove_files(target, sorted(ours - set(files)))
        remove_folders(target, (our_folders | made) - folders_of(files))
        write_atomic(target / MARKER, marker_text(set(files), existing_folders(target, our_folders | made)))
    except OSError as exc:
        raise BuildError(
            f"发布到 {dest} 时出错：{os_error_message(exc)}；已写入的文件都是完整的，不是 jianbao 发布的文件"
            "未被改动，解决后重新发布即可"
        ) from None
    return Published(len(files), copied, removed)


def foreign_paths(target: Path, files: list[str], ours: set[str]) -> list[str]:
    """The paths the site needs that something jianbao did not publish already holds: a foreign file, a folder
    or FIFO where a file goes, a file or symlink where a folder goes (never written through)."""
    taken: list[str] = []
    checked: dict[str, bool] = {}  # folder → it is a real folder, or not there yet
    for name in files:
        parts = PurePosixPath(name).parts
        for depth in range(1, len(parts)):
            folder = "/".join(parts[:depth])
            if folder not in checked:
                checked[folder] = _free_folder(target / folder)
                if not checked[folder]:
                    taken.append(folder)
        path = target / name
        try:
            mode = os.lstat(path).st_mode
        except FileNotFoundError:
            continue
        if name not in ours or not (stat.S_ISREG(mode) or stat.S_ISLNK(mode)):
            taken.append(name)
    return sorted(set(taken))


def _free_folder(path: Path) -> bool:
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except FileNotFoundError:
        return True


def folders_of(files: list[str]) -> set[str]:
    """Every folder the files lie in (relative to DEST, DEST itself aside)."""
    return {"/".join(PurePosixPath(name).parts[:depth]) for name in files for depth in range(1, name.count("/") + 1)}


def publish_order(name: str) -> tuple[int, str]:
    """What pages link to (PDFs, images, assets, the search index) first, issue pages next, the archive last."""
    if "/" not in name:
        return (2, name)
    return (1, name) if name.endswith("/index.html") and name.count("/") == 1 else (0, name)


def copy_file(source: Path, target: Path) -> bool:
    """Copy one file into place (beside it first, then renamed over it); False if it was already there as is."""
    info = os.stat(source)
    try:
        there = os.lstat(target)
        if stat.S_ISREG(there.st_mode) and (there.st_size, there.st_mtime_ns) == (info.st_size, info.st_mtime_ns):
            return False
    except FileNotFoundError:
        pass
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = temporary_path(target)
    try:
        shutil.copyfile(source, temporary)
        os.chmod(temporary, stat.S_IMODE(info.st_mode))
        os.utime(temporary, ns=(info.st_atime_ns, info.st_mtime_ns))  # unchanged next time: not copied again
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return True


def remove_files(target: Path, names: list[str]) -> int:
    """Remove the files an earlier publish wrote that the site no longer has (never a folder, FIFO or socket
    that has since taken such a path); count them."""
    removed = 0
    for name in names:
        path = target / name
        try:
            mode = os.lstat(path).st_mode
        except FileNotFoundError:
            continue
        if stat.S_ISREG(mode) or stat.S_ISLNK(mode):
            path.unlink()
            removed += 1
    return removed


def remove_folders(target: Path, folders: set[str]) -> None:
    """Remove the folders a publish made that no file of the site needs, once empty (deepest first); one still
    holding something (a colleague's file) is kept."""
    for name in sorted(folders, key=lambda n: n.count("/"), reverse=True):
        with suppress(OSError):
            (target / name).rmdir()


def existing_folders(target: Path, folders: set[str]) -> set[str]:
    return {name for name in folders if (target / name).is_dir() and not (target / name).is_symlink()}


@contextmanager
def destination_lock(target: Path, dest: Path) -> Iterator[None]:
    """DEST's own lock (`.jianbao-published.lock` in it, while a publish runs): one publish into a folder at
    a time. Removed while still held; a publish that opened it meanwhile finds it replaced and gives way."""
    path = target / f"{MARKER}.lock"
    try:
        handle = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW, 0o644)
    except OSError as exc:
        raise BuildError(os_error_message(exc, path)) from None
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            if os.stat(path).st_ino != os.fstat(handle).st_ino:
                raise BlockingIOError
        except (BlockingIOError, FileNotFoundError):
            raise BusyError(f"另一个 jianbao 正在发布到 {display_path(dest)}，请等它结束后再发布") from None
        try:
            yield
        finally:
            path.unlink(missing_ok=True)
    finally:
        with suppress(OSError):
            os.close(handle)
