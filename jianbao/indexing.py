"""A staged site and its plan → the files of its search index (site/search.py), staged and recorded.

The index is the visible text of every page the archive lists (drafts too in
a preview build), read from the staged pages once the PDFs are done — an issue
whose PDF failed keeps its last good page, so the index is read from what will
actually be published. It is made again only when one of those pages changed;
files of an older index (another volume, Pagefind's bundles before) are removed.
"""

from __future__ import annotations

import os

from jianbao.options import Options
from jianbao.plan import Plan, published
from jianbao.site.search import LATEST, SEARCH_DIR, index_files, index_key, volume_names
from jianbao.write import manifest
from jianbao.write.staging import Staging

SEARCH_UNIT = manifest.search_unit("text")


def stage_search(stage: Staging, plan: Plan, options: Options, records: manifest.Manifest) -> int:
    """Stage the search files when a listed page changed (or the index is missing); count the files written."""
    if not options.index or options.pages_only:
        return 0
    searchable = plan.shown.issues if options.drafts else published(plan.shown)  # as the archive lists them
    listed = [issue for issue in searchable if (stage.root / issue.id / "index.html").is_file()]
    digests = dict(page_digests(stage, records, [issue.id for issue in listed]))
    key = index_key(listed, digests)
    for old in [unit for unit in records.units if unit.startswith(manifest.search_unit("")) and unit != SEARCH_UNIT]:
        records.forget(old)  # Pagefind's bundles, before
    if not options.force and records.fresh(SEARCH_UNIT, key, [LATEST]):
        return 0
    files = index_files(stage.root, listed, digests)
    drop_leftovers(stage, volume_names(files))
    written = stage.write(files)
    records.record(SEARCH_UNIT, key, files)
    return written


def page_digests(stage: Staging, records: manifest.Manifest, issue_ids: list[str]) -> list[tuple[str, str]]:
    """Each issue's page digest: as this or an earlier build recorded it (while the page still has it), else as
    found."""
    digest = records.digest_of
    return [(i, digest(manifest.page_unit(i), f"{i}/index.html", stage.root) or "") for i in issue_ids]


def drop_leftovers(stage: Staging, wanted: set[str]) -> None:
    """Remove from `search/` what jianbao wrote there and the new index does not hold (older volumes, files of
    another layout); a file someone else put there stays."""
    folder = stage.root / SEARCH_DIR
    for name in sorted(os.listdir(folder)) if folder.is_dir() else []:
        if name not in wanted:
            stage.remove(f"{SEARCH_DIR}/{name}")
