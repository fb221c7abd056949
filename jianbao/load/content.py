"""content/ folder → validated, frozen `Site` model (load and validate stages).

Reads bulletin.yaml, every issues/<id>/issue.yaml and the articles, checks
them against the schemas (schema.py) and the numbering rules (numbering.py), and returns
the model with the warnings. Every problem found is collected; if any is an
error, `ContentError` carries all of them out together and nothing is built.
"""

from __future__ import annotations

import difflib
import json
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import unquote

from pydantic import BaseModel, ValidationError

from jianbao.errors import ContentError, Problem, display_path, escaped, missing_content
from jianbao.load import safety
from jianbao.load.messages import explain
from jianbao.load.numbering import check_numbering
from jianbao.load.problems import Problems
from jianbao.load.schema import ISSUE_ID_RE, BulletinSchema, FrontMatter, IssueSchema
from jianbao.load.yamlfile import YamlDoc, YamlSyntaxError, parse_yaml
from jianbao.model import TITLE_SIZE_MIN, Article, ArticleBody, Bulletin, DistributionLine, Issue, Masthead, Site

if TYPE_CHECKING:
    from jianbao.digests import TreeDigests

SchemaT = TypeVar("SchemaT", bound=BaseModel)
# The Markdown stage, handed in by the caller (jianbao/markup): one converter per issue, called with each
# article's body, slug and first line in order (figures and tables are numbered through the issue).
Converter = Callable[[str, str, int], ArticleBody]
IssueConverters = Callable[[], Converter]
MAX_TEXT_BYTES = 512 * 1024  # ~170,000 Chinese characters; a bulletin article has a few thousand

# ---------------------------------------------------------------------------
# Reading files


def read_text(path: Path, shown: str, problems: Problems) -> str | None:
    """Read a UTF-8 text file (a BOM is fine); report anything else."""
    if problems.root is not None and not safety.inside(path, problems.root):
        problems.error(shown, 0, "文件指向内容文件夹以外（符号链接），出于安全考虑不予读取")
        return None
    try:
        data = path.read_bytes()
    except OSError as exc:
        problems.error(shown, 0, f"无法读取文件（{exc.strerror}）")
        return None
    if len(data) > MAX_TEXT_BYTES:
        problems.error(shown, 0, f"文件过大（{len(data) // 1024} KB，上限 {MAX_TEXT_BYTES // 1024} KB）")
        return None
    if b"\0" in data:
        problems.error(shown, 0, "不是文本文件（含二进制内容）")
        return None
    try:
        return data.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        try:
            data.decode("gbk")
            hint = "看起来是 GBK 编码，请用编辑器另存为 UTF-8"
        except UnicodeDecodeError:
            hint = "请另存为 UTF-8"
        problems.error(shown, line, f"文件不是 UTF-8 编码（{hint}）")
        return None


def read_yaml(
    path: Path, shown: str, problems: Problems, line_offset: int = 0, text: str | None = None
) -> YamlDoc | None:
    """Parse a YAML mapping, reporting syntax errors at their line."""
    if text is None:
        text = read_text(path, shown, problems)
        if text is None:
            return None
    try:
        doc = parse_yaml(text, line_offset)
    except YamlSyntaxError as exc:
        problems.error(shown, exc.line, exc.message)
        return None
    if doc.data is None:
        return YamlDoc({}, {}, doc.first_line)
    if not isinstance(doc.data, dict):
        problems.error(shown, doc.first_line, "内容应为“字段: 值”的形式")
        return None
    return doc


# ---------------------------------------------------------------------------
# Schema validation with positions


def split_known(
    data: dict[str, Any], known: Iterable[str], doc: YamlDoc, shown: str, problems: Problems
) -> dict[str, Any]:
    """Drop unknown keys with a warning that suggests the closest known one."""
    known = list(known)
    kept = {}
    for key, value in data.items():
        if key in known:
            kept[key] = value
            continue
        guess = difflib.get_close_matches(str(key), known, n=1)
        hint = f"，是否应为 {guess[0]}？" if guess else f"（可用字段：{'、'.join(known)}）"
        problems.warn(shown, doc.line_of((key,)), f"未知字段 {key}{hint}")
    return kept


