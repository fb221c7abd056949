"""Content hashes and the build manifest (what lets a rebuild skip work).

An issue's PDF is reused only when the hash of everything it is made from —
the issue's folder, `bulletin.yaml`, the layouts and CSS, the fonts in use,
the versions of jianbao and WeasyPrint, and the build options — equals the
key recorded in the manifest, *and* the file on disk still has the digest
recorded for it. Inputs are judged by their bytes only, never by file times
(editors copy folders); an output file's size, mtime and inode, noted by the
build that wrote it (in a file of their own: `STATS`), stand in for its digest
as git's index does, and any difference means hashing it again. Each issue's web page
(with its images) is a unit of its own, keyed by the issue and its
neighbours; the site pages (archive and what else the site stage writes) form
one more unit whose key covers every published issue. The manifest and the
stats live beside the output folder, in `.<output>.jianbao-cache/`, never in
the folder a web server serves (`cache_folder`; builds before kept them in the
output folder, and the next build moves them out); a missing, truncated or
foreign manifest simply means "rebuild".
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jianbao import __version__, disk
from jianbao.digests import digest_bytes, digest_file, feed_tree, installed_version, new_hasher
from jianbao.errors import UnreadableError
from jianbao.files import cache_folder, write_atomic
from jianbao.model import ISSUE_ID_RE

if TYPE_CHECKING:
    from jianbao.model import Issue
    from jianbao.options import Options
    from jianbao.pdf.fonts import FontSetup

MANIFEST = "manifest.json"  # in `cache_folder(output)`
FORMAT = 2  # 2: each issue's unit holds its cover thumbnail beside the PDF
# Each output file's stat as the build that wrote it left it, with its digest: `fresh` then hashes only files
# whose stat changed, as git's index does. Apart from the manifest, whose bytes stay the same for the same input.
STATS = "stats.json"  # in `cache_folder(output)`
# Where builds before kept both, inside the output folder (served with the site): read once, then removed.
LEGACY_MANIFEST, LEGACY_STATS = ".jianbao-cache.json", ".jianbao-stats.json"
SITE = ":site"  # the manifest's unit for the archive and the other site pages


def manifest_path(output: Path) -> Path:
    """The manifest of `output`."""
    return cache_folder(output) / MANIFEST


def holds_manifest(output: Path) -> bool:
    """Whether a build wrote `output` (its manifest is there, or inside it as builds before kept it)."""
    return os.path.lexists(manifest_path(output)) or (output / LEGACY_MANIFEST).is_file()


def search_unit(bundle: str) -> str:
    """The manifest's unit for one bundle of the search index (site/search.py)."""
    return f":search:{bundle}"


def page_unit(issue_id: str) -> str:
    """The manifest's unit for one issue's web page and its images (never a valid issue id)."""
    return f":page:{issue_id}"


def shared_key(options: Options, fonts: FontSetup) -> str:
    """The hash of everything every issue's output depends on."""
    hasher = new_hasher()
    chosen = options.cache_key_values()
    versions = [__version__, *(installed_version(name) for name in ("weasyprint", "pydyf", "jinja2", "markdown"))]
    hasher.update(json.dumps([FORMAT, versions, chosen], sort_keys=True, default=str).encode())
    feed_tree(hasher, options.content / "bulletin.yaml")
    hasher.update(b"\0layouts")
    feed_tree(hasher, options.layouts)
    hasher.update(b"\0fonts" + fonts.css().encode() + fonts.fingerprint().encode())
    # All of fonts/, not only the files given a role: print.css may name any of them in @font-face.
    feed_tree(hasher, options.fonts)
    return str(hasher.hexdigest())


def issue_key(shared: str, issue: Issue, folder_digest: str) -> str:
    """The hash of everything one issue's PDF is made from (`folder_digest`: the `tree_digest` of its folder)."""
    return digest_bytes(f"{shared}\0{issue.id}\0{folder_digest}".encode())


def page_key(shared: str, key: str, previous: tuple[str, str] | None, following: tuple[str, str] | None) -> str:
    """The hash an issue's web page depends on: its issue key and its neighbours' (id, key), for the links."""
    return digest_bytes(json.dumps([shared, "page", key, previous, following]).encode())


def site_key(shared: str, issues: Iterable[tuple[str, str, int]]) -> str:
    """The hash the site pages depend on: every published issue's (id, key, PDF size)."""
    return digest_bytes(json.dumps([shared, sorted(issues)]).encode())


