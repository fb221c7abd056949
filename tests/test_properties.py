"""Property tests: random YAML values and random Markdown through load → render.

Whatever an editor (or a paste) puts in the files, loading either succeeds
or raises `ContentError`, and no rendered page carries a script, an event
handler attribute or a `javascript:` URL.
"""

from __future__ import annotations

import re
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from jianbao.errors import ContentError
from jianbao.markup import load_content
from jianbao.pdf.fonts import resolve_fonts
from jianbao.pdf.typeset import print_html
from jianbao.site import archive as site_pages
from jianbao.site import pages as render
from tests.conftest import MINIMAL_ARTICLE, MINIMAL_BULLETIN, ROOT

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Pieces of hostile or pasted text; Markdown is built by joining them at random.
FRAGMENTS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//x/y.js>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">链接</a>',
    '<a href="JaVaScRiPt&colon;alert(1)">',
    '<a href="&#106;avascript:alert(1)">x</a>',
    "[点我](javascript:alert(1))",
    "[点我](<javascript:alert(1)>)",
    "![图](javascript:alert(1))",
    "<svg onload=alert(1)>",
    '<div style="background:url(javascript:alert(1))" onmouseover="x()">',
    "<iframe src=//x>",
    "<object data=x>",
    "<embed src=x>",
    "<form><input onfocus=alert(1) autofocus>",
    "<math><mi xlink:href=javascript:alert(1)>",
    "<!-- <script> -->",
    "<![CDATA[<script>]]>",
    "<style>*{}</style>",
    '<p title="a" onclick=1>',
    "`<script>`",
    "```\n<script>\n```",
    "## 标题",
    "### （一）",
    "# ",
    "> ",
    "- ",
    "1. ",
    "    ",
    "**",
    "_",
    "[^1]",
    "[^1]: 注释",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "\n",
    "\n\n",
    "中文，",
    "数据要素。",
    "“",
    "）",
    "\x0b",
    "\x1b[31m",
    "\u200b",
    "\ufeff",
    "\u202e",
    "\r",
    "&amp;",
    "&lt;script&gt;",
    "<",
    ">",
    '"',
    "'",
]
markdown_text = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)), max_size=25).map("".join)

yaml_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True),
    st.text(max_size=20),
    st.sampled_from(FRAGMENTS),
)
yaml_values = st.recursive(
    yaml_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=8,
)
# Mostly strings (so many examples load and reach the templates), sometimes anything at all.
field_values = st.one_of(st.sampled_from(FRAGMENTS), st.lists(st.sampled_from(FRAGMENTS), min_size=1), yaml_values)
BULLETIN_KEYS = ["title", "tagline", "organizers", "marks", "editor", "phone", "copies", "distribution", "bogus"]
ISSUE_KEYS = ["number", "total", "date", "articles", "draft", "toc", "lint", "copies", "distribution", "marks"]
FRONT_KEYS = ["title", "subtitle", "note", "source", "author", "lint", "titel"]


URL_ATTRIBUTES = {"href", "src", "srcset", "action", "formaction", "xlink:href", "data", "poster", "background"}


class _Attributes(HTMLParser):
    """Collects every tag and attribute of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.extend((tag, name, value or "") for name, value in attrs)
        self.found.append((tag, "", ""))


_SCRIPT_TAG = re.compile(r"<script\b[^>]*>", re.IGNORECASE)
# The layouts' own scripts (site search) are fixed text: only a src from layouts/ is allowed.
_LAYOUT_SCRIPT = re.compile(r'<script src="(?:\.\./)?(?:pagefind|assets)/[\w./-]+\.js"(?: defer)?>')


def assert_safe(html: str) -> None:
    """No script but the layouts' own, no on… attribute, no javascript:/data: URL (text may say anything)."""
    for tag in _SCRIPT_TAG.findall(html):
        assert _LAYOUT_SCRIPT.fullmatch(tag), tag
    parser = _Attributes()
    parser.feed(html)
    for tag, name, value in parser.found:
        if tag == "script":
            continue  # checked above: exactly the layouts' own tags
        assert not name.lower().startswith("on"), (tag, name, value)
        if tag == "link" and value.startswith("data:image/svg+xml,"):  # the favicon, drawn from the title
            svg = unquote(value)
            assert "<script" not in svg.lower() and " on" not in svg.lower() and svg.count("<text") == 1, svg
            continue
        if name.lower() in URL_ATTRIBUTES:
            squeezed = re.sub(r"[\s\x00-\x1f]", "", value).lower()
            assert not squeezed.startswith(("javascript:", "vbscript:", "data:")), (tag, name, value)


