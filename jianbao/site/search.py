"""Staged issue pages → `search/`, the text the site's search box (layouts/assets/search.js) searches.

Pagefind, which this replaces, found a page only when each word of the query, as the browser's ICU
segmenter cut it, began a word its own segmenter (jieba) had cut from the page at index time: 专项资金
became 专 / 项 / 资金 and missed the page that held 技术改造专项资金, while 专项 matched a page with
专 and 项 apart. No pair of segmenters agrees on every text, so nothing here is segmented: the browser
holds every article's text (site/pagetext.py) and looks for the query itself — a substring in Chinese, a
whole token in Latin script and numbers — so an article holding it is always found, one that does not
never is, and the total is exact.

The text goes out gzipped, in at most two files, so that a reader's first search costs two requests
however large the archive (later ones none): `search/latest.bin` holds the newest whole years, as many
as fit in `VOLUME_BYTES`, and names the file of all the older ones, which is named after its contents
(a browser may keep it for good; it changes when a year moves out of latest.bin, or an old issue is
edited). A rebuild parses only the pages whose digest changed: the other issues' records are taken from
the index it replaces (each record carries its page's digest).
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterable
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jianbao.digests import digest_bytes
from jianbao.site.pagetext import page_articles

if TYPE_CHECKING:
    from jianbao.model import Issue

SEARCH_DIR = "search"
LATEST = f"{SEARCH_DIR}/latest.bin"
FORMAT = 1  # of the records and volumes; search.js reads this one only
# What latest.bin holds at most (about 2.5 times less gzipped), unless one year is larger: ten years of a
# fortnightly bulletin of 6,000 characters an issue, re-fetched by a reader's browser after each new issue.
VOLUME_BYTES = 4 * 1024 * 1024
_VOLUME_NAME = re.compile(r"^[0-9a-f]{16}\.bin$")

Record = dict[str, Any]


def issue_label(issue: Issue) -> str:
    """How a result names its issue: `2025年第9期（总第145期）`."""
    return f"{issue.date.year}年{issue.numbers_text}"


def index_key(issues: Iterable[Issue], digests: dict[str, str]) -> str:
    """What the search files are made from: each listed issue's page digest, label and draft mark."""
    listed = [(i.id, digests[i.id], issue_label(i), i.draft) for i in issues]
    return digest_bytes(json.dumps([FORMAT, VOLUME_BYTES, listed], ensure_ascii=False).encode())


def issue_record(issue: Issue, html: str, digest: str) -> Record:
    """One issue's entry in the index: its page, its label and its articles' text."""
    return {
        "id": issue.id,
        "url": f"{issue.id}/index.html",
        "label": issue_label(issue),
        "draft": issue.draft,
        "page": digest,
        "articles": [article.as_json() for article in page_articles(html)],
    }


def index_files(root: Path, issues: Iterable[Issue], digests: dict[str, str]) -> dict[str, bytes]:
    """The search files for `issues` (their pages staged under `root`, with these digests), keyed by path:
    latest.bin with the newest years that fit in `VOLUME_BYTES`, and the file of the older years.

    A record whose page is unchanged is taken from the index now under `root` (the older file is read only
    for one of its own), and the older file is kept as it is when it would hold the same pages.
    """
    previous = _Previous(root)
    made: dict[str, Record] = {}

    def record_of(issue: Issue) -> Record:
        if issue.id not in made:
            record = previous.record(issue, digests[issue.id])
            if record is None:
                html = (root / issue.id / "index.html").read_text(encoding="utf-8")
                record = issue_record(issue, html, digests[issue.id])
            made[issue.id] = record
        return made[issue.id]

    latest: list[Record] = []
    older: list[Issue] = []
    size = 0
    for _year, group in groupby(
        sorted(issues, key=lambda i: (i.date, i.total), reverse=True), key=lambda i: i.date.year
    ):
        year = list(group)
        if older:
            older.extend(year)
            continue
        grown = size + sum(len(_encode(record_of(issue))) for issue in year)
        if latest and grown > VOLUME_BYTES:
            older.extend(year)
        else:
            latest.extend(record_of(issue) for issue in year)
            size = grown
    files: dict[str, bytes] = {}
    volumes = []
    if older:
        key = _pages_key(older, digests)
        reused = previous.older_file(key)
        if reused is None:
            data = _encode({"format": FORMAT, "issues": [record_of(issue) for issue in older]})
            reused = f"{digest_bytes(data)[:16]}.bin", _compress(data)
        name, files[f"{SEARCH_DIR}/{reused[0]}"] = reused
        volumes.append({"file": name, "key": key, "ids": [issue.id for issue in older]})
    files[LATEST] = _compress(_encode({"format": FORMAT, "issues": latest, "volumes": volumes}))
    return files


