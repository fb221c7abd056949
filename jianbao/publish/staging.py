"""Files in memory → files on disk, atomically (write stage).

Each file is written to a temporary name in its own folder and renamed into
place, so a reader or a crash never sees half a PDF. Unchanged files are not
rewritten, which keeps their times for rsync and the web server's caches.
`Staging` does the same for the whole site: it assembles the new output
beside the old one and swaps the folders, so a reader never sees a
half-built site and a failed build leaves the old one as it was.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from jianbao.errors import BuildError, UsageError, display_path, os_error_message

# What `write_atomic` names its temporary files (mkstemp: 8 random characters): nothing else is removed.
_TEMPORARY = re.compile(r"^\..+\.[A-Za-z0-9_]{8}\.tmp$")


def write_atomic(path: Path, data: bytes) -> bool:
    """Write `data` to `path` via a temporary file; False if it was already identical."""
    if _holds(path, data):
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException as exc:
        Path(temp).unlink(missing_ok=True)
        if isinstance(exc, OSError) and exc.filename is None:  # a failed write names no file: name it
            raise OSError(exc.errno, exc.strerror, str(path)) from exc
        raise
    return True


_HELD_LOCKS: set[int] = set()  # descriptors of the output locks this process holds


def _close_held_locks() -> None:
    """In a forked child (a render worker): let go of the parent's locks, which must die with it."""
    for handle in _HELD_LOCKS:
        with suppress(OSError):
            os.close(handle)
    _HELD_LOCKS.clear()


os.register_at_fork(after_in_child=_close_held_locks)


@contextmanager
def output_lock(output: Path, notices: list[str] | None = None) -> Iterator[None]:
    """Hold an exclusive lock on `output` for a whole build; a second build is told to wait.

    The lock file sits beside the folder (the folder itself may be swapped
    whole), and the kernel releases it when the process dies, even by kill -9;
    forked children never keep it. It holds the holder's pid: a lock still
    held although that process is gone (kept by a stray child of a killed
    build) is taken over, with a line in `notices`.
    """
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    path = output.parent / f".{output.name}.lock"
    handle = _take_lock(path, output, notices)
    _HELD_LOCKS.add(handle)
    try:
        # A build that ended removed its lock file: one still naming a holder means that build was killed.
        killed = _lock_holder(handle) is not None
        os.ftruncate(handle, 0)
        os.pwrite(handle, f"{os.getpid()}\n".encode(), 0)
        remove_stale_temporaries(output, inside=killed)
        yield
    finally:
        _HELD_LOCKS.discard(handle)
        # No lock file outlives its build. Removed while still held: a build that opened the old
        # file meanwhile finds it replaced once it locks it (`_same_file`) and takes the new one.
        if _same_file(handle, path):
            path.unlink(missing_ok=True)
        os.close(handle)


def _take_lock(path: Path, output: Path, notices: list[str] | None) -> int:
    """The locked descriptor of `path`; a lock whose recorded holder is dead is replaced by a new file."""
    from jianbao.lifetime import alive

    for _ in range(3):
        handle = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _lock_holder(handle)
            os.close(handle)
            if holder is None or alive(holder):
                raise BuildError(
                    f"另一个 jianbao 正在生成 {display_path(output)}，请等它结束后再运行（两次同时生成会互相覆盖）"
                ) from None
            # Its holder died and left a child holding the lock: a fresh lock file, under the same name.
            path.unlink(missing_ok=True)
            if notices is not None:
                notices.append(f"上次生成（进程 {holder}）已意外结束，已接管它留下的锁 {display_path(path)}")
            continue
        except BaseException:
            os.close(handle)
            raise
        if _same_file(handle, path):
            return handle
        os.close(handle)  # another build replaced the file between our open and lock: try again
    raise BuildError(f"无法锁定 {display_path(output)}（锁文件 {display_path(path)} 不断被替换），请稍后再试")


def _lock_holder(handle: int) -> int | None:
    """The pid recorded in a lock file (None if there is none)."""
    try:
        text = os.pread(handle, 32, 0).decode("ascii").strip()
        return int(text) if text else None
    except (OSError, ValueError, UnicodeDecodeError):
        return None