def validate(
    schema: type[SchemaT],
    data: dict[str, Any],
    sources: dict[str, tuple[YamlDoc, str]],
    problems: Problems,
    only: set[str] | None = None,
) -> SchemaT | None:
    """Validate `data`; each error is reported in the file its key came from.

    With `only`, errors about other keys are left out (reported elsewhere).
    """
    try:
        return schema.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            loc = tuple(error["loc"])
            key = str(loc[0]) if loc else ""
            if only is not None and key not in only:
                continue
            doc, shown = sources.get(key) or sources[""]
            problems.error(shown, doc.line_of(loc), explain(error, data))
        return None


# ---------------------------------------------------------------------------
# The model


def format_recipients(value: str | list[Any]) -> str:
    """Names joined with 、, groups with ；, ending in 。 (verbatim strings kept)."""
    if isinstance(value, str):
        text = value.strip()
    elif value and all(isinstance(group, list) for group in value):
        text = "；".join("、".join(group) for group in value)
    else:
        text = "、".join(value)
    return text if text.endswith(("。", "！", "？")) else text + "。"


def make_bulletin(schema: BulletinSchema) -> Bulletin:
    """Validated bulletin fields → the frozen `Bulletin`."""
    return Bulletin(
        title=schema.title,
        tagline=schema.tagline,
        organizers=tuple(schema.organizers),
        marks=tuple(schema.marks),
        editor=schema.editor,
        phone=schema.phone,
        fax=schema.fax,
        address=schema.address,
        copies=schema.copies,
        distribution=tuple(
            DistributionLine(label, format_recipients(value)) for label, value in schema.distribution.items()
        ),
        base_url=schema.base_url,
        masthead=Masthead(**schema.masthead.model_dump()),
    )


def masthead_problems(bulletin: Bulletin) -> list[tuple[tuple[str, ...], str]]:
    """(bulletin.yaml key, warning) when the masthead title cannot be set as asked or as a masthead."""
    fit = bulletin.title_fit
    if bulletin.masthead.image:
        return []
    if fit.shrunk_from is not None:
        message = f"masthead.size：{fit.shrunk_from:g} pt 的刊名在版心里排不下一行，已缩到 {fit.size:g} pt"
        return [(("masthead", "size"), message)]
    if fit.size < TITLE_SIZE_MIN:
        message = (
            f"title：刊名 {len(bulletin.title)} 个字，报头要排成一行只能用 {fit.size:g} pt 的字"
            f"（小于 {TITLE_SIZE_MIN:g} pt 就不像报头了）；建议缩短刊名，或用题字图片（masthead.image）"
        )
        return [(("title",), message)]
    return []


@dataclass(frozen=True)
class _BulletinSource:
    data: dict[str, Any]
    doc: YamlDoc
    shown: str


def load_bulletin(content: Path, problems: Problems) -> _BulletinSource | None:
    """Read content/bulletin.yaml (validated per issue, with its overrides)."""
    path = content / "bulletin.yaml"
    shown = display_path(path)
    if not path.is_file():
        problems.error(shown, 0, "找不到刊物设置文件 bulletin.yaml")
        return None
    doc = read_yaml(path, shown, problems)
    if doc is None:
        return None
    data = split_known(doc.data, BulletinSchema.model_fields, doc, shown, problems)
    return _BulletinSource(data, doc, shown)


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


def article_paths(folder: Path, order: list[str] | None, doc: YamlDoc, shown: str, problems: Problems) -> list[Path]:
    """The issue's .md files: in `articles:` order if given, else by file name."""
    if order is None:
        return sorted(p for p in folder.glob("*.md") if p.is_file() and utf8_name(p.name))
    paths = []
    for index, name in enumerate(order):
        candidate = folder / name
        unsafe = safety.check_file_name(name)
        if unsafe or not name.endswith(".md"):
            reason = f"（{unsafe}）" if unsafe else ""
            shown_name = name.encode("unicode_escape").decode() if unsafe else name
            problems.error(
                shown,
                doc.line_of(("articles", index)),
                f"articles：“{shown_name}” 应为本期文件夹中的 .md 文件名{reason}",
            )
        elif not candidate.is_file():
            problems.error(shown, doc.line_of(("articles", index)), f"articles：找不到文章文件 {name}")
        else:
            paths.append(candidate)
    listed = {p.name for p in paths}
    extras = (p.name for p in folder.glob("*.md") if utf8_name(p.name))
    for extra in sorted(name for name in extras if name not in listed and name not in order):
        problems.warn(shown, doc.line_of(("articles",)), f"articles：本期文件夹中的 {extra} 没有列入，不会印出")
    return paths


