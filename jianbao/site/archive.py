"""Model → the pages around the issues: the archive (`index.html`) and the Atom feed (`feed.xml`).

`render_archive` and `render_feed` turn the published issues into Jinja
layouts (so the office can restyle them); `belongs` says which top-level
names of the output folder a build keeps. Drafts never reach either page.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from itertools import groupby

import jinja2

from jianbao.model import ISSUE_ID_RE, Issue, Site
from jianbao.site.pages import render_layout
from jianbao.site.search import SEARCH_DIR

# Top-level names of the output folder that are not issue folders.
SITE_FILES = frozenset({"index.html", "feed.xml", "404.html", "assets", SEARCH_DIR})
# The feed's entries: the newest issues only (two years of a fortnightly bulletin). Feed readers fetch the
# whole file on every poll, and the archive page lists every issue; 1,000 entries would make it 770 KB.
FEED_ENTRIES = 50
# Feed ids must never change once readers have seen them: derive them from names, not from paths or times.
_FEED_NAMESPACE = uuid.UUID("5b0f6c3e-4a61-4f4e-9d7e-6a2f1c1b8e01")


def render_archive(
    env: jinja2.Environment,
    site: Site,
    issues: list[Issue],
    pdf_sizes: dict[str, str],
    drafts: list[Issue],
    covers: frozenset[str] = frozenset(),
) -> str:
    """The archive index: published issues newest first, grouped by year (drafts listed apart for previews),
    each with its cover thumbnail when its PDF (and so the thumbnail) has been made (`covers`: their ids)."""
    years = [(year, list(group)) for year, group in groupby(newest_first(issues), key=lambda i: i.date.year)]
    context = {"years": years, "pdf_sizes": pdf_sizes, "drafts": drafts, "covers": covers}
    return render_layout(env, "archive.html", bulletin=site.bulletin, **context)


def render_not_found(env: jinja2.Environment, site: Site) -> str:
    """404.html, for the server to show at any address: its links start at bulletin.yaml's base_url, or
    (none given) at the site root its script finds from the address it is shown at."""
    names = sorted(SITE_FILES | {issue.id for issue in site.issues})
    return render_layout(env, "404.html", bulletin=site.bulletin, root=link_base(site.bulletin.base_url), names=names)


def render_feed(
    env: jinja2.Environment,
    site: Site,
    issues: list[Issue],
    pdf_bytes: dict[str, int] | None = None,
    docx_bytes: dict[str, int] | None = None,
) -> str:
    """The Atom 1.0 feed: one entry for each of the newest `FEED_ENTRIES` published issues, newest first
    (`pdf_bytes` give the enclosures' lengths; an issue in `docx_bytes` encloses its Word edition too); a
    corrected issue's entry is updated on its last correction."""
    return render_layout(
        env,
        "feed.xml",
        bulletin=site.bulletin,
        issues=newest_first(issues)[:FEED_ENTRIES],
        pdf_bytes=pdf_bytes or {},
        docx_bytes={issue_id: size for issue_id, size in (docx_bytes or {}).items() if size},
        base=link_base(site.bulletin.base_url),
        feed_id=feed_id(site.bulletin.title, ""),
        entry_id=lambda issue: feed_id(site.bulletin.title, issue.id),
        timestamp=lambda issue: stamp(issue.date),
        updated=lambda issue: stamp(issue.modified),  # a correction updates its entry
        feed_updated=max((stamp(issue.modified) for issue in issues), default=stamp(dt.date(1970, 1, 1))),
    )


def stamp(date: dt.date) -> str:
    """An Atom date-time for a day in China."""
    return f"{date.isoformat()}T00:00:00+08:00"


def newest_first(issues: list[Issue]) -> list[Issue]:
    """Issues by date (then total), the newest first."""
    return sorted(issues, key=lambda i: (i.date, i.total), reverse=True)


def feed_id(title: str, issue_id: str) -> str:
    """A stable `urn:uuid:` for the feed (empty id) or one issue."""
    return uuid.uuid5(_FEED_NAMESPACE, f"{title}/{issue_id}").urn


def link_base(base_url: str) -> str:
    """Prefix for feed links: empty (relative to feed.xml) unless bulletin.yaml gives the site's address."""
    return "" if base_url in ("", "/") else base_url.rstrip("/") + "/"


def feed_warning(site: Site) -> str:
    """What `check` should say when bulletin.yaml gives no site address ('' when it does): the feed's links
    are then relative, with no rel="self", and most feed readers cannot follow them."""
    if link_base(site.bulletin.base_url):
        return ""
    return (
        "bulletin.yaml 没有设置 base_url（网站地址）：订阅源 feed.xml 只能用相对链接，多数订阅软件打不开。"
        "请写上内网地址，例如 base_url: http://intranet.example/jianbao/"
    )


def belongs(site: Site, drafts: bool) -> Callable[[str], bool]:
    """Which top-level names of the output folder this build keeps (stale issues and drafts go)."""
    wanted = {issue.id for issue in site.issues if drafts or not issue.draft}  # 送审 issues too: printed for review
    return lambda name: name in SITE_FILES or name in wanted or not ISSUE_ID_RE.match(name)