def _same_file(handle: int, path: Path) -> bool:
    try:
        return os.stat(path).st_ino == os.fstat(handle).st_ino
    except OSError:
        return False


def remove_stale_temporaries(output: Path, inside: bool = True) -> None:
    """Delete what a killed build left behind: staging folders and, with `inside` (walking the whole
    site, which a large archive makes slow), temporary files in the site. Only ever under our lock."""
    if output.is_dir():
        for temp in output.rglob(".*.tmp") if inside else ():
            if temp.is_file() and not temp.is_symlink() and _TEMPORARY.match(temp.name):
                temp.unlink(missing_ok=True)
        # An `.old-` folder is stale only while the live site exists (else it may be the last good site).
        for stale in output.parent.glob(f".{output.name}.old-*"):
            remove_tree(stale)
    for stale in output.parent.glob(f".{output.name}.staging-*"):
        remove_tree(stale)


def write_tree(root: Path, files: dict[str, bytes]) -> int:
    """Write every file under `root` (keys are relative POSIX paths); count the changed ones."""
    written = 0
    for name, data in sorted(files.items()):
        path = root / name
        try:
            written += write_atomic(path, data)
        except OSError as exc:
            raise BuildError(os_error_message(exc, path)) from exc
    return written


def read_assets(folder: Path, prefix: str) -> dict[str, bytes]:
    """Every file below `folder`, keyed `prefix/relative/path`."""
    if not folder.is_dir():
        return {}
    return {
        f"{prefix}/{path.relative_to(folder).as_posix()}": path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not path.name.startswith(".")
    }


def remove_tree(path: Path) -> None:
    """Remove a folder if it exists (used for temporary build folders)."""
    shutil.rmtree(path, ignore_errors=True)


