"""content/ folder → validated, frozen `Site` model (load and validate stages).

Reads bulletin.yaml, every issues/<id>/issue.yaml and the articles, checks
them against the schemas in model.py and the numbering rules, and returns
the model with the warnings. Every problem found is collected; if any is an
error, `ContentError` carries all of them out together and nothing is built.
"""

from __future__ import annotations

import difflib
import itertools
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ValidationError

from jianbao import safety
from jianbao.errors import ContentError, Problem, display_path
from jianbao.markdown import render_markdown
from jianbao.model import (
    ISSUE_ID_RE,
    Article,
    Bulletin,
    BulletinSchema,
    DistributionLine,
    FrontMatter,
    Issue,
    IssueSchema,
    Site,
)
from jianbao.richtext import Counts
from jianbao.yamlfile import YamlDoc, YamlSyntaxError, parse_yaml

if TYPE_CHECKING:
    from jianbao.cache import TreeDigests

SchemaT = TypeVar("SchemaT", bound=BaseModel)
MAX_TEXT_BYTES = 512 * 1024  # ~170,000 Chinese characters; a bulletin article has a few thousand

FIELD_NAMES = {
    "title": "刊名/标题",
    "tagline": "刊头上方文字",
    "organizers": "主办单位",
    "marks": "密级标注",
    "editor": "责任编辑",
    "phone": "联系电话",
    "fax": "传真",
    "address": "地址",
    "copies": "印数",
    "distribution": "报送范围",
    "number": "期号",
    "total": "总期号",
    "date": "日期",
    "articles": "文章顺序",
    "draft": "草稿",
    "toc": "本期要目",
    "subtitle": "副标题",
    "note": "编者按",
    "source": "来源",
    "author": "作者",
    "lint": "检查设置",
}


@dataclass
class Problems:
    """Collects problems while loading; raises them all at the end."""

    strict: bool = False
    items: list[Problem] = field(default_factory=list)
    root: Path | None = None  # files read must lie inside (symlinks followed)

    def error(self, path: str, line: int, message: str) -> None:
        self.items.append(Problem(path, line, message))

    def warn(self, path: str, line: int, message: str) -> None:
        self.items.append(Problem(path, line, message, "error" if self.strict else "warning"))

    @property
    def has_errors(self) -> bool:
        return any(p.severity == "error" for p in self.items)

    @property
    def warnings(self) -> list[Problem]:
        return sorted(p for p in self.items if p.severity == "warning")


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


def explain(error: Any, data: dict[str, Any]) -> str:
    """One pydantic error → `字段：问题（应为…）` in Chinese."""
    loc = error["loc"]
    name = ".".join(str(part) for part in loc) or "内容"
    label = FIELD_NAMES.get(str(loc[0]), "") if loc else ""
    field_text = f"{name}（{label}）" if label and len(loc) == 1 else name
    kind = error["type"]
    value = error.get("input")
    shown = f"“{value}”" if isinstance(value, (str, int, float)) else ""
    if kind == "missing":
        return f"{field_text}：缺少必填字段"
    if kind == "value_error" and "date" in str(error.get("ctx", {}).get("error", "")):
        return f"{field_text}：{shown} 不是有效日期（应为 YYYY-MM-DD）"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"{field_text}：{shown} 不是整数（应为正整数）"
    if kind in ("greater_than", "greater_than_equal"):
        return f"{field_text}：{shown} 应为正整数"
    if kind in ("string_type",):
        return f"{field_text}：应为一段文字"
    if kind == "string_too_short":
        return f"{field_text}：不能为空"
    if kind in ("list_type", "tuple_type"):
        return f"{field_text}：应为列表（每项一行，以“- ”开头）"
    if kind == "too_short":
        return f"{field_text}：至少要有一项"
    if kind in ("bool_type", "bool_parsing"):
        return f"{field_text}：{shown} 应为 true 或 false"
    if kind in ("dict_type", "model_type"):
        return f"{field_text}：应为“名称: 内容”的映射"
    if kind == "literal_error":
        expected = str(error.get("ctx", {}).get("expected", "")).replace("'", "").replace(" or ", ", ")
        return f"{field_text}：{shown} 不是可用的值（应为 {expected}）"
    if kind == "extra_forbidden":
        return f"{field_text}：未知字段"
    return f"{field_text}：{shown} 不符合要求（{error['msg']}）"


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
    )


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


IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".svg")