class Manifest:
    """What the last build wrote: per unit, its key and each file's digest; and every path jianbao
    wrote into the output folder (`owned`, as read: the only paths a later build may ever delete there;
    during a build the staged site keeps the set, and hands it back to `save`)."""

    def __init__(self, output: Path, units: dict[str, dict[str, Any]] | None = None, owned: set[str] | None = None):
        self.output = output
        self.units: dict[str, dict[str, Any]] = units or {}
        self.owned: frozenset[str] = frozenset(owned or ())
        # The owned paths as read from a valid manifest (None: none there): a build that changed nothing
        # rewrites nothing.
        self._loaded_owned = self.owned if units is not None else None
        self.changed = False
        self.recorded: set[str] = set()  # the units this build wrote
        self.restat: set[str] = set()  # files whose stat had changed, their bytes not
        self.stats = read_stats(output)  # name → [size, mtime, inode, digest], as the last build left each file

    @classmethod
    def load(cls, output: Path) -> Manifest:
        """The manifest in `output`; an empty one if it is missing or not exactly ours.

        The list of owned paths is read even from a manifest of another version (it only ever
        narrows what may be deleted); a missing or broken list means "delete nothing".
        """
        path = manifest_path(output)
        try:
            # Bounded, and never a FIFO or a device put in its place; nested past any manifest: not ours.
            where = path if os.path.lexists(path) else output / LEGACY_MANIFEST
            data = json.loads(disk.read_bounded(where, disk.CACHE))
        except (UnreadableError, ValueError, RecursionError):
            return cls(output)
        owned = owned_paths(data)
        try:
            if data.get("format") != FORMAT or data.get("jianbao") != __version__:
                return cls(output, owned=owned)
            units = data["units"]
            if not isinstance(units, dict) or not all(_valid_unit(u) for u in units.values()):
                return cls(output, owned=owned)
            return cls(output, units, owned)
        except (ValueError, TypeError, KeyError, AttributeError):
            return cls(output, owned=owned)

    def fresh(self, unit: str, key: str, needs: Iterable[str] = ()) -> bool:
        """True if `unit` was built from `key`, lists the files it `needs` (a damaged manifest may have lost one),
        and its files on disk are exactly what was written, at the sizes recorded (the archive shows them)."""
        entry = self.units.get(unit)
        if entry is None or entry["key"] != key or not set(needs) <= set(entry["files"]):
            return False
        return all(self._holds(name, digest, entry["sizes"][name]) for name, digest in entry["files"].items())

    def digest_of(self, unit: str, name: str, root: Path) -> str | None:
        """The digest of the file `name` of `unit` in the site at `root` (the staged one): as this build recorded
        it, or as an earlier build did while the file still holds it, else what it is now (None if it cannot be
        read). Never a recorded digest the file does not have (a forged or damaged manifest)."""
        entry = self.units.get(unit)
        if entry is not None and name in entry["files"]:
            recorded = str(entry["files"][name])
            if unit in self.recorded or self._holds(name, recorded, entry["sizes"][name]):
                return recorded
        return digest_file(root / name)

    def _holds(self, name: str, digest: str, size: int) -> bool:
        """Whether the output file `name` has `digest` and `size`: its stat as noted with that digest, or else its
        bytes."""
        path = self.output / name
        try:
            now = _stat_of(path)
        except (OSError, ValueError):
            return False
        if now[0] != size:
            return False
        if self.stats.get(name) == [*now, digest]:
            return True
        if digest_file(path) != digest:
            return False
        self.restat.add(name)  # (touched, or copied back): noted anew, so that it is not hashed each time
        return True

    def record(self, unit: str, key: str, files: dict[str, bytes]) -> None:
        """Remember that `unit` built from `key` wrote `files`."""
        self.units[unit] = {
            "key": key,
            "files": {name: digest_bytes(data) for name, data in files.items()},
            "sizes": {name: len(data) for name, data in files.items()},
        }
        self.recorded.add(unit)
        self.changed = True

    def dropped(self, unit: str, files: Iterable[str]) -> list[str]:
        """The files `unit` made last time that it no longer makes, and that no other unit makes."""
        entry = self.units.get(unit)
        if entry is None:
            return []
        kept = set(files)
        others = {name for other, item in self.units.items() if other != unit for name in item["files"]}
        return sorted(name for name in entry["files"] if name not in kept and name not in others)

    def forget(self, unit: str) -> None:
        if self.units.pop(unit, None) is not None:
            self.changed = True

    def save(self, folder: Path, owned: set[str] | frozenset[str]) -> None:
        """Write the manifest (atomically) beside the output folder, describing the site in `folder` (the
        staging folder about to be swapped in, or the output folder) if that exists, with the paths jianbao
        now `owned` there. The files builds before kept inside the site go from it."""
        if not folder.is_dir():
            return
        # Unchanged, the file there says all this already.
        if self.changed or self._loaded_owned != frozenset(owned) or not manifest_path(self.output).is_file():
            data = {"format": FORMAT, "jianbao": __version__, "units": self.units, "owned": sorted(owned)}
            write_atomic(manifest_path(self.output), json.dumps(data, ensure_ascii=False, sort_keys=True).encode())
        self.save_stats(folder)
        for site in {folder, self.output}:
            for name in (LEGACY_MANIFEST, LEGACY_STATS):
                (site / name).unlink(missing_ok=True)

    def save_stats(self, folder: Path) -> None:
        """Note each recorded file's stat beside its digest, for the next build's `fresh`.

        The files of units this build did not write keep the stat noted before: one since changed
        no longer matches it, and is hashed. So a large archive's unchanged files are not stat'ed twice.
        """
        stats: dict[str, list[int | str]] = {}
        for unit, entry in self.units.items():
            for name, digest in entry["files"].items():
                noted = self.stats.get(name)
                left_alone = unit not in self.recorded and name not in self.restat
                if left_alone and noted is not None and noted[3:] == [digest]:
                    stats[name] = noted
                    continue
                with suppress(OSError):  # not there (an issue that failed): hashed next time
                    stats[name] = [*_stat_of(folder / name), digest]
        path = cache_folder(self.output) / STATS
        if stats != self.stats or not path.is_file():
            with suppress(OSError):  # only a shortcut: without it the next build hashes the files
                write_atomic(path, json.dumps(stats, sort_keys=True).encode())


