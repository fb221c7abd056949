"""The site around the issues: archive, Atom feed, search index, drafts, HTML conventions."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit

import html5lib
import pdfplumber
import pytest

from jianbao.markup import load_content
from jianbao.recipe import build
from jianbao.site import search
from jianbao.site.archive import FEED_ENTRIES, feed_warning, render_archive, render_feed
from jianbao.site.pages import human_size, make_environment
from jianbao.write.manifest import STATS
from tests.conftest import MULTIYEAR, options_for

pytestmark = pytest.mark.slow  # the multi-year fixture builds PDFs

ATOM = "{http://www.w3.org/2005/Atom}"
PUBLISHED = ["2025-01", "2024-12", "2024-11"]  # newest first


def parse_html(path: Path) -> ET.Element:
    """Parse a page as HTML5, failing on any parse error."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    return parser.parse(path.read_bytes())


def local_target(page: Path, href: str) -> Path:
    """The output file a relative link on `page` points at."""
    return (page.parent / urlsplit(href).path).resolve()


def test_the_feed_holds_the_newest_fifty_issues_and_the_archive_all(multiyear: Path) -> None:
    """A 20-year archive: the feed (fetched whole on every poll) carries the newest issues, the archive every one."""
    site, _ = load_content(multiyear / "content")
    first = site.issues[0]
    many = [
        replace(
            first,
            id=f"{2000 + n // 24}-{n % 24 + 1:02d}",
            number=n % 24 + 1,
            total=n + 1,
            date=dt.date(2000 + n // 24, n % 24 // 2 + 1, 1 + 14 * (n % 2)),
        )
        for n in range(120)
    ]
    env = make_environment(multiyear / "layouts")
    feed = ET.fromstring(render_feed(env, site, many))
    links = [link.get("href") for link in feed.findall(f"{ATOM}entry/{ATOM}link[@rel='alternate']")]
    assert len(links) == FEED_ENTRIES == 50
    assert links[0] == "2004-24/index.html" and links[-1] == "2002-23/index.html"
    archive = render_archive(env, site, many, {i.id: "1 KB" for i in many}, [])
    assert all(f'href="{i.id}/index.html"' in archive for i in many)


def test_archive_lists_published_issues_newest_first_by_year(multiyear_build: Path) -> None:
    output = multiyear_build / "output"
    page = output / "index.html"
    tree = parse_html(page)
    assert tree.findtext(".//h1") == "调研参考"
    assert "".join(tree.find(".//header/p[@class='organizers']").itertext()) == "江南发展研究中心　江南市社科联　主办"
    years = tree.findall(".//main/section")
    assert [section.findtext("h2") for section in years] == ["2025 年", "2024 年"]
    heads = [a for a in tree.iterfind(".//main//p[@class='issue-head']/a[1]")]
    assert [a.get("href") for a in heads] == [f"{i}/index.html" for i in PUBLISHED]
    assert [a.text for a in heads] == ["第1期（总第25期）", "第12期（总第24期）", "第11期（总第23期）"]
    assert [t.text for t in tree.iterfind(".//main//time")] == ["2025年1月10日", "2024年12月20日", "2024年11月15日"]
    titles = tree.findall(".//main//ul[@class='titles']/li/a")
    assert ["".join(a.itertext()) for a in titles] == [
        "内河港口转型升级的思考",
        "社区嵌入式养老服务调研",
        "夜间经济发展情况简析",
        "太湖湿地保护修复的经验",
    ]
    assert titles[2].get("href") == "2024-12/index.html#art2"
    for issue_id in PUBLISHED:
        (pdf,) = tree.findall(f".//main//a[@href='{issue_id}/{issue_id}.pdf']")
        assert pdf.text == f"PDF（{human_size((output / issue_id / f'{issue_id}.pdf').stat().st_size)}）"
    ids = {element.get("id") for element in tree.iter()}
    for link in tree.iterfind(".//a[@href]"):
        href = link.get("href", "")
        assert href[1:] in ids if href.startswith("#") else local_target(page, href).is_file(), href
    text = page.read_text(encoding="utf-8")
    assert "2025-02" not in text and "草莓" not in text and "草稿" not in text


def test_issue_pages_link_prev_next_and_back_to_the_archive(multiyear_build: Path) -> None:
    output = multiyear_build / "output"
    chain = list(reversed(PUBLISHED))
    for index, issue_id in enumerate(chain):
        page = output / issue_id / "index.html"
        tree = parse_html(page)
        crumbs = tree.findall(".//nav[@class='site-nav']/ol[@class='breadcrumb']/li")
        assert crumbs[0].find("a").get("href") == "../index.html"
        assert crumbs[-1].get("aria-current") == "page"
        prev = tree.find(".//a[@rel='prev']")
        following = tree.find(".//a[@rel='next']")
        assert (prev is not None) == (index > 0) and (following is not None) == (index < len(chain) - 1)
        if prev is not None:
            assert local_target(page, prev.get("href", "")) == (output / chain[index - 1] / "index.html").resolve()
        if following is not None:
            assert local_target(page, following.get("href", "")) == (output / chain[index + 1] / "index.html").resolve()


def test_pages_are_conventional_html(multiyear_build: Path) -> None:
    output = multiyear_build / "output"
    pages = sorted(output.glob("**/index.html"))
    assert [p.relative_to(output).as_posix() for p in pages if "pagefind" not in p.parts] == [
        "2024-11/index.html",
        "2024-12/index.html",
        "2025-01/index.html",
        "index.html",
    ]
    for page in pages:
        tree = parse_html(page)
        assert tree.get("lang") == "zh-CN"
        assert len(tree.findall(".//h1")) == 1, page
        assert len(tree.findall(".//main")) == 1
        assert tree.find(".//nav") is not None or page.parent == output
        assert tree.find(".//*[@role='search']") is not None
        # Every image says what it shows, but the archive's decorative covers (alt="", hidden from readers).
        assert all(
            img.get("alt") or (img.get("alt") == "" and img.get("src", "").endswith("/cover.png"))
            for img in tree.iter("img")
        )
        for element in tree.iter():
            for name in ("src", "href"):
                value = element.get(name, "")
                assert not urlsplit(value).netloc and not value.startswith("//"), f"{page}: {value}"


def test_feed_is_valid_atom_with_one_entry_per_published_issue(multiyear_build: Path) -> None:
    output = multiyear_build / "output"
    feed = ET.parse(output / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated", "author/" + ATOM + "name"):
        assert feed.findtext(ATOM + required), required
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == [
        "调研参考 2025年第1期（总第25期）",
        "调研参考 2024年第12期（总第24期）",
        "调研参考 2024年第11期（总第23期）",
    ]
    assert [e.findtext(f"{ATOM}updated") for e in entries] == [
        "2025-01-10T00:00:00+08:00",
        "2024-12-20T00:00:00+08:00",
        "2024-11-15T00:00:00+08:00",
    ]
    assert feed.findtext(f"{ATOM}updated") == entries[0].findtext(f"{ATOM}updated")
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(set(ids)) == 3 and all(i and i.startswith("urn:uuid:") for i in ids)
    for entry, issue_id in zip(entries, PUBLISHED, strict=True):
        (alternate,) = entry.findall(f"{ATOM}link[@rel='alternate']")
        assert alternate.get("href") == f"{issue_id}/index.html"
        assert (output / issue_id / "index.html").is_file()
        items = entry.findall(f"{ATOM}content/{{http://www.w3.org/1999/xhtml}}div//{{http://www.w3.org/1999/xhtml}}a")
        assert items and all(a.get("href", "").startswith(f"{issue_id}/index.html#art") for a in items)
        (enclosure,) = entry.findall(f"{ATOM}link[@rel='enclosure']")
        assert int(enclosure.get("length", "0")) == (output / enclosure.get("href", "")).stat().st_size
    assert "草莓" not in (output / "feed.xml").read_text(encoding="utf-8")


def test_feed_ids_are_stable_and_links_follow_base_url(multiyear: Path, multiyear_build: Path) -> None:
    def ids(project: Path) -> list[str]:
        feed = ET.parse(project / "output/feed.xml").getroot()
        return [e.findtext(f"{ATOM}id") or "" for e in feed.iter(f"{ATOM}entry")]

    bulletin = multiyear / "content/bulletin.yaml"
    bulletin.write_text(bulletin.read_text(encoding="utf-8") + "base_url: http://intranet.example/diaoyan/\n")
    article = multiyear / "content/issues/2024-11/01-wetland.md"
    article.write_text(article.read_text(encoding="utf-8") + "\n新增一段。\n", encoding="utf-8")
    build(options_for(multiyear))
    assert ids(multiyear) == ids(multiyear_build)
    feed = ET.parse(multiyear / "output/feed.xml").getroot()
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == "http://intranet.example/diaoyan/feed.xml"
    first = feed.find(f"{ATOM}entry/{ATOM}link[@rel='alternate']")
    assert first.get("href") == "http://intranet.example/diaoyan/2025-01/index.html"
    assert feed_warning(load_content(multiyear / "content", strict=False)[0]) == ""
    assert "base_url" in feed_warning(load_content(MULTIYEAR / "content", strict=False)[0])
    # The 404 page answers for any address, so its links start at the site's root.
    not_found = (multiyear / "output/404.html").read_text(encoding="utf-8")
    assert 'href="http://intranet.example/diaoyan/index.html"' in not_found


def test_same_input_gives_the_same_site_bytes(multiyear: Path, multiyear_build: Path) -> None:
    build(options_for(multiyear))

    def tree(root: Path) -> dict[str, bytes]:  # not the stats cache: inodes and times differ by nature
        return {
            p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*"))
            if p.is_file() and p.name != STATS
        }

    assert tree(multiyear / "output") == tree(multiyear_build / "output")


def indexed_pages(output: Path) -> dict[str, int]:
    """Pages per search bundle, in the order pagefind/bundles.json lists the bundles."""
    listed = json.loads((output / "pagefind/bundles.json").read_text(encoding="utf-8"))["bundles"]
    counts = {}
    for name in listed:
        entry = json.loads((output / "pagefind" / name / "pagefind-entry.json").read_text(encoding="utf-8"))
        counts[name] = sum(language["page_count"] for language in entry["languages"].values())
    return counts


def test_search_index_holds_only_published_issue_pages(multiyear_build: Path) -> None:
    # One bundle per year, newest first: a build re-indexes only the years whose pages changed.
    assert indexed_pages(multiyear_build / "output") == {"2025": 1, "2024": 2}
    # The pages drive pagefind.js with their own search box; Pagefind's prebuilt UIs are not shipped.
    assert (multiyear_build / "output/pagefind/2025/pagefind.js").is_file()
    assert not list((multiyear_build / "output/pagefind").rglob("pagefind-*ui*"))


def test_a_change_reindexes_only_its_year_and_a_damaged_bundle_is_made_again(multiyear: Path) -> None:
    """Pagefind has no incremental mode; bundles per year keep a one-article change from re-indexing 20 years."""
    build(options_for(multiyear))
    output = multiyear / "output"

    def stamps(bundle: str) -> dict[str, tuple[int, int]]:
        files = (output / "pagefind" / bundle).rglob("*")
        return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in files if p.is_file()}

    before = {name: stamps(name) for name in ("2024", "2025")}
    article = next((multiyear / "content/issues/2025-01").glob("*.md"))
    article.write_text(article.read_text(encoding="utf-8") + "\n新增一段：鸿雁传书。\n", encoding="utf-8")
    build(options_for(multiyear))
    assert stamps("2024") == before["2024"]
    assert stamps("2025") != before["2025"]
    # --force of one issue re-indexes its year, not the others.
    before["2025"] = stamps("2025")
    build(options_for(multiyear, ids=("2025-01",), force=True))
    assert stamps("2024") == before["2024"] and stamps("2025") != before["2025"]
    # A bundle cut short later (a full disk, a careless copy) is found by its digests and made again.
    meta = next((output / "pagefind/2024").glob("*.pf_meta"))
    meta.write_bytes(b"")
    kept = stamps("2025")
    build(options_for(multiyear))
    assert search.bundle_problem(output / "pagefind/2024") is None and stamps("2025") == kept
    assert indexed_pages(output) == {"2025": 1, "2024": 2}
    # A bundle whose last issue went goes too.
    shutil.rmtree(multiyear / "content/issues/2025-01")
    build(options_for(multiyear))
    assert indexed_pages(output) == {"2024": 2}
    assert sorted(p.name for p in (output / "pagefind").iterdir()) == ["2024", "bundles.json"]


def test_drafts_are_built_only_on_request_and_marked(multiyear: Path) -> None:
    build(options_for(multiyear, drafts=True))
    output = multiyear / "output"
    page = output / "2025-02/index.html"
    tree = parse_html(page)
    assert tree.find(".//p[@class='draft-banner']").text.startswith("草稿")
    assert "draft" in tree.find(".//body").get("class", "")
    assert tree.find(".//main").get("data-pagefind-body") is None
    assert tree.find(".//a[@rel='next']") is None and tree.find(".//a[@rel='prev']") is None
    # The watermark is on every page of the PDF.
    with pdfplumber.open(output / "2025-02/2025-02.pdf") as pdf:
        for pdf_page in pdf.pages:
            marks = "".join(c["text"] for c in pdf_page.chars if c["size"] > 60)
            assert marks == "草稿", marks
    # Listed apart on the preview archive, never in the years, the feed, the search index or the chain.
    archive = parse_html(output / "index.html")
    assert [a.get("href") for a in archive.iterfind(".//section[@class='year drafts']//a")] == ["2025-02/index.html"]
    assert [s.findtext("h2") for s in archive.iterfind(".//main/section")] == [
        "草稿和送审稿（仅预览，未签发的期不会发布）",
        "2025 年",
        "2024 年",
    ]
    assert "2025-02" not in (output / "feed.xml").read_text(encoding="utf-8")
    assert parse_html(output / "2025-01/index.html").find(".//a[@rel='next']") is None
    assert indexed_pages(output) == {"2025": 1, "2024": 2}
    # A published build afterwards removes the draft from the output.
    build(options_for(multiyear))
    assert not (output / "2025-02").exists()
    assert sorted(p.name for p in output.iterdir()) == [
        ".jianbao-cache.json",
        ".jianbao-stats.json",
        "2024-11",
        "2024-12",
        "2025-01",
        "404.html",
        "assets",
        "feed.xml",
        "index.html",
        "pagefind",
    ]


def test_a_removed_issue_disappears_from_the_output(multiyear: Path) -> None:
    build(options_for(multiyear))
    shutil.rmtree(multiyear / "content/issues/2024-11")
    build(options_for(multiyear))
    output = multiyear / "output"
    assert not (output / "2024-11").exists()
    assert "2024-11" not in (output / "index.html").read_text(encoding="utf-8")
    assert indexed_pages(output) == {"2025": 1, "2024": 1}


def test_only_drafts_leaves_an_empty_archive_and_an_empty_search_index(minimal) -> None:
    project = minimal(issue="number: 1\ntotal: 1\ndate: 2025-01-10\ndraft: true\n")
    for drafts in (False, True):
        build(options_for(project, drafts=drafts))
        output = project / "output"
        assert "尚无已发布的期刊" in (output / "index.html").read_text(encoding="utf-8")
        assert (output / "2025-01").exists() == drafts
        assert "2025-01" not in (output / "feed.xml").read_text(encoding="utf-8")
        assert indexed_pages(output) == {}  # never the draft (the search box answers "nothing found")
