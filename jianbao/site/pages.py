"""Model + layouts/ → HTML text (render stage).

One Jinja environment per build, strict about undefined names and
autoescaping everything; templates receive model objects only.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from urllib.parse import quote

import jinja2
import markupsafe

from jianbao.errors import BuildError, display_path
from jianbao.model import Article, Issue
from jianbao.site.layouts import LayoutLoader
from jianbao.text.breaking import title_words
from jianbao.text.captions import FIGURE_CAPTION, caption_text
from jianbao.tree import Node, element, map_nodes, to_html

PRINT_BODY = "jb-body"  # the element standing for an article's body in the rendered print layout


def make_environment(layouts: Path) -> jinja2.Environment:
    """A strict, autoescaping Jinja environment reading `layouts`."""
    if not layouts.is_dir():
        raise BuildError(f"{display_path(layouts)}: 找不到版式文件夹")
    env = jinja2.Environment(
        loader=LayoutLoader(layouts),  # confined and bounded, as content is
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        keep_trailing_newline=True,
    )
    env.filters["body"] = body
    env.filters["title_breaks"] = title_breaks
    env.filters["favicon"] = favicon
    return env


def permalink(anchor: str) -> Node:
    """The ¶-style link a heading carries on the web page: for the mouse (it shows on hover), neither a tab
    stop nor part of the heading's spoken name, and left out of the search text (aria-hidden)."""
    return element("a", "#", class_="permalink", href=f"#{anchor}", aria_hidden="true", tabindex="-1")


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


def title_breaks(title: str) -> markupsafe.Markup:
    """A title with `<wbr>` between its words (jianbao/text/breaking.py): where a narrow screen may wrap it."""
    return markupsafe.Markup("<wbr>").join(markupsafe.escape(word) for word in title_words(title))


def body(article: Article, target: str) -> markupsafe.Markup:
    """An article's body in the layout: the web variant of its tree, or (print) the placeholder that
    jianbao/pdf/typeset.py replaces with the tree itself."""
    if target == "web":
        return markupsafe.Markup(to_html(web_body(article.body)))  # the tree was sanitized when it was made
    return markupsafe.Markup(f'<{PRINT_BODY} data-slug="{markupsafe.escape(article.slug)}"></{PRINT_BODY}>')


def web_body(tree: Node) -> Node:
    """An article body for the web page (the PDF gets the body as it is).

    Each heading gets a permalink; each table's caption moves above a keyboard-focusable frame that
    scrolls the table sideways on a narrow screen, so the caption stays in view; an image whose alt text
    only repeats its figure's caption gets an empty one (`figures_captioned_once`).
    """
    return map_nodes(figures_captioned_once(tree), _web_node)


def figures_captioned_once(tree: Node) -> Node:
    """A figure's image whose alt text is its caption's text (图1　… without the number) gets alt="": the
    caption is read out already, and a screen reader would say it twice. The PDF keeps the alt text."""

    def change(node: Node) -> Node:
        if node.tag != "figure":
            return node
        caption = next((child for child in node.elements() if child.tag == "figcaption"), None)
        said = caption_text(caption.text(), FIGURE_CAPTION) if caption is not None else None
        children = [
            child.with_attr("alt", "")
            if isinstance(child, Node) and child.tag == "img" and child.get("alt") == said
            else child
            for child in node.children
        ]
        return node.with_children(children)

    return map_nodes(tree, change)


def sized_image(node: Node) -> Node:
    """An image with a width (a share of the 版心, jianbao/markup/images.py) → that width as its style, for
    the web page and the print HTML alike (HTML's own width attribute takes pixels only)."""
    width = node.get("width") if node.tag == "img" else None
    return node if width is None else node.without_attr("width").with_attr("style", f"width: {width}")


def _web_node(node: Node) -> Node:
    if node.tag == "img":
        return sized_image(node)
    if node.tag in ("h3", "h4", "h5", "h6") and node.get("id") and node.get("class") is not None:
        return node.with_children([*node.children, permalink(node.get("id") or "")])
    if node.tag == "div" and (node.get("class") or "").startswith("table-wrap"):
        return _table_frame(node)
    return node


def _table_frame(wrapper: Node) -> Node:
    """`<div class="table-wrap"><table id><caption>` → the caption above a scrolling, labelled frame."""
    tables = wrapper.elements()
    table = tables[0] if tables else None
    if table is None or table.tag != "table" or table.attrs != (("id", table.get("id")),) or not table.get("id"):
        return wrapper
    table_id = table.get("id") or ""
    first = table.elements()[0] if table.elements() else None
    caption = first if first is not None and first.tag == "caption" and first is table.children[0] else None
    if caption is not None and caption.attrs:
        caption = None
    label: dict[str, str | None]
    if caption is None:
        label = {"aria_label": "表格"}
        head: list[Node | str] = []
    else:
        label = {"aria_labelledby": f"{table_id}-caption"}
        head = [element("p", *caption.children, class_="table-caption", id=f"{table_id}-caption")]
    rows = table.children[1:] if caption is not None else table.children
    scroll = element(
        "div",
        element("table", *rows, id=table_id, **label),
        class_="table-scroll",
        tabindex="0",
        role="region",
        **label,
    )
    return wrapper.with_children([*head, scroll])


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


def render_web_html(
    env: jinja2.Environment,
    issue: Issue,
    previous: Issue | None,
    next: Issue | None,
    editions: Collection[str] = (".docx", ".ofd"),
    versions: frozenset[int] = frozenset(),
) -> str:
    """The issue as an intranet page at <id>/index.html, linking the editions made beside its PDF (suffixes) and
    the PDFs kept from before its corrections (`versions`: their numbers, linked from the 更正 notice)."""
    context = {"previous": previous, "next": next, "editions": tuple(editions), "versions": versions}
    return render_layout(env, "issue.html", issue=issue, target="web", root="../", **context)


def human_size(size: int) -> str:
    """1234567 → '1.2 MB' (for download links)."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / 1024 / 1024:.1f} MB"