# Files an issue folder's content is read from: a name that cannot be shown is an error there.
CONTENT_SUFFIXES = frozenset({".md", ".yaml", ".yml", *safety.IMAGE_SUFFIXES})


def check_file_names(folder: Path, problems: Problems) -> None:
    """Names in an issue folder that are not UTF-8 (say, GBK names copied from a Windows share).

    Such a file cannot be named in an article or a page: an error if it looks like content (an
    article, settings, an image), else a warning that it is ignored. Shown with its bytes escaped.
    """
    for root, folders, files in os.walk(folder):
        for name in sorted(folders):
            if not utf8_name(name):
                folders.remove(name)  # one line for the folder, none for each file in it
                problems.warn(
                    escaped(display_path(Path(root) / name)), 0, "文件夹名不是 UTF-8 编码，已忽略（请重命名）"
                )
        for name in sorted(files):
            if utf8_name(name):
                continue
            shown = escaped(display_path(Path(root) / name))
            if Path(name).suffix.lower() in CONTENT_SUFFIXES:
                problems.error(
                    shown, 0, "文件名不是 UTF-8 编码（可能是从 Windows 共享盘复制来的 GBK 文件名），无法使用，请重命名"
                )
            else:
                problems.warn(shown, 0, "文件名不是 UTF-8 编码，已忽略（请重命名）")


