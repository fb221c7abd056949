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
import fcntl
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from jianbao.errors import BuildError, UsageError, display_path


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
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return True


@contextmanager
def output_lock(output: Path) -> Iterator[None]:
    """Hold an exclusive lock on `output` for a whole build; a second build is told to wait.

    The lock file sits beside the folder (the folder itself may be swapped
    whole), and the kernel releases it when the process dies, even by kill -9.
    """
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    handle = os.open(output.parent / f".{output.name}.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildError(
                f"另一个 jianbao 正在生成 {display_path(output)}，请等它结束后再运行（两次同时生成会互相覆盖）"
            ) from None
        remove_stale_temporaries(output)
        yield
    finally:
        os.close(handle)


def remove_stale_temporaries(output: Path) -> None:
    """Delete what a killed build left behind: temporary files, staging folders (only ever under our lock)."""
    if output.is_dir():
        for temp in output.rglob(".*.tmp"):
            if temp.is_file() and not temp.is_symlink():
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
            raise BuildError(f"无法写入 {display_path(path)}（{exc.strerror or exc}）") from exc
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
    """

    def __init__(self, output: Path, keep: Callable[[str], bool] = lambda name: True):
        self.output = output.resolve()
        self.keep = keep
        self.folder: Path | None = None
        self.changed = 0
        self.dropped = [e.name for e in self.output.iterdir() if not keep(e.name)] if self.output.is_dir() else []

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
            if self.output.is_dir():
                shutil.copytree(self.output, folder, symlinks=True, copy_function=_link_or_copy, dirs_exist_ok=True)
            for name in self.dropped:
                entry = folder / name
                if entry.is_dir() and not entry.is_symlink():
                    remove_tree(entry)
                else:
                    entry.unlink(missing_ok=True)
        return self.folder

    def write(self, files: dict[str, bytes]) -> int:
        """Stage the files whose bytes differ from the current version; count them."""
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
            elif staged.parent != self.folder and not any(staged.parent.iterdir()):
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

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self.folder is not None:
            remove_tree(self.folder)  # after a swap this is the old site; after a failure, the new one


def _holds(path: Path, data: bytes) -> bool:
    """Whether the file at `path` has exactly these bytes."""
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def _link_or_copy(source: str, target: str) -> None:
    """Hard-link a file (same file system, instant), copying only where links are refused."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def swap_into_place(new: Path, target: Path) -> None:
    """Make `new` appear at `target` in one step; the old tree ends up at `new` (removed by the caller)."""
    if not target.exists():
        os.rename(new, target)
    elif not _exchange(new, target):
        # No atomic exchange here (not Linux, or the file system lacks it): two renames, a moment apart.
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
        os.rename(target, old)
        os.rename(new, target)
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
    return bool(result == 0)


def guard_output(output: Path, inputs: list[Path]) -> None:
    """Refuse an output folder that would replace the content, the layouts or some unrelated folder."""
    target = output.resolve()
    if target.exists() and not target.is_dir():
        raise UsageError(f"输出位置 {output} 是一个文件，不是文件夹")
    for folder in [Path.cwd(), *inputs]:
        if folder.resolve() == target or folder.resolve().is_relative_to(target):
            raise UsageError(f"输出文件夹 {output} 包含内容或版式文件夹，不能用作输出（请换一个文件夹）")
    # Ours if it has the archive page or the build cache's manifest (the archive may have been deleted).
    ours = (target / "index.html").is_file() or (target / ".jianbao-cache.json").is_file()
    if target.is_dir() and any(target.iterdir()) and not ours:
        raise UsageError(f"输出文件夹 {output} 已有其他文件，不像是简报的输出，不会覆盖（请换一个空文件夹）")