class Staging:
    """The next version of the site, assembled beside the live one and swapped into place.

    The staging folder is made only when something differs from the live
    site, as a hard-link copy of it, so files this build did not render
    (unchanged issues) carry over without copying; every write replaces a
    link by rename and never touches the live file. Top-level names failing
    `keep` are dropped. Use as a context manager: on any failure the staging
    folder is removed and the live site is left as it was.

    The site a swap replaces is kept as the shadow (`.<output>.shadow`), and
    the next staging folder starts from it: `mirror` then touches only what
    the last build changed, instead of linking every file of a large archive
    anew and deleting the old tree after the swap. The shadow is never
    trusted, only compared entry by entry, so whatever state a crash or a
    hand left it in, the staging folder comes out an exact copy.
    """

    def __init__(self, output: Path, keep: Callable[[str], bool] = lambda name: True, owned: set[str] | None = None):
        self.output = output.resolve()
        self.keep = keep
        self.folder: Path | None = None
        self.changed = 0
        # Every path jianbao wrote into the output (the manifest's list): the only ones it may delete.
        # Without a list (`None`: a bare `publish`, tests) the whole top-level entry is ours.
        self.owned = owned
        self.dropped = [e.name for e in self.output.iterdir() if self._drops(e.name)] if self.output.is_dir() else []
        self.shadow = self.output.parent / f".{self.output.name}.shadow"
        self.swapped = False
        self.linked = True  # the staging folder holds hard links to the live files (not copies)

    def _drops(self, name: str) -> bool:
        """Whether a top-level entry goes: `keep` refuses it and jianbao wrote something in it."""
        if self.keep(name):
            return False
        return self.owned is None or any(p == name or p.startswith(f"{name}/") for p in self.owned)

    def _remove_owned(self, folder: Path, name: str) -> None:
        """Remove the top-level entry `name` of `folder`, or only what jianbao wrote in it."""
        entry = folder / name
        if self.owned is None:
            if entry.is_dir() and not entry.is_symlink():
                remove_tree(entry)
            else:
                entry.unlink(missing_ok=True)
            return
        mine = sorted(p for p in self.owned if p == name or p.startswith(f"{name}/"))
        parents: set[Path] = set()
        for path in mine:
            target = folder / path
            if target.is_file() or target.is_symlink():
                target.unlink()
            parents.update(p for p in (folder / path).parents if p.is_relative_to(entry))
            self.owned.discard(path)
        for parent in sorted(parents, key=lambda p: len(p.parts), reverse=True):
            with suppress(OSError):
                parent.rmdir()  # only when jianbao's files were all it held

    def claim(self, names: Iterable[str]) -> None:
        """Record files written into the staged site other than by `write` (the search index)."""
        if self.owned is not None:
            self.owned.update(names)

    @property
    def opened(self) -> bool:
        return self.folder is not None

    @property
    def root(self) -> Path:
        """Where the current version of each file is: the staging folder once there is one."""
        return self.folder or self.output

    def open(self) -> Path:
        """Make the staging folder (once): a hard-link copy of the live site without the dropped names."""
        if self.folder is None:
            self.output.parent.mkdir(parents=True, exist_ok=True)
            # A name of its own, so that two builds at once (serve and a manual build) never share it.
            folder = Path(tempfile.mkdtemp(prefix=f".{self.output.name}.staging-", dir=self.output.parent))
            self.folder = folder
            os.chmod(folder, 0o755)  # mkdtemp makes it private; it becomes the site the web server reads
            if not self.output.is_dir():
                self._drop_shadow()  # the site it shadowed is gone
            elif self._take_shadow(folder):
                mirror(self.output, folder, self._link)
                shutil.copystat(self.output, folder)  # the live folder's mode, as copytree gives it
            else:
                shutil.copytree(self.output, folder, symlinks=True, copy_function=self._link, dirs_exist_ok=True)
            for name in self.dropped:
                self._remove_owned(folder, name)
        return self.folder

    def write(self, files: dict[str, bytes]) -> int:
        """Stage the files whose bytes differ from the current version; count them."""
        self.claim(files)
        changed = {name: data for name, data in files.items() if not _holds(self.root / name, data)}
        if not changed:
            return 0
        written = write_tree(self.open(), changed)
        self.changed += written
        return written

    def revert(self, names: list[str]) -> int:
        """Put back the live version of staged files (or remove them if new); count the reverted ones."""
        if self.folder is None:
            return 0
        reverted = 0
        for name in names:
            live, staged = self.output / name, self.folder / name
            if not staged.exists() or (live.is_file() and os.path.samefile(live, staged)):
                continue  # never staged, or still the hard link to the live file
            staged.unlink()
            if live.is_file():
                _link_or_copy(str(live), str(staged))
            else:
                if self.owned is not None:
                    self.owned.discard(name)
                if staged.parent != self.folder and not any(staged.parent.iterdir()):
                    staged.parent.rmdir()  # an issue folder that only this build had made
            reverted += 1
        return reverted

    def finish(self) -> None:
        """Swap the complete staged site into place.

        With nothing staged or dropped the live site is already current: nothing happens.
        """
        if self.folder is None and not self.dropped and self.output.is_dir():
            return
        swap_into_place(self.open(), self.output)
        self.swapped = True

    def _link(self, source: str, target: str) -> None:
        """Hard-link a live file into the staging folder; note when the file system made it a copy (then no
        shadow is kept: a shadow of copies would double the space and save nothing)."""
        if not _link_or_copy(source, target):
            self.linked = False

    def _take_shadow(self, folder: Path) -> bool:
        """Move the shadow to `folder` (an empty folder, which a rename may replace); False if there is none."""
        if not self._has_shadow():
            return False
        try:
            os.rename(self.shadow, folder)
        except OSError:
            remove_tree(self.shadow)
            return False
        return True

    def _drop_shadow(self) -> None:
        if self._has_shadow():
            remove_tree(self.shadow)

    def _has_shadow(self) -> bool:
        """Whether a shadow of ours is there: a folder that is empty (a first build's) or holds a manifest.
        A folder of someone else's that happens to bear the name is never touched."""
        from jianbao.publish.manifest import LEGACY_MANIFEST, manifest_path  # (which imports this module)

        if self.shadow.is_symlink() or not self.shadow.is_dir():
            return False
        ours = manifest_path(self.output).is_file() or (self.shadow / LEGACY_MANIFEST).is_file()
        return ours or not any(self.shadow.iterdir())

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self.folder is None or not self.folder.exists():
            return
        # After a swap this is the old site: the next build's shadow, where hard links make it cheap.
        # After a failure it is the half-built new one, removed (a full disk wants its space back).
        if self.swapped and self.linked:
            try:
                os.rename(self.folder, self.shadow)
                return
            except OSError:
                pass  # removed instead: the next build links the whole site again
        remove_tree(self.folder)