def read_stats(output: Path) -> dict[str, list[int | str]]:
    """The stats noted by the last build (empty if missing or malformed: every file is then hashed)."""
    path = cache_folder(output) / STATS
    try:
        stats = json.loads(disk.read_bounded(path if os.path.lexists(path) else output / LEGACY_STATS, disk.CACHE))
    except (UnreadableError, ValueError, RecursionError):
        return {}
    if not isinstance(stats, dict):
        return {}
    return {name: noted for name, noted in stats.items() if _valid_stat(noted)}  # a damaged entry: hashed


def _valid_stat(noted: Any) -> bool:
    """[size, mtime, inode, digest], as `save_stats` writes it."""
    return (
        isinstance(noted, list)
        and len(noted) == 4
        and all(isinstance(n, int) and not isinstance(n, bool) for n in noted[:3])
        and isinstance(noted[3], str)
    )


def _stat_of(path: Path) -> list[int]:
    """What identifies a file's current bytes without reading them: size, mtime and inode (a rename
    keeps all three, any rewrite changes one). Never ctime: the staging copy's hard links change it."""
    stat = os.stat(path)
    return [stat.st_size, stat.st_mtime_ns, stat.st_ino]


def owned_paths(data: Any) -> set[str]:
    """The paths a manifest says jianbao wrote: its `owned` list and (manifests from before that
    list existed) each unit's files and each issue's page; anything malformed counts for nothing."""
    owned: set[str] = set()
    if not isinstance(data, dict):
        return owned
    listed = data.get("owned")
    if isinstance(listed, list):
        owned.update(name for name in listed if isinstance(name, str))
    units = data.get("units")
    if isinstance(units, dict):
        for unit_name, unit in units.items():
            files = unit.get("files") if isinstance(unit, dict) else None
            if isinstance(files, dict):
                owned.update(name for name in files if isinstance(name, str))
            if isinstance(unit_name, str) and ISSUE_ID_RE.match(unit_name):
                owned.add(f"{unit_name}/index.html")
    return {name for name in owned if name and _safe_name(name)}


def _valid_unit(unit: Any) -> bool:
    """A manifest entry of the expected shape (anything else means the file is not ours)."""
    return (
        isinstance(unit, dict)
        and isinstance(unit.get("key"), str)
        and isinstance(unit.get("files"), dict)
        and isinstance(unit.get("sizes"), dict)
        and all(isinstance(k, str) and isinstance(v, str) for k, v in unit["files"].items())
        and all(isinstance(v, int) and not isinstance(v, bool) for v in unit["sizes"].values())
        and set(unit["files"]) == set(unit["sizes"])
        and all(_safe_name(k) for k in unit["files"])
    )


def _safe_name(name: str) -> bool:
    """A manifest file name stays inside the output folder (never read elsewhere) and names a file there."""
    parts = name.split("/")
    controls = any(ord(c) < 32 or ord(c) == 127 for c in name)
    return not name.startswith("/") and ".." not in parts and "" not in parts and not controls