def check_image(folder: Path, src: str) -> str | None:
    """Why `src` is not an image file inside the issue folder, or None if it is."""
    relative = Path(src)
    if ":" in src or src.startswith(("/", "\\")) or ".." in relative.parts:
        return f"图片“{src}”应为本期文件夹中的文件（如 images/图1.png），不能是网址或其他位置"
    if relative.suffix.lower() not in IMAGE_SUFFIXES:
        return f"图片“{src}”格式不支持（只能用 PNG、JPEG、SVG）"
    path = folder / relative
    if not path.is_file() or not path.resolve().is_relative_to(folder.resolve()):
        return f"找不到图片文件“{src}”（应放在本期文件夹 {display_path(folder)} 中）"
    return None


def load_article(
    path: Path, index: int, problems: Problems, counts: Counts | None = None, ignore: tuple[str, ...] = ()
) -> Article | None:
    """Read one article: front matter, title, Markdown body (`counts`: figure/table numbers so far)."""
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
        fragment = render_markdown(body, slug, body_line, counts)
    except RecursionError:
        problems.error(shown, body_line, f"列表或引文嵌套过深（超过上限 {safety.MAX_DEPTH} 层）")
        return None
    too_big = safety.check_shape(fragment.html, len(fragment.headings))
    if too_big:
        problems.error(shown, body_line, too_big)
        return None
    silenced = set(ignore) | set(meta.lint.ignore)
    for line, message in fragment.warnings:
        if message.startswith("标题编号"):
            if "heading-number" in silenced:
                continue
            message += " [heading-number]"
        problems.warn(shown, line, message)
    reported = set()
    for line, src in fragment.images:
        reason = check_image(path.parent, src)
        if reason:
            problems.error(shown, line, reason)
            reported.add(src)
    check_images(fragment.html, path.parent, body, body_line, shown, problems, skip=reported)
    return Article(
        slug=slug,
        source_path=path,
        title=title,
        subtitle=meta.subtitle,
        author=meta.author,
        note=meta.note,
        source=meta.source,
        body_html=fragment.html,
        headings=fragment.headings,
        images=tuple(dict.fromkeys(Path(src).as_posix() for _, src in fragment.images)),
        lint_ignore=tuple(meta.lint.ignore),
    )


def check_images(
    html: str,
    folder: Path,
    body: str,
    body_line: int,
    shown: str,
    problems: Problems,
    skip: frozenset[str] | set[str] = frozenset(),
) -> None:
    """Every image an article shows must be a small, readable file inside its issue folder (`skip`: reported)."""
    written = safety.written_image_sources(body, body_line)
    seen = {src for _, src in written}
    rendered = [(safety.line_of(body, src, body_line), src) for src in safety.image_sources(html) if src not in seen]
    for line, src in written + rendered:
        if src in skip:
            continue
        image, refused = safety.resolve_image_src(src, folder)
        problem = refused if image is None else safety.check_image_file(image)
        if problem:
            problems.error(shown, line, f"图片“{src}”：{problem}")


def article_paths(folder: Path, order: list[str] | None, doc: YamlDoc, shown: str, problems: Problems) -> list[Path]:
    """The issue's .md files: in `articles:` order if given, else by file name."""
    if order is None:
        return sorted(p for p in folder.glob("*.md") if p.is_file())
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
    for extra in sorted(p.name for p in folder.glob("*.md") if p.name not in listed and p.name not in order):
        problems.warn(shown, doc.line_of(("articles",)), f"articles：本期文件夹中的 {extra} 没有列入，不会印出")
    return paths


def load_issue(folder: Path, bulletin: _BulletinSource, problems: Problems) -> tuple[Issue, YamlDoc] | None:
    """Read one issue folder: issue.yaml, overrides, articles."""
    issue_id = folder.name
    path = folder / "issue.yaml"
    shown = display_path(path)
    if not ISSUE_ID_RE.match(issue_id):
        problems.error(display_path(folder), 0, f"期号文件夹名“{issue_id}”只能用小写字母、数字和连字符（如 2025-08）")
        return None
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
    counts = Counts()  # figures and tables are numbered through the whole issue
    for index, article_path in enumerate(article_paths(folder, schema.articles, doc, shown, problems), 1):
        article = load_article(article_path, index, problems, counts, tuple(schema.lint.ignore))
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
# Numbering across the archive


