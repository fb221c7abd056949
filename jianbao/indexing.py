"""A build's search index, from start to recorded files: `SearchJob` over a staged site.

The index reads only the issue pages, so it is started as soon as they are
staged — beside one rendering PDF, or after several (their workers fill the
cores and the memory, and Pagefind takes ~70 MB a bundle). A year's bundle is
indexed again only when its pages changed or its files are missing or damaged.
An issue whose PDF failed keeps its last good page, so an index already under
way restarts on what will actually be published. Used as a context manager,
it never leaves Pagefind running.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from jianbao import disk
from jianbao.digests import digest_file
from jianbao.options import Options
from jianbao.plan import Plan, published
from jianbao.site.search import (
    BUNDLES,
    SEARCH_DIR,
    Foreign,
    SearchIndex,
    bundle_files,
    bundle_key,
    bundle_list,
    bundles_of,
    file_marks,
)
from jianbao.write import manifest
from jianbao.write.staging import Staging


class SearchJob:
    """The search index of one build: started, restarted if what it indexes changed, finished (its files
    recorded in the manifest and owned by the staged site) before the swap."""

    def __init__(self, stage: Staging, plan: Plan, options: Options, records: manifest.Manifest):
        self.stage, self.plan, self.options, self.records = stage, plan, options, records
        self.index: SearchIndex | None = None
        self.started = False
        self.keys: dict[str, str] = {}  # bundle → what its index is made from
        self.written = 0

    @property
    def wanted(self) -> bool:
        """Whether this build brings the search index up to date."""
        return self.options.index and not self.options.pages_only

    def start(self) -> None:
        """Index, in the background, the bundles whose pages changed or whose index is missing or damaged;
        drop what the index holds besides the wanted bundles (years no longer published)."""
        self.stop()
        self.started = True
        if not self.wanted:
            return
        root = self.stage.root
        bundles = bundles_of([i for i in published(self.plan.shown) if (root / i.id / "index.html").is_file()])
        self.keys = {name: bundle_key(self.page_digests(ids)) for name, ids in bundles.items()}
        forced = {i.id for i in self.plan.issues} if self.options.force else set()  # --force: the years built
        stale = {
            name: ids
            for name, ids in bundles.items()
            if forced.intersection(ids) or not self.records.fresh(manifest.search_unit(name), self.keys[name])
        }
        self.drop_leftovers({*bundles, BUNDLES})
        self.written += self.stage.write({f"{SEARCH_DIR}/{BUNDLES}": bundle_list(bundles)})
        foreign = self.foreign_files(stale) if stale else {}  # someone's files there: kept, never indexed
        for name in stale:
            self.forget(name)
        if stale:
            self.index = SearchIndex(self.stage.open(), stale, self.options.output, foreign)

    def after_pdfs(self, reverted: int) -> None:
        """Start the index left for after the PDFs, or start again if failed issues' pages were put back."""
        if not self.started or reverted:
            self.start()

    def finish(self) -> None:
        """Wait for the bundles being indexed and record their files (the search index is jianbao's whole)."""
        if self.index is None:
            return
        self.index.wait()
        for name in self.index.bundles:
            files = bundle_files(self.stage.root, name, self.index.foreign)
            self.records.record(manifest.search_unit(name), self.keys[name], files)
            self.stage.claim(files)
        self.index = None

    def stop(self) -> None:
        if self.index is not None:
            self.index.stop()
            self.index = None

    def page_digests(self, issue_ids: list[str]) -> list[tuple[str, str]]:
        """Each issue's page digest: as this or an earlier build recorded it, else (older manifests) as found."""
        pairs = []
        for issue_id in issue_ids:
            name = f"{issue_id}/index.html"
            entry = self.records.units.get(manifest.page_unit(issue_id))
            digest = entry["files"].get(name) if entry is not None else None
            pairs.append((issue_id, digest or digest_file(self.stage.root / name) or ""))
        return pairs

    def drop_leftovers(self, wanted: set[str]) -> None:
        """Remove from the index what no wanted bundle holds: the bundles of years gone, an older layout."""
        index = self.stage.root / SEARCH_DIR
        leftovers = [name for name in os.listdir(index) if name not in wanted] if index.is_dir() else []
        for name in leftovers:
            files = [f"{name}/{file}" for file in disk.walk(index / name).files] if (index / name).is_dir() else [name]
            self.stage.remove(f"{SEARCH_DIR}/{file}" for file in files)  # only what jianbao wrote there
            self.forget(name)

    def foreign_files(self, bundles: Iterable[str]) -> Foreign:
        """The files in these bundles' folders that jianbao did not write (someone's), as they are now."""
        owned = self.stage.owned
        if owned is None:
            return {}
        folder = self.stage.open()
        names = [
            f"{SEARCH_DIR}/{bundle}/{file}"
            for bundle in bundles
            for file in disk.walk(folder / SEARCH_DIR / bundle).files
        ]
        return file_marks(folder, [name for name in names if name not in owned])

    def forget(self, name: str) -> None:
        """A bundle about to be made again or removed: its files are no longer recorded or owned."""
        self.records.forget(manifest.search_unit(name))
        self.stage.disown(f"{SEARCH_DIR}/{name}")

    def __enter__(self) -> SearchJob:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
