"""An issue folder's articles → `Article`s: front matter, title, the body made a tree by the Markdown stage,
images checked; the folder's file names and the order of its articles.

The Markdown stage is handed in by the caller (load imports nothing of jianbao/markup): one converter per
issue, called with each article's body, slug and first line in order.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote

from jianbao.errors import display_path, escaped
from jianbao.load import safety
from jianbao.load.problems import Problems
from jianbao.load.reading import read_text, read_yaml
from jianbao.load.schema import FrontMatter
from jianbao.load.validate import split_known, validate
from jianbao.load.yamlfile import YamlDoc
from jianbao.model import Article, ArticleBody

if TYPE_CHECKING:
    pass


# The Markdown stage, handed in by the caller (jianbao/markup): one converter per issue, called with each
# article's body, slug and first line in order (figures and tables are numbered through the issue).
Converter = Callable[[str, str, int], ArticleBody]
IssueConverters = Callable[[], Converter]


_FRONT_MATTER_END = re.compile(r"^(?:---|\.\.\.)\s*$", re.MULTILINE)
_TITLE_LINE = re.compile(r"^#[ \t]+(.+?)[ \t#]*$")


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """Split `---` front matter from the body; returns (yaml, body, body's first line)."""
    if not text.startswith("---\n") and text.strip() != "---":
        return None, text, 1
    end = _FRONT_MATTER_END.search(text, 4)
    if end is None:
        return text[4:], "", text.count("\n") + 2
    front = text[4 : end.start()]
    body = text[end.end() + 1 :]
    return front, body, text[: end.end()].count("\n") + 2


def take_title(body: str, first_line: int) -> tuple[str, str, int]:
    """Take a leading `# 标题` line out of the body: (title, rest, rest's first line)."""
    lines = body.split("\n")
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        match = _TITLE_LINE.match(line)
        if match:
            return match.group(1).strip(), "\n".join(lines[index + 1 :]), first_line + index + 1
        break
    return "", body, first_line


def load_article(
    path: Path, index: int, problems: Problems, convert: Converter, ignore: tuple[str, ...] = ()
) -> Article | None:
    """Read one article: front matter, title, Markdown body (made a tree by `convert`)."""
    shown = display_path(path)
    text = read_text(path, shown, problems)
    if text is None:
        return None
    front_text, body, body_line = split_front_matter(text)
    meta = FrontMatter()
    if front_text is not None:
        doc = read_yaml(path, shown, problems, line_offset=1, text=front_text)
        if doc is None:
            return None
        data = split_known(doc.data, FrontMatter.model_fields, doc, shown, problems)
        checked = validate(FrontMatter, data, {"": (doc, shown)}, problems)
        if checked is None:
            return None
        meta = checked
    title = meta.title
    if not title:
        title, body, body_line = take_title(body, body_line)
    if not title:
        problems.error(shown, 1, "文章缺少标题（在开头写 title: …，或第一行写“# 标题”）")
        return None
    slug = f"art{index}"
    try:
        converted = convert(body, slug, body_line)
    except RecursionError:
        problems.error(shown, body_line, f"列表或引文嵌套过深（超过上限 {safety.MAX_DEPTH} 层）")
        return None
    too_big = safety.check_shape(converted.tree, len(converted.headings))
    if too_big:
        problems.error(shown, body_line, too_big)
        return None
    silenced = set(ignore) | set(meta.lint.ignore)
    for line, message in converted.warnings:
        if message.startswith("标题编号"):
            if "heading-number" in silenced:
                continue
            message += " [heading-number]"
        problems.warn(shown, line, message)
    images = check_images(converted.images, path.parent, shown, problems)
    return Article(
        slug=slug,
        source_path=path,
        title=title,
        subtitle=meta.subtitle,
        author=meta.author,
        note=meta.note,
        source=meta.source,
        body=converted.tree,
        headings=converted.headings,
        images=images,
        lint_ignore=tuple(meta.lint.ignore),
    )


def check_images(images: Iterable[tuple[int, str]], folder: Path, shown: str, problems: Problems) -> tuple[str, ...]:
    """The article's images (line, src; Markdown or raw `<img>`) as paths inside `folder`, each checked before
    it is read. Each must be a small, readable PNG, JPEG or SVG file inside the issue folder; every other one
    is an error."""
    accepted: list[str] = []
    for line, src in images:
        image, refused = safety.resolve_image_src(src, folder)
        problem = refused if image is None else safety.check_image_file(image)
        if problem:
            problems.error(shown, line, f"图片“{src}”：{problem}")
        elif image is not None:
            accepted.append(image.relative_to(folder).as_posix() if image.is_relative_to(folder) else unquote(src))
    return tuple(dict.fromkeys(accepted))


def article_paths(
    folder: Path, order: list[str] | None, names: list[str], doc: YamlDoc, shown: str, problems: Problems
) -> list[Path]:
    """The issue's articles: in `articles:` order if given, else by file name (`names`: the folder's article
    files, as jianbao/load/folders.py found them)."""
    if order is None:
        return [folder / name for name in names]
    paths = []
    for index, name in enumerate(order):
        candidate = folder / name
        unsafe = safety.check_file_name(name)
        if unsafe or not name.lower().endswith(".md"):
            reason = f"（{unsafe}）" if unsafe else ""
            problems.error(
                shown,
                doc.line_of(("articles", index)),
                f"articles：“{escaped(name)}” 应为本期文件夹中的 .md 文件名{reason}",
            )
        elif name not in names:
            problems.error(shown, doc.line_of(("articles", index)), f"articles：找不到文章文件 {name}")
        else:
            paths.append(candidate)
    listed = {p.name for p in paths}
    for extra in (name for name in names if name not in listed and name not in order):
        problems.warn(shown, doc.line_of(("articles",)), f"articles：本期文件夹中的 {extra} 没有列入，不会印出")
    return paths