def utf8_name(name: str) -> bool:
    """Whether a file name (as decoded by Python, with surrogate escapes) is valid UTF-8."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def load_issue(
    folder: Path, bulletin: _BulletinSource, problems: Problems, converters: IssueConverters
) -> tuple[Issue, YamlDoc] | None:
    """Read one issue folder: issue.yaml, overrides, articles (bodies made trees by one of `converters`)."""
    issue_id = folder.name
    path = folder / "issue.yaml"
    shown = display_path(path)
    if not ISSUE_ID_RE.match(issue_id):
        problems.error(display_path(folder), 0, f"期号文件夹名“{issue_id}”只能用小写字母、数字和连字符（如 2025-08）")
        return None
    check_file_names(folder, problems)
    if not path.is_file():
        problems.error(shown, 0, "找不到本期设置文件 issue.yaml")
        return None
    doc = read_yaml(path, shown, problems)
    if doc is None:
        return None
    known = list(IssueSchema.model_fields) + list(BulletinSchema.model_fields)
    data = split_known(doc.data, known, doc, shown, problems)
    own = {k: v for k, v in data.items() if k in IssueSchema.model_fields}
    overrides = {k: v for k, v in data.items() if k not in IssueSchema.model_fields}
    schema = validate(IssueSchema, own, {"": (doc, shown)}, problems)
    sources = {"": (bulletin.doc, bulletin.shown)} | {key: (doc, shown) for key in overrides}
    # The bulletin's own errors are reported once, by load_site.
    merged = validate(BulletinSchema, {**bulletin.data, **overrides}, sources, problems, only=set(overrides))
    if schema is None or merged is None:
        return None
    articles = []
    convert = converters()  # figures and tables are numbered through the whole issue
    for index, article_path in enumerate(article_paths(folder, schema.articles, doc, shown, problems), 1):
        article = load_article(article_path, index, problems, convert, tuple(schema.lint.ignore))
        if article is not None:
            articles.append(article)
    if not articles and not problems.has_errors:
        problems.error(shown, 0, "本期没有文章（在本期文件夹中放入 .md 文件）")
        return None
    issue = Issue(
        id=issue_id,
        folder=folder,
        number=schema.number,
        total=schema.total,
        date=schema.date,
        draft=schema.draft,
        toc=schema.toc,
        bulletin=make_bulletin(merged),
        articles=tuple(articles),
        lint_ignore=tuple(schema.lint.ignore),
    )
    return issue, doc


# ---------------------------------------------------------------------------


def reuse_settings(bulletin: _BulletinSource, strict: bool) -> str:
    """What else an issue's parse depends on: the bulletin settings, strictness and jianbao's own code."""
    from jianbao.digests import code_digest, digest_bytes

    settings = json.dumps([bulletin.data, strict], sort_keys=True, default=str).encode()
    return f"{digest_bytes(settings)}:{code_digest()}"


@dataclass(frozen=True)
class Parsed:
    """A problem-free parse of one issue folder, kept to be reused while `key` still matches: the folder's
    digest and the settings it was parsed under (`reuse_settings`)."""

    key: str
    issue: Issue
    doc: YamlDoc  # issue.yaml's key lines, for the numbering messages


Memo = dict[str, Parsed]  # issue folder → its last problem-free parse


def load_issue_reusing(
    folder: Path,
    bulletin: _BulletinSource,
    problems: Problems,
    converters: IssueConverters,
    memo: Memo | None,
    digests: TreeDigests | None = None,
    settings: str = "",
) -> tuple[Issue, YamlDoc] | None:
    """`load_issue`, reusing an earlier problem-free result when the files are byte-identical (a warm `serve`)
    and were parsed under the same `settings` (`reuse_settings`)."""
    if memo is None:
        return load_issue(folder, bulletin, problems, converters)
    from jianbao.digests import tree_digest

    folder_digest = digests[folder] if digests is not None else tree_digest(folder)
    key = f"{folder_digest}:{settings}"
    earlier = memo.get(str(folder))
    if earlier is not None and earlier.key == key:
        return earlier.issue, earlier.doc
    before = len(problems.items)
    loaded = load_issue(folder, bulletin, problems, converters)
    if loaded is not None and len(problems.items) == before:
        memo[str(folder)] = Parsed(key, *loaded)
    else:
        memo.pop(str(folder), None)
    return loaded


def load_site(
    content: Path,
    converters: IssueConverters,
    *,
    strict: bool = False,
    memo: Memo | None = None,
    digests: TreeDigests | None = None,
) -> tuple[Site, list[Problem]]:
    """Load and check everything under `content`; raise `ContentError` on any error. Article bodies are
    made trees by the Markdown stage's `converters` (one per issue; jianbao/markup passes its own).

    A long-lived caller may pass the same `memo` dict each time to skip re-parsing unchanged issues
    (told by their folders' `digests`, which the caller may reuse within the same build).
    """
    problems = Problems(strict=strict, root=content)
    if not content.is_dir():
        raise ContentError([Problem(display_path(content), 0, missing_content(content))])
    bulletin = load_bulletin(content, problems)
    issues: list[Issue] = []
    docs: dict[str, YamlDoc] = {}
    top = None
    issues_dir = content / "issues"
    if bulletin is not None:
        top = validate(BulletinSchema, bulletin.data, {"": (bulletin.doc, bulletin.shown)}, problems)
        if top is not None:
            for key, message in masthead_problems(make_bulletin(top)):
                problems.warn(bulletin.shown, bulletin.doc.line_of(key), message)
        folders = (
            sorted(p for p in issues_dir.iterdir() if p.is_dir() and not p.name.startswith("."))
            if issues_dir.is_dir()
            else []
        )
        settings = reuse_settings(bulletin, strict) if memo is not None else ""
        for folder in folders:
            loaded = load_issue_reusing(folder, bulletin, problems, converters, memo, digests, settings)
            if loaded is not None:
                issues.append(loaded[0])
                docs[loaded[0].id] = loaded[1]
        check_numbering(issues, docs, problems)
    if problems.has_errors or bulletin is None or top is None:
        raise ContentError(problems.items)
    issues.sort(key=lambda i: (i.date, i.total))
    return Site(bulletin=make_bulletin(top), issues=tuple(issues)), problems.warnings
