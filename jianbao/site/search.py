"""Staged issue pages → `search/`, the text the site's search box (layouts/assets/search.js) searches.

Pagefind, which this replaces, found a page only when each word of the query, as the browser's ICU
segmenter cut it, began a word its own segmenter (jieba) had cut from the page at index time: 专项资金
became 专 / 项 / 资金 and missed the page that held 技术改造专项资金, while 专项 matched a page with
专 and 项 apart. No pair of segmenters agrees on every text, so nothing here is segmented: the browser
holds every article's text (site/pagetext.py) and looks for the query itself — a substring in Chinese, a
whole token in Latin script and numbers — so an article holding it is always found, one that does not
never is, and the total is exact.

The text goes out gzipped, in volumes of whole years. `search/latest.bin` holds the newest years and
names the older volumes, which are named after their contents (so a browser may keep them for good);
a volume is closed once it holds `VOLUME_BYTES`. A rebuild parses only the pages whose digest changed:
the other issues' records are taken from the index it replaces (each record carries its page's digest).
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
# A volume closes once its text reaches this size (about 2.5 times smaller gzipped): 80 issues of a real
# bulletin fit in one, and a reader's first search fetches latest.bin plus one file per older volume.
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
    """The search files for `issues` (their pages staged under `root`, with these digests), keyed by path.

    Records whose page is unchanged come from the index now under `root`; the other pages are read.
    """
    previous = previous_records(root)
    chosen = sorted(issues, key=lambda i: (i.date, i.total), reverse=True)
    records = []
    for issue in chosen:
        record = previous.get(issue.id)
        if record is None or _stale(record, issue, digests[issue.id]):
            html = (root / issue.id / "index.html").read_text(encoding="utf-8")
            record = issue_record(issue, html, digests[issue.id])
        records.append((issue.date.year, record))
    return volume_files(records)


def _stale(record: Record, issue: Issue, digest: str) -> bool:
    return (record["page"], record["label"], record["draft"]) != (digest, issue_label(issue), issue.draft)


def volume_files(records: list[tuple[int, Record]]) -> dict[str, bytes]:
    """Records (year, record), newest first → latest.bin and the closed volumes, keyed by path."""
    closed: list[list[Record]] = []
    current: list[Record] = []
    size = 0
    for _year, group in groupby(reversed(records), key=lambda pair: pair[0]):  # oldest year first
        for _, record in group:
            current.append(record)
            size += len(_encode(record))
        if size >= VOLUME_BYTES:
            closed.append(current)
            current, size = [], 0
    files: dict[str, bytes] = {}
    names: list[str] = []
    for volume in closed:
        data = _encode({"format": FORMAT, "issues": volume[::-1]})
        name = f"{digest_bytes(data)[:16]}.bin"
        files[f"{SEARCH_DIR}/{name}"] = _compress(data)
        names.insert(0, name)  # newest first
    files[LATEST] = _compress(_encode({"format": FORMAT, "issues": current[::-1], "volumes": names}))
    return files


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


def previous_records(root: Path) -> dict[str, Record]:
    """The records of the index under `root`, by issue id (what a damaged or foreign index holds is left out)."""
    latest = read_volume(root / LATEST)
    if latest is None:
        return {}
    records = list(latest["issues"])
    for name in latest.get("volumes", []):
        volume = read_volume(root / SEARCH_DIR / name) if isinstance(name, str) and _VOLUME_NAME.match(name) else None
        records.extend(volume["issues"] if volume else [])
    return {record["id"]: record for record in records if _well_formed(record)}


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