def mirror(source: Path, target: Path, link: Callable[[str, str], None]) -> None:
    """Make the tree `target` what a hard-link copy of `source` would be, touching only what differs.

    Entries are matched by name, kind and inode (a hard link shares its file's), all read from the
    directory listings without a stat, so comparing an archive of 1,000 issues takes a fraction of
    linking it anew. A file replaced in either tree, a leftover or a missing one is put right; files
    are put in place with `link`, as copytree's `copy_function`.
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


def _copy_entry(entry: os.DirEntry[str], target: Path, link: Callable[[str, str], None]) -> None:
    """What copytree(symlinks=True, copy_function=link) does with one entry."""
    kind = _kind(entry)
    if kind == "dir":
        shutil.copytree(entry.path, target, symlinks=True, copy_function=link)
    elif kind == "link":
        os.symlink(os.readlink(entry.path), target)
    else:
        link(entry.path, str(target))


def _holds(path: Path, data: bytes) -> bool:
    """Whether the file at `path` has exactly these bytes."""
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def _link_or_copy(source: str, target: str) -> bool:
    """Hard-link a file (same file system, instant), copying only where links are refused (then False)."""
    try:
        os.link(source, target)
        return True
    except OSError:
        shutil.copy2(source, target)
        return False


def swap_into_place(new: Path, target: Path) -> None:
    """Make `new` appear at `target` in one step; the old tree ends up at `new` (removed by the caller)."""
    if not target.exists():
        os.rename(new, target)
    elif not _exchange(new, target):
        # No atomic exchange here (not Linux, or the file system lacks it): two renames, a moment apart.
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
        try:
            os.rename(target, old)
        except OSError:
            old.rmdir()  # never leave an empty `.old-` folder behind
            raise
        try:
            os.rename(new, target)
        except OSError:
            os.rename(old, target)  # the live site back in place
            raise
        os.rename(old, new)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths atomically with Linux renameat2(RENAME_EXCHANGE); False when unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange)
    if result == 0:
        return True
    error = ctypes.get_errno()
    if error in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False  # not supported here: the caller falls back to two renames
    raise OSError(error, os.strerror(error), str(second))  # a mount point, a read-only disk: say so


def guard_output(output: Path, inputs: list[Path]) -> None:
    """Refuse an output folder that would replace or sit inside the content, the layouts or some
    unrelated folder: jianbao writes only into an empty folder or one a build wrote (its manifest beside it)."""
    from jianbao.publish.manifest import holds_manifest

    target = output.resolve()
    if target.exists() and not target.is_dir():
        raise UsageError(f"输出位置 {output} 是一个文件，不是文件夹")
    for folder in [Path.cwd(), *inputs]:
        if folder.resolve() == target or folder.resolve().is_relative_to(target):
            raise UsageError(f"输出文件夹 {output} 包含内容或版式文件夹，不能用作输出（请换一个文件夹）")
    for folder in inputs:
        if target.is_relative_to(folder.resolve()):
            raise UsageError(
                f"输出文件夹 {output} 位于 {display_path(folder)} 之中，不能用作输出"
                "（输出会被当作内容反复读取；请换一个内容和版式文件夹以外的文件夹）"
            )
    if not target.is_dir():
        return
    if os.path.ismount(target):
        raise UsageError(
            f"输出文件夹 {output} 是一个挂载点，生成时无法整体替换它（请改用其中的一个子文件夹，如 {output / 'site'}）"
        )
    if holds_manifest(target):
        return  # ours: a build wrote it (and the manifest lists what it wrote)
    entries = sorted(entry.name for entry in target.iterdir())
    if entries:
        shown = "、".join(entries[:5]) + (f" 等 {len(entries)} 项" if len(entries) > 5 else "")
        raise UsageError(
            f"输出文件夹 {output} 里已有不是简报生成的文件（{shown}），为免删改它们，不会写入"
            "（请换一个空文件夹或新文件夹）"
        )