def _pages_key(issues: list[Issue], digests: dict[str, str]) -> str:
    """What a file of records is made from: each issue's id, page digest, label and draft mark."""
    listed = [(i.id, digests[i.id], issue_label(i), i.draft) for i in issues]
    return digest_bytes(json.dumps([FORMAT, listed], ensure_ascii=False).encode())[:16]


def _stale(record: Record, issue: Issue, digest: str) -> bool:
    return (record["page"], record["label"], record["draft"]) != (digest, issue_label(issue), issue.draft)


class _Previous:
    """The index a build replaces, read as far as it is needed: latest.bin at once, the older file only for
    a record of its own (what a damaged or foreign index holds counts for nothing)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        latest = read_volume(root / LATEST)
        self.records = {r["id"]: r for r in latest["issues"] if _well_formed(r)} if latest else {}
        volumes = latest.get("volumes") if latest else None
        older = volumes[0] if isinstance(volumes, list) and volumes else None
        self.older = older if _well_formed_volume(older) else None
        self.older_ids = set(self.older["ids"]) if self.older else set()

    def record(self, issue: Issue, digest: str) -> Record | None:
        """The record of `issue` if its page is unchanged."""
        if issue.id not in self.records and issue.id in self.older_ids:
            self.older_ids = set()  # (read once)
            volume = read_volume(self.root / SEARCH_DIR / self.older["file"]) if self.older else None
            for record in volume["issues"] if volume else []:
                if _well_formed(record):
                    self.records.setdefault(record["id"], record)
        record = self.records.get(issue.id)
        return None if record is None or _stale(record, issue, digest) else record

    def older_file(self, key: str) -> tuple[str, bytes] | None:
        """The older file's name and bytes, if it holds the pages `key` says and its text is intact (the
        digest its name was made from)."""
        if self.older is None or self.older["key"] != key:
            return None
        name = self.older["file"]
        try:
            data = (self.root / SEARCH_DIR / name).read_bytes()
            intact = f"{digest_bytes(gzip.decompress(data))[:16]}.bin" == name
        except (OSError, EOFError, ValueError):
            return None
        return (name, data) if intact else None


def _well_formed_volume(entry: Any) -> bool:
    return (
        isinstance(entry, dict)
        and isinstance(entry.get("file"), str)
        and _VOLUME_NAME.match(entry["file"]) is not None
        and isinstance(entry.get("key"), str)
        and isinstance(entry.get("ids"), list)
    )


def _encode(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def _compress(data: bytes) -> bytes:
    """Gzip with no time stamp: the same text gives the same bytes."""
    return gzip.compress(data, compresslevel=6, mtime=0)


def read_volume(path: Path) -> dict[str, Any] | None:
    """A volume as written by `volume_files`; None if it is missing, damaged or of another format."""
    try:
        data = json.loads(gzip.decompress(path.read_bytes()))
    except (OSError, EOFError, ValueError):  # (zlib.error and gzip.BadGzipFile are OSError or ValueError)
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("issues"), list):
        return None
    return data


def _well_formed(record: Any) -> bool:
    """A record of the shape `issue_record` makes (its articles are passed on as they are)."""
    return (
        isinstance(record, dict)
        and all(isinstance(record.get(key), str) for key in ("id", "url", "label", "page"))
        and isinstance(record.get("draft"), bool)
        and isinstance(record.get("articles"), list)
    )


def volume_names(files: Iterable[str]) -> set[str]:
    """The names under `search/` among some site paths (what a build keeps there)."""
    prefix = f"{SEARCH_DIR}/"
    return {path.removeprefix(prefix) for path in files if path.startswith(prefix)}
