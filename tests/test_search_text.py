"""An issue page → its articles' text for the search box (site/pagetext.py), and the files it goes into
(site/search.py). Whether the browser finds by it what a reader sees is tests/test_web_search.py's."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from dataclasses import dataclass

from jianbao.site import search
from jianbao.site.pagetext import page_articles

PERMALINK = '<a class="permalink" href="#{}" aria-hidden="true" tabindex="-1">#</a>'
NOTE = (
    '<span class="fn-keep">注<sup class="fn-ref" id="art1-fnref1"><a href="#art1-fn1">①</a></sup>'
    '<span class="fn-print">①印刷用的注。</span></span>'
)
PAGE = f"""<!DOCTYPE html><html lang="zh-CN"><head><title>t</title></head><body>
<nav><a href="../index.html">全部期刊</a></nav>
<main id="main">
<article id="art1" class="article">
  <h2 class="article-title" id="art1-title">数据<wbr>要素{PERMALINK.format("art1")}</h2>
  <p class="note"><span class="note-label">编者按：</span>按语。</p>
  <div class="body">
<p>开头一段，见{NOTE}。</p>
<h3 class="h-l1" id="art1-1">一、做法{PERMALINK.format("art1-1")}</h3>
<p>第一行<br>第二行</p>
<div class="table-wrap"><p class="table-caption" id="art1-tab1-caption">表1　情况</p>
<div class="table-scroll"><table id="art1-tab1">
<thead><tr><th>区</th><th>数</th><th></th></tr></thead>
<tbody><tr><td>秦淮区</td><td>52.1</td><td></td></tr></tbody>
</table></div></div>
<ul><li>甲项<ul><li>乙项</li></ul></li></ul>
<div class="footnotes"><ol><li id="art1-fn1">
<p><span class="fn-num">①</span>网页上的注。&nbsp;<a class="footnote-backref" href="#art1-fnref1">↩</a></p>
</li></ol></div>
  </div>
  <p class="source" id="art1-source">（来源：某刊）</p>
  <p hidden>不显示</p>
</article>
</main>
<footer>页脚</footer>
</body></html>"""


def test_a_page_reads_as_its_reader_reads_it_block_by_block() -> None:
    (article,) = page_articles(PAGE)
    assert (article.id, article.title) == ("art1", "数据要素")
    places = [anchor for anchor, _ in article.places]
    assert places == ["art1", "art1-1", "art1-tab1", "art1-fn1", "art1-source"]
    assert dict(article.places) == {
        "art1": "",
        "art1-1": "一、做法",
        "art1-tab1": "一、做法",
        "art1-fn1": "注释①",
        "art1-source": "来源",
    }
    blocks = [(article.places[place][0], text) for place, text in article.blocks]
    assert blocks == [
        ("art1", "数据要素"),
        ("art1", "编者按：按语。"),
        ("art1", "开头一段，见注①。"),  # the print-only copy of the note is not there
        ("art1-1", "一、做法"),
        ("art1-1", "第一行 第二行"),
        ("art1-tab1", "表1　情况"),
        ("art1-tab1", "区｜数"),  # cells apart, empty ones left out
        ("art1-tab1", "秦淮区｜52.1"),
        ("art1-1", "甲项"),
        ("art1-1", "乙项"),
        ("art1-fn1", "①网页上的注。"),  # no back link
        ("art1-source", "（来源：某刊）"),
    ]


def test_a_page_without_articles_is_one() -> None:
    (article,) = page_articles("<main><p>只有正文。</p></main>")
    assert article.id == "" and [text for _, text in article.blocks] == ["只有正文。"]
    assert page_articles("<p>没有 main</p>") == []


@dataclass(frozen=True)
class FakeIssue:
    id: str
    date: dt.date
    total: int
    draft: bool = False

    @property
    def numbers_text(self) -> str:
        return f"第{self.total}期（总第{self.total}期）"


def test_the_newest_years_go_to_latest_bin_the_older_ones_to_one_file(monkeypatch, tmp_path) -> None:
    issues = [FakeIssue(f"{year}-01", dt.date(year, 1, 1), n) for n, year in enumerate((2023, 2024, 2025), 1)]
    for issue in issues:
        (tmp_path / issue.id).mkdir()
        (tmp_path / issue.id / "index.html").write_text(PAGE, encoding="utf-8")
    digests = {issue.id: f"d{issue.id}" for issue in issues}
    monkeypatch.setattr(search, "VOLUME_BYTES", 100)  # less than a record: the newest year alone
    files = search.index_files(tmp_path, issues, digests)  # type: ignore[arg-type]
    latest = json.loads(gzip.decompress(files[search.LATEST]))
    assert [issue["id"] for issue in latest["issues"]] == ["2025-01"]
    (older,) = latest["volumes"]
    assert older["ids"] == ["2024-01", "2023-01"]
    assert [i["id"] for i in json.loads(gzip.decompress(files[f"search/{older['file']}"]))["issues"]] == older["ids"]
    assert gzip.decompress(files[search.LATEST]) == gzip.decompress(
        search.index_files(tmp_path, issues, digests)[search.LATEST]
    )  # type: ignore[arg-type]
