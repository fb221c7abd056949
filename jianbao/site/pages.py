"""Model + layouts/ → HTML text (render stage).

One Jinja environment per build, strict about undefined names and
autoescaping everything; templates receive model objects only.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

import jinja2
import markupsafe

from jianbao.errors import BuildError, display_path
from jianbao.model import Issue
from jianbao.tree import Node, map_nodes, parse_fragment, to_html


def make_environment(layouts: Path) -> jinja2.Environment:
    """A strict, autoescaping Jinja environment reading `layouts`."""
    if not layouts.is_dir():
        raise BuildError(f"{display_path(layouts)}: 找不到版式文件夹")
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(layouts),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        keep_trailing_newline=True,
    )
    env.filters["web_body"] = web_body
    env.filters["title_breaks"] = title_breaks
    env.filters["favicon"] = favicon
    return env


# Body headings as article.py writes them (after the sanitizer): <h3 class="h-l1" id="art1-1">…</h3>.
_HEADING = re.compile(r'(<h([3-6]) class="[^"]*" id="([^"]+)">)(.*?)(</h\2>)', re.DOTALL)
# A table as richtext.py wraps it: the wrapper, the table's id and its optional caption.
_TABLE = re.compile(r'<div class="(table-wrap[^"]*)">\s*<table id="([^"]+)">(?:<caption>(.*?)</caption>)?', re.DOTALL)
_TABLE_END = re.compile(r"</table>\s*</div>")


def permalink(anchor: str) -> str:
    """The ¶-style link a heading carries on the web page: for the mouse (it shows on hover), neither a tab
    stop nor part of the heading's spoken name, and left out of the search text (aria-hidden)."""
    return f'<a class="permalink" href="#{anchor}" aria-hidden="true" tabindex="-1">#</a>'


def favicon(title: str) -> str:
    """The site icon as a data: URL: the bulletin title's first character, white on the masthead red."""
    char = markupsafe.escape(title.strip()[:1] or "简")
    svg = (
        "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'>"
        "<rect width='32' height='32' rx='5' fill='#d52b1e'/>"
        "<text x='16' y='24.5' font-size='22' font-weight='bold' text-anchor='middle' fill='#fff'"
        f" font-family='SimSun,Songti SC,Noto Serif CJK SC,serif'>{char}</text></svg>"
    )
    return "data:image/svg+xml," + quote(svg, safe="/=:,'")


# Words a title line may start with (与, 和 and the verbs such titles turn on) and the 的 it may end with: the
# web title may break there, after punctuation or between ASCII words, and nowhere else (word-break: keep-all).
_TITLE_OPENERS = re.compile(
    "(?<=[^\\s“《（])(?=与|和|推动|促进|加快|赋能|助力|支撑|打造|建设|关于|深化|构建|提升|培育|激活)|(?<=的)(?=.)"
)


def title_breaks(title: str) -> markupsafe.Markup:
    """A title with <wbr> where a line may break on a narrow screen; never after a leading word of one or
    two characters (关于, 以, 论): 关于 alone on a line reads as a broken title."""
    parts = _TITLE_OPENERS.split(title)
    if len(parts) > 1 and len(parts[0]) <= 2:
        parts[:2] = [parts[0] + parts[1]]
    return markupsafe.Markup("<wbr>").join(markupsafe.escape(part) for part in parts)


def web_body(html: str) -> markupsafe.Markup:
    """An article body for the web page (the PDF gets the body as it is).

    Each heading gets a permalink; each table's caption moves above a keyboard-focusable frame that
    scrolls the table sideways on a narrow screen, so the caption stays in view; an image whose alt text
    only repeats its figure's caption gets an empty one (`figures_captioned_once`).
    """
    html = figures_captioned_once(html)
    html = _HEADING.sub(lambda m: f"{m.group(1)}{m.group(4)}{permalink(m.group(3))}{m.group(5)}", html)

    def frame(match: re.Match[str]) -> str:
        kind, table_id, caption = match.groups()
        if caption is None:
            label = 'aria-label="表格"'
            head = ""
        else:
            label = f'aria-labelledby="{table_id}-caption"'
            head = f'<p class="table-caption" id="{table_id}-caption">{caption}</p>'
        return (
            f'<div class="{kind}">{head}<div class="table-scroll" tabindex="0" role="region" {label}>'
            f'<table id="{table_id}" {label}>'
        )

    html = _TABLE.sub(frame, html)
    html = _TABLE_END.sub("</table></div></div>", html)
    return markupsafe.Markup(html)  # the body was sanitized when it was made


def figures_captioned_once(html: str) -> str:
    """A figure's image whose alt text is its caption's text (图1　… without the number) gets alt="": the
    caption is read out already, and a screen reader would say it twice. The PDF keeps the alt text."""

    def change(node: Node) -> Node:
        if node.tag != "figure":
            return node
        caption = next((child for child in node.elements() if child.tag == "figcaption"), None)
        said = _FIGURE_NUMBER.sub("", caption.text()).strip() if caption is not None else None
        children = [
            child.with_attr("alt", "")
            if isinstance(child, Node) and child.tag == "img" and child.get("alt") == said
            else child
            for child in node.children
        ]
        return node.with_children(children)

    if "<figure" not in html:
        return html
    return to_html(map_nodes(parse_fragment(html), change))


_FIGURE_NUMBER = re.compile(r"^图\s*\d+[\s\u3000]*")


def render_layout(env: jinja2.Environment, name: str, **context: object) -> str:
    """Render one template, turning template mistakes into one-line errors."""
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateSyntaxError as exc:
        raise BuildError(f"layouts/{exc.name or name}:{exc.lineno}: 版式语法错误：{exc.message}") from None
    except jinja2.TemplateNotFound as exc:
        raise BuildError(f"layouts/{exc.name}: 找不到版式文件") from None
    except jinja2.UndefinedError as exc:
        raise BuildError(f"layouts/{name}: 版式引用了不存在的内容：{exc.message}") from None


def render_print_html(env: jinja2.Environment, issue: Issue, font_css: str, layouts_url: str = "") -> str:
    """The HTML WeasyPrint lays out into the PDF.

    Relative URLs (the articles' images) resolve against the issue folder;
    `layouts_url` is where print.css lives.
    """
    return render_layout(env, "issue.html", issue=issue, target="print", font_css=font_css, root=layouts_url)


def render_web_html(env: jinja2.Environment, issue: Issue, previous: Issue | None, next: Issue | None) -> str:
    """The issue as an intranet page at <id>/index.html."""
    return render_layout(env, "issue.html", issue=issue, target="web", root="../", previous=previous, next=next)


def human_size(size: int) -> str:
    """1234567 → '1.2 MB' (for download links)."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / 1024 / 1024:.1f} MB"
