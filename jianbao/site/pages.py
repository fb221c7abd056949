"""Model + layouts/ → HTML text (render stage).

One Jinja environment per build, strict about undefined names and
autoescaping everything; templates receive model objects only.
"""

from __future__ import annotations

from pathlib import Path

import jinja2

from jianbao.errors import BuildError, display_path
from jianbao.model import Issue


def make_environment(layouts: Path) -> jinja2.Environment:
    """A strict, autoescaping Jinja environment reading `layouts`."""
    if not layouts.is_dir():
        raise BuildError(f"{display_path(layouts)}: 找不到版式文件夹")
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(layouts),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        keep_trailing_newline=True,
    )


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