def load_and_render(bulletin: str, issue: str, article: str) -> None:
    """Write a one-issue project, load it and render every page; ContentError is a fine outcome."""
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        folder = root / "content/issues/2025-01"
        folder.mkdir(parents=True)
        (root / "content/bulletin.yaml").write_text(bulletin, encoding="utf-8", newline="")
        (folder / "issue.yaml").write_text(issue, encoding="utf-8", newline="")
        (folder / "01-article.md").write_text(article, encoding="utf-8", newline="")
        try:
            site, _ = load_content(root / "content")
        except ContentError as exc:
            assert exc.problems, "a ContentError always says what is wrong"
            event("content error")
            return
        event("loaded and rendered")
        env = render.make_environment(LAYOUTS)
        for issue_model in site.issues:
            assert_safe(print_html(env, issue_model, resolve_fonts(root / "fonts")))
            assert_safe(render.render_web_html(env, issue_model, None, None))
        sizes = {i.id: "1 KB" for i in site.issues}
        assert_safe(site_pages.render_archive(env, site, list(site.issues), sizes, []))
        assert_safe(site_pages.render_feed(env, site, list(site.issues)))


LAYOUTS = ROOT / "layouts"


@pytest.mark.slow
@SETTINGS
@given(body=markdown_text, title=st.one_of(st.sampled_from(FRAGMENTS), st.text(min_size=1, max_size=10)))
def test_random_markdown_never_crashes_or_leaks_script(body: str, title: str) -> None:
    front = yaml.safe_dump({"title": title}, allow_unicode=True)
    load_and_render(MINIMAL_BULLETIN, "number: 1\ntotal: 1\ndate: 2025-01-10\n", f"---\n{front}---\n\n{body}")


@pytest.mark.slow
@SETTINGS
@given(
    bulletin=st.dictionaries(st.sampled_from(BULLETIN_KEYS), field_values, max_size=5),
    issue=st.dictionaries(st.sampled_from(ISSUE_KEYS), field_values, max_size=3),
    front=st.dictionaries(st.sampled_from(FRONT_KEYS), field_values, max_size=4),
)
def test_random_yaml_values_never_crash_or_leak_script(
    bulletin: dict[str, object], issue: dict[str, object], front: dict[str, object]
) -> None:
    base_bulletin = yaml.safe_load(MINIMAL_BULLETIN) | bulletin
    base_issue = {"number": 1, "total": 1, "date": "2025-01-10"} | issue
    front_text = yaml.safe_dump(front, allow_unicode=True) if front else ""
    load_and_render(
        yaml.safe_dump(base_bulletin, allow_unicode=True),
        yaml.safe_dump(base_issue, allow_unicode=True),
        f"---\n{front_text}---\n" + MINIMAL_ARTICLE.split("---\n", 2)[2],
    )


hostile_text = st.one_of(st.sampled_from(FRAGMENTS), st.text(min_size=1, max_size=12)).filter(str.strip)


@pytest.mark.slow
@SETTINGS
@given(
    bulletin=st.fixed_dictionaries({}, optional=dict.fromkeys(["title", "tagline", "editor", "address"], hostile_text)),
    names=st.lists(hostile_text, min_size=1, max_size=3),
    front=st.fixed_dictionaries({}, optional=dict.fromkeys(["subtitle", "note", "source", "author"], hostile_text)),
)
def test_random_text_in_every_printed_field_is_escaped(
    bulletin: dict[str, str], names: list[str], front: dict[str, str]
) -> None:
    base_bulletin = yaml.safe_load(MINIMAL_BULLETIN) | bulletin | {"marks": names, "distribution": {"报": names}}
    load_and_render(
        yaml.safe_dump(base_bulletin, allow_unicode=True),
        "number: 1\ntotal: 1\ndate: 2025-01-10\n",
        "---\n" + yaml.safe_dump({"title": "标题", **front}, allow_unicode=True) + "---\n\n正文。\n",
    )
