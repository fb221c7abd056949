"""The site around the issues: archive, Atom feed, search index, drafts, HTML conventions."""

from __future__ import annotations

import datetime as dt
import gzip
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
from tests.conftest import MULTIYEAR, copy_built, options_for

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
    assert [p.relative_to(output).as_posix() for p in pages] == [
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
        pdf, word = entry.findall(f"{ATOM}link[@rel='enclosure']")  # the PDF, and the Word edition
        assert (pdf.get("href"), word.get("href")) == (f"{issue_id}/{issue_id}.pdf", f"{issue_id}/{issue_id}.docx")
        for enclosure in (pdf, word):
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


@pytest.fixture
def built_multiyear(multiyear_build: Path, tmp_path: Path) -> Path:
    """A fresh, writable copy of the multi-year fixture after its first build (made once per run)."""
    return copy_built(multiyear_build, tmp_path / "built")


def indexed_pages(output: Path) -> dict[str, int]:
    """Issues in the search text per year, newest first (as search/latest.bin and its volumes hold them)."""
    latest = search.read_volume(output / search.LATEST)
    assert latest is not None
    issues = list(latest["issues"])
    for entry in latest["volumes"]:
        volume = search.read_volume(output / search.SEARCH_DIR / entry["file"])
        assert volume is not None
        issues += volume["issues"]
    counts: dict[str, int] = {}
    for issue in issues:
        counts[issue["label"][:4]] = counts.get(issue["label"][:4], 0) + 1
    return counts


def test_search_text_holds_only_published_issue_pages(multiyear_build: Path) -> None:
    assert indexed_pages(multiyear_build / "output") == {"2025": 1, "2024": 2}
    assert sorted(p.name for p in (multiyear_build / "output/search").iterdir()) == ["latest.bin"]


def test_a_change_reads_only_its_page_again_and_a_damaged_index_is_made_again(
    built_multiyear: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The search text of unchanged pages comes from the last index: a one-article change in a large archive
    reads one page, not a thousand."""
    multiyear = built_multiyear
    output = multiyear / "output"
    good = (output / search.LATEST).read_bytes()
    read: list[int] = []
    page_articles = search.page_articles
    monkeypatch.setattr(search, "page_articles", lambda html: read.append(1) or page_articles(html))
    article = next((multiyear / "content/issues/2025-01").glob("*.md"))
    article.write_text(article.read_text(encoding="utf-8") + "\n新增一段：鸿雁传书。\n", encoding="utf-8")
    build(options_for(multiyear))
    assert len(read) == 1 and "鸿雁传书" in gzip.decompress((output / search.LATEST).read_bytes()).decode()
    # An index cut short later (a full disk, a careless copy) is found by its digest and made again, whole.
    changed = (output / search.LATEST).read_bytes()
    (output / search.LATEST).write_bytes(changed[:100])
    build(options_for(multiyear))
    assert (output / search.LATEST).read_bytes() == changed and len(read) == 4
    assert changed != good
    # An issue gone goes from the index too.
    shutil.rmtree(multiyear / "content/issues/2025-01")
    build(options_for(multiyear))
    assert indexed_pages(output) == {"2024": 2}
    assert sorted(p.name for p in (output / "search").iterdir()) == ["latest.bin"]


def test_search_text_keeps_the_newest_years_apart_from_the_older_ones(
    multiyear: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """latest.bin holds the newest whole years that fit in VOLUME_BYTES; the older ones are in one file named
    after its text, which a change in a newer year leaves as it was (browsers may cache it for good)."""
    monkeypatch.setattr(search, "VOLUME_BYTES", 100)  # one year fills latest.bin
    build(options_for(multiyear))
    output = multiyear / "output"
    latest = search.read_volume(output / search.LATEST)
    assert latest is not None and [i["id"] for i in latest["issues"]] == ["2025-01"]
    (older,) = [entry["file"] for entry in latest["volumes"]]
    assert [i["id"] for i in search.read_volume(output / "search" / older)["issues"]] == ["2024-12", "2024-11"]
    article = next((multiyear / "content/issues/2025-01").glob("*.md"))
    article.write_text(article.read_text(encoding="utf-8") + "\n新增一段。\n", encoding="utf-8")
    build(options_for(multiyear))
    after = search.read_volume(output / search.LATEST)
    assert after is not None and after["volumes"] == latest["volumes"] and after != latest
    # An edit in an older year makes that file again, under a new name; the old one goes.
    article = next((multiyear / "content/issues/2024-11").glob("*.md"))
    article.write_text(article.read_text(encoding="utf-8") + "\n新增一段。\n", encoding="utf-8")
    build(options_for(multiyear))
    again = search.read_volume(output / search.LATEST)
    assert again is not None and [entry["file"] for entry in again["volumes"]] != [older]
    names = ["latest.bin", *(entry["file"] for entry in again["volumes"])]
    assert sorted(p.name for p in (output / "search").iterdir()) == sorted(names)


def test_drafts_are_built_only_on_request_and_marked(multiyear: Path) -> None:
    build(options_for(multiyear, drafts=True))
    output = multiyear / "output"
    page = output / "2025-02/index.html"
    tree = parse_html(page)
    assert tree.find(".//p[@class='draft-banner']").text.startswith("草稿")
    assert "draft" in tree.find(".//body").get("class", "")
    assert tree.find(".//a[@rel='next']") is None and tree.find(".//a[@rel='prev']") is None
    # The watermark is on every page of the PDF.
    with pdfplumber.open(output / "2025-02/2025-02.pdf") as pdf:
        for pdf_page in pdf.pages:
            marks = "".join(c["text"] for c in pdf_page.chars if c["size"] > 60)
            assert marks == "草稿", marks
    # Listed apart on the preview archive, never in the years, the feed or the chain; searchable in the preview.
    archive = parse_html(output / "index.html")
    assert [a.get("href") for a in archive.iterfind(".//section[@class='year drafts']//a")] == ["2025-02/index.html"]
    assert [s.findtext("h2") for s in archive.iterfind(".//main/section")] == [
        "草稿和送审稿（仅预览，未签发的期不会发布）",
        "2025 年",
        "2024 年",
    ]
    assert "2025-02" not in (output / "feed.xml").read_text(encoding="utf-8")
    assert parse_html(output / "2025-01/index.html").find(".//a[@rel='next']") is None
    assert indexed_pages(output) == {"2025": 2, "2024": 2}
    # A published build afterwards removes the draft from the output.
    build(options_for(multiyear))
    assert not (output / "2025-02").exists()
    assert sorted(p.name for p in output.iterdir()) == [  # the build's own records are beside it, not served
        "2024-11",
        "2024-12",
        "2025-01",
        "404.html",
        "assets",
        "feed.xml",
        "index.html",
        "search",
    ]
    assert indexed_pages(output) == {"2025": 1, "2024": 2}


def test_a_removed_issue_disappears_from_the_output(built_multiyear: Path) -> None:
    multiyear = built_multiyear
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
        # The draft is searchable only in a preview (serve); published, the search box answers "nothing found".
        assert indexed_pages(output) == ({"2025": 1} if drafts else {})


def test_the_build_keeps_its_records_outside_the_served_folder(project: Path) -> None:
    """The manifest and the stats sit beside output/ (a web server pointed at output/ never serves them); a
    folder built before, with them inside, is still recognised and they move out at its next build."""
    from jianbao.write.manifest import LEGACY_MANIFEST, LEGACY_STATS, cache_folder

    output = project / "output"
    build(options_for(project))
    assert [p.name for p in output.rglob(".*")] == []
    records = cache_folder(output)
    assert records == project / ".output.jianbao-cache"
    assert sorted(p.name for p in records.iterdir()) == ["manifest.json", "parsed.json", "stats.json"]
    # As a build before this one left it.
    (records / "manifest.json").rename(output / LEGACY_MANIFEST)
    (records / "stats.json").rename(output / LEGACY_STATS)
    report = build(options_for(project))
    assert report.rendered == []  # its manifest was read: nothing rebuilt
    assert [p.name for p in output.rglob(".*")] == []
    assert sorted(p.name for p in records.iterdir()) == ["manifest.json", "parsed.json", "stats.json"]
