"""Rendered files → the next version of the site, staged beside the live one and swapped into place.

`Staging` assembles the new output beside the old one (a hard-link copy of
it, made only once something differs) and swaps the folders at the end, so a
reader never sees a half-built site and a failed build leaves the old one as
it was. The site a swap replaces is kept as the shadow, from which the next
staging folder starts (mirror.py).
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Callable, Iterable
from contextlib import suppress
from pathlib import Path

from jianbao.errors import BuildError, os_error_message
from jianbao.files import holds, remove_tree, write_tree
from jianbao.write.manifest import LEGACY_MANIFEST, manifest_path
from jianbao.write.mirror import link_or_copy, link_tree, mirror
from jianbao.write.swap import swap_into_place


def staging_prefix(output: Path) -> str:
    """The name prefix of staging folders (each build's own, made with mkdtemp beside `output`)."""
    return f".{output.name}.staging-"


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

    def __init__(
        self, output: Path, keep: Callable[[str], bool] = lambda name: True, owned: Iterable[str] | None = None
    ):
        self.output = output.resolve()
        self.keep = keep
        self.folder: Path | None = None
        self.changed = 0
        # Every path jianbao wrote into the output (the manifest's list, kept up to date here and saved with
        # the manifest): the only ones it may delete. Without a list (`None`: tests) the whole top-level
        # entry is ours.
        self.owned = set(owned) if owned is not None else None
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

    def remove(self, path: str) -> None:
        """Take `path` (a file or folder of the site) out of the staged site — only what jianbao wrote there:
        a file someone else put in it stays."""
        self._remove_owned(self.open(), path)

    def claim(self, names: Iterable[str]) -> None:
        """Record files written into the staged site other than by `write` (the search index)."""
        if self.owned is not None:
            self.owned.update(names)

    def disown(self, path: str) -> None:
        """`path` and everything under it are about to be made again or removed: no longer ours."""
        if self.owned is not None:
            self.owned.difference_update([p for p in self.owned if p == path or p.startswith(f"{path}/")])

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
            try:
                self.folder = self._prepare()
            except OSError as exc:  # a full or read-only disk: named with the path it failed at, in Chinese
                raise BuildError(os_error_message(exc, exc.filename or self.output.parent)) from exc
        return self.folder

    def _prepare(self) -> Path:
        """The staging folder, made a copy of the live site (from the shadow when there is one)."""
        folder = self._make_folder()
        if not self.output.is_dir():
            self._drop_shadow()  # the site it shadowed is gone
        elif self._take_shadow(folder):
            mirror(self.output, folder, self._link)
            shutil.copystat(self.output, folder)  # the live folder's mode, as copytree gives it
        else:
            link_tree(self.output, folder, self._link)
        for name in self.dropped:
            self._remove_owned(folder, name)
        return folder

    def _make_folder(self) -> Path:
        """A new empty folder of its own name beside the output (two builds at once, serve and a manual
        build, never share one), named in `self.folder` before it exists: a Ctrl-C at any moment leaves
        no folder `__exit__` does not know of (with mkdtemp, one landing between its return and the
        assignment left an empty staging folder behind)."""
        while True:
            folder = self.output.parent / f"{staging_prefix(self.output)}{secrets.token_hex(4)}"
            self.folder = folder
            try:
                os.mkdir(folder, 0o700)
            except FileExistsError:
                self.folder = None  # someone else's (the odds are one in four billion)
                continue
            os.chmod(folder, 0o755)  # it becomes the site the web server reads, whatever the umask
            return folder

    def write(self, files: dict[str, bytes]) -> int:
        """Stage the files whose bytes differ from the current version; count them."""
        self.claim(files)
        changed = {name: data for name, data in files.items() if not holds(self.root / name, data)}
        if not changed:
            return 0
        written = write_tree(self.open(), changed)
        self.changed += written
        return written

    def remove_files(self, names: Iterable[str]) -> int:
        """Remove files jianbao wrote that the new site no longer has (an asset deleted from layouts/, an
        image no article shows); count them. Only owned files, and folders they leave empty."""
        gone = [name for name in names if self.owned is None or name in self.owned]
        present = [name for name in gone if os.path.lexists(self.root / name)]
        if self.owned is not None:
            self.owned.difference_update(gone)
        if not present:
            return 0
        folder = self.open()
        for name in present:
            target = folder / name
            if target.is_dir() and not target.is_symlink():
                continue  # never a folder: the manifest lists files
            target.unlink(missing_ok=True)
            for parent in target.parents:
                if parent == folder or any(parent.iterdir()):
                    break
                parent.rmdir()
        self.changed += len(present)
        return len(present)

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
                link_or_copy(str(live), str(staged))
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
        if not link_or_copy(source, target):
            self.linked = False

    def _take_shadow(self, folder: Path) -> bool:
        """Move the shadow to `folder` (an empty folder, which a rename may replace); False if there is none."""
        if not self._has_shadow():
            return False
        try:
            os.rename(self.shadow, folder)
        except OSError:
            return False  # left as it is (never emptied: whatever it is, it did not move like ours would)
        return True

    def _drop_shadow(self) -> None:
        if self._has_shadow():
            remove_tree(self.shadow)

    def _has_shadow(self) -> bool:
        """Whether a shadow of ours is there: a folder that is empty (a first build's) or holds a manifest.
        A folder of someone else's that happens to bear the name is never touched."""
        if self.shadow.is_symlink() or not self.shadow.is_dir() or os.path.ismount(self.shadow):
            return False
        if os.stat(self.shadow).st_dev != os.stat(self.output.parent).st_dev:
            return False  # a folder of another disk mounted or moved here: not one a build left
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
