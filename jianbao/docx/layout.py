"""layouts/word/ → the Word edition's fixed parts as XML text (Jinja, strict, autoescaped).

The templates hold what an office may restyle: the styles (fonts by role,
sizes, indents), the page setup, the footers, the masthead, 本期要目 and the
报尾. They receive model objects and a few helpers that write runs and
fields (`text`, `page_ref`, `page_field`), `name_lines` (the 报尾 rows cut
as the PDF cuts them), plus the grid's measures, which are those of the
print layout (layouts/print.css).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import jinja2
import markupsafe

from jianbao.docx.xml import DECLARATIONS, run, simple_field
from jianbao.errors import BuildError, display_path
from jianbao.text.breaking import name_lines

PITCH = 579  # twips: the 28.95 pt body grid (22 lines in the 225 mm 版心)
MEASURE = 8845  # twips: the 版心's width, 156 mm (A4 less 28 mm left and 26 mm right)
INDENT = 630  # twips: two characters of 16 pt less 0.25 pt spacing each
CHAR_SPACING = -5  # twentieths of a point after each character, so 28 fill a line
RED = "FF3333"  # the masthead red (print: CMYK 0/80/80/0; sRGB as on the web page)
TEMPLATES = ("styles.xml", "section.xml", "footer.xml", "masthead.xml", "contents.xml", "colophon.xml")


def text(value: object, style: str | None = None, props: str = "") -> markupsafe.Markup:
    """A run of `value` (tabs and line breaks become Word's own)."""
    return markupsafe.Markup(run(str(value), style, props))


def page_ref(bookmark: str, page: int | None) -> markupsafe.Markup:
    """The page a bookmark is on: a PAGEREF field showing `page` until Word updates it."""
    return markupsafe.Markup(simple_field(f"PAGEREF {bookmark} \\h", str(page) if page else ""))


def page_field() -> markupsafe.Markup:
    """The current page's number (a PAGE field)."""
    return markupsafe.Markup(simple_field("PAGE", "1"))


@cache
def environment(folder: Path) -> jinja2.Environment:
    """The strict environment reading `folder` (layouts/word), made once per process."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        trim_blocks=False,
    )
    env.globals.update(
        text=text,
        name_lines=name_lines,
        page_ref=page_ref,
        page_field=page_field,
        namespaces=markupsafe.Markup(DECLARATIONS),
        pitch=PITCH,
        measure=MEASURE,
        indent=INDENT,
        char_spacing=CHAR_SPACING,
        red=RED,
    )
    return env


def render(layouts: Path, name: str, **context: Any) -> str:
    """Render layouts/word/`name`; a missing or broken template is a `BuildError` naming it."""
    folder = (layouts / "word").resolve()
    path = layouts / "word" / name
    try:
        return environment(folder).get_template(name).render(**context).strip()
    except jinja2.TemplateNotFound:
        raise BuildError(
            f"{display_path(path)}：找不到 Word 版的版式文件；请从 jianbao 自带的 layouts/word/ 复制"
        ) from None
    except jinja2.TemplateSyntaxError as exc:
        raise BuildError(f"{display_path(path)}:{exc.lineno}: Word 版式有语法错误：{exc.message}") from None
    except jinja2.UndefinedError as exc:
        raise BuildError(f"{display_path(path)}：Word 版式用到了不存在的名称（{exc.message}）") from None