def check_numbering(issues: list[Issue], docs: dict[str, YamlDoc], problems: Problems) -> None:
    """Within a year `number` runs 1, 2, 3… by date; `total` rises by one each issue; dates strictly increase.

    Drafts are left out. Duplicates and numbers going backwards are errors,
    gaps are warnings (errors under --strict); each message names the issue's
    issue.yaml and line and says what the number should be.
    """
    published = sorted((i for i in issues if not i.draft), key=lambda i: (i.date, i.total))
    for previous, issue in itertools.pairwise(published):
        for key, is_error, message in numbering_problems(previous, issue):
            report = problems.error if is_error else problems.warn
            report(display_path(issue.folder / "issue.yaml"), docs[issue.id].line_of((key,)), message)


def numbering_problems(previous: Issue, issue: Issue) -> Iterator[tuple[str, bool, str]]:
    """(issue.yaml key, is an error, message) for each way `issue` does not follow `previous`."""
    before = f"上一期 {previous.id}"
    if issue.date == previous.date:
        yield "date", True, f"date：与{before} 日期相同（{issue.date}），每期日期应不同"
    expected_total = previous.total + 1
    if issue.total <= previous.total:
        backwards = f"总第{issue.total}期不大于{before} 的总第{previous.total}期"
        yield "total", True, f"total：{backwards}（应为 {expected_total}）"
    elif issue.total > expected_total:
        yield "total", False, f"total：总期号跳号，{before} 为总第{previous.total}期（应为 {expected_total}）"
    same_year = issue.date.year == previous.date.year
    expected = previous.number + 1 if same_year else 1
    if same_year and issue.number <= previous.number:
        backwards = f"第{issue.number}期与{before} 的第{previous.number}期重复或倒序"
        yield "number", True, f"number：{backwards}（应为 {expected}）"
    elif issue.number > expected:
        where = f"{before} 为第{previous.number}期" if same_year else f"{issue.date.year} 年的第一期"
        yield "number", False, f"number：期号跳号，{where}（应为 {expected}）"


# ---------------------------------------------------------------------------


def load_issue_reusing(
    folder: Path,
    bulletin: _BulletinSource,
    problems: Problems,
    memo: dict[str, Any] | None,
    digests: TreeDigests | None = None,
) -> tuple[Issue, YamlDoc] | None:
    """`load_issue`, reusing an earlier problem-free result when the files are byte-identical (a warm `serve`)."""
    if memo is None:
        return load_issue(folder, bulletin, problems)
    from jianbao.cache import code_digest, digest_bytes, tree_digest

    settings = json.dumps([bulletin.data, problems.strict], sort_keys=True, default=str).encode()
    folder_digest = digests[folder] if digests is not None else tree_digest(folder)
    key = f"{folder_digest}:{digest_bytes(settings)}:{code_digest()}"
    earlier = memo.get(str(folder))
    if earlier is not None and earlier[0] == key:
        return earlier[1]  # type: ignore[no-any-return]
    before = len(problems.items)
    loaded = load_issue(folder, bulletin, problems)
    memo[str(folder)] = (key, loaded) if len(problems.items) == before else None
    return loaded


def load_site(
    content: Path, *, strict: bool = False, memo: dict[str, Any] | None = None, digests: TreeDigests | None = None
) -> tuple[Site, list[Problem]]:
    """Load and check everything under `content`; raise `ContentError` on any error.

    A long-lived caller may pass the same `memo` dict each time to skip re-parsing unchanged issues
    (told by their folders' `digests`, which the caller may reuse within the same build).
    """
    problems = Problems(strict=strict, root=content)
    if not content.is_dir():
        raise ContentError([Problem(display_path(content), 0, "找不到内容文件夹")])
    bulletin = load_bulletin(content, problems)
    issues: list[Issue] = []
    docs: dict[str, YamlDoc] = {}
    top = None
    issues_dir = content / "issues"
    if bulletin is not None:
        top = validate(BulletinSchema, bulletin.data, {"": (bulletin.doc, bulletin.shown)}, problems)
        folders = (
            sorted(p for p in issues_dir.iterdir() if p.is_dir() and not p.name.startswith("."))
            if issues_dir.is_dir()
            else []
        )
        for folder in folders:
            loaded = load_issue_reusing(folder, bulletin, problems, memo, digests)
            if loaded is not None:
                issues.append(loaded[0])
                docs[loaded[0].id] = loaded[1]
        check_numbering(issues, docs, problems)
    if problems.has_errors or bulletin is None or top is None:
        raise ContentError(problems.items)
    issues.sort(key=lambda i: (i.date, i.total))
    return Site(bulletin=make_bulletin(top), issues=tuple(issues)), problems.warnings
