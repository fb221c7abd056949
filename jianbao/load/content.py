"""content/ folder → validated, frozen `Site` model (load and validate stages).

Reads bulletin.yaml, every issues/<id>/issue.yaml and the articles, checks
them against the schemas (schema.py) and the numbering rules (numbering.py), and returns
the model with the warnings. Every problem found is collected; if any is an
error, `ContentError` carries all of them out together and nothing is built.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jianbao.errors import ContentError, Problem, display_path, missing_content, os_cause
from jianbao.load.approval import approval_of, corrections_of, settle_approvals
from jianbao.load.articles import IssueConverters, article_paths, load_article
from jianbao.load.folders import article_names
from jianbao.load.numbering import check_numbering
from jianbao.load.problems import Problems
from jianbao.load.reading import read_text, read_yaml
from jianbao.load.schema import ISSUE_ID_RE, BulletinSchema, IssueSchema
from jianbao.load.validate import split_known, validate
from jianbao.load.yamlfile import YamlDoc
from jianbao.model import PDF_NAME_FIELDS, TITLE_SIZE_MIN, Article, Bulletin, DistributionLine, Issue, Masthead, Site
from jianbao.text.chars import FILE_NAME_UNSAFE

if TYPE_CHECKING:
    from jianbao.digests import TreeDigests


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
        glossary=tuple(schema.glossary),
        pdf_name=schema.pdf_name.removesuffix(".pdf"),
        target_pages=schema.target_pages,
        pages_per_sheet=schema.pages_per_sheet,
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


def pdf_name_problem(pattern: str, title: str) -> str:
    """What is wrong with a `pdf_name:` pattern ("" when nothing): unknown {fields}, or a file name that
    a shared folder or a download would not keep."""
    if not pattern:
        return ""  # the issue id
    fields = {name: 1 for name in PDF_NAME_FIELDS} | {"title": title}
    try:
        name = pattern.removesuffix(".pdf").format(**fields)
    except (KeyError, IndexError, ValueError) as exc:
        known = "、".join(f"{{{name}}}" for name in PDF_NAME_FIELDS)
        field = f"“{{{exc.args[0]}}}”" if isinstance(exc, KeyError) else "花括号"
        return f"pdf_name：{field} 用不了（可用：{known}；花括号本身写成 {{{{ }}}}）"
    if unsafe := sorted({char for char in name if char in FILE_NAME_UNSAFE or ord(char) < 32}):
        shown = " ".join(repr(char)[1:-1] for char in unsafe)
        return f"pdf_name：“{pattern}”给出的文件名里有不能用于文件名的字符 {shown}"
    if not name.strip() or name.startswith((".", "-", " ")):
        return f"pdf_name：“{pattern}”给出的文件名不能为空，也不能以“.”“-”或空格开头"
    return ""


@dataclass(frozen=True)
class _BulletinSource:
    data: dict[str, Any]
    doc: YamlDoc
    shown: str


def load_bulletin(content: Path, problems: Problems) -> _BulletinSource | None:
    """Read content/bulletin.yaml (validated per issue, with its overrides)."""
    path = content / "bulletin.yaml"
    shown = display_path(path)
    if not os.path.lexists(path):  # anything else there (a FIFO, a loop) is said by read_yaml
        problems.error(shown, 0, "找不到刊物设置文件 bulletin.yaml")
        return None
    doc = read_yaml(path, shown, problems)
    if doc is None:
        return None
    data = split_known(doc.data, BulletinSchema.model_fields, doc, shown, problems)
    return _BulletinSource(data, doc, shown)


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
    names = article_names(folder, problems)
    if not os.path.lexists(path):
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
    named_here = {"pdf_name", "title"} & set(overrides)  # the bulletin's own pattern is checked by load_site
    if merged is not None and named_here and (wrong := pdf_name_problem(merged.pdf_name, merged.title)):
        problems.error(shown, doc.line_of(("pdf_name",)), wrong)
        merged = None
    # The articles are read even when issue.yaml has errors: all of a run's problems are said together.
    order = schema.articles if schema is not None else None
    ignore = tuple(schema.lint.ignore) if schema is not None else ()
    articles: list[Article] = []
    convert = converters()  # figures and tables are numbered through the whole issue
    for index, article_path in enumerate(article_paths(folder, order, names, doc, shown, problems), 1):
        article = load_article(article_path, index, problems, convert, ignore)
        if article is not None:
            warn_same_title(article, articles, problems)
            articles.append(article)
            problems.loaded.append((article, frozenset(ignore) | frozenset(article.lint_ignore)))
    if schema is None or merged is None:
        return None
    approval = approval_of(schema, issue_id, doc, shown, problems)
    if not articles and not problems.has_errors:
        problems.error(shown, 0, "本期没有文章（在本期文件夹中放入 .md 文件）")
        return None
    issue = Issue(
        id=issue_id,
        folder=folder,
        number=schema.number,
        total=schema.total,
        date=schema.date,
        toc=schema.toc,
        bulletin=make_bulletin(merged),
        articles=tuple(articles),
        lint_ignore=tuple(schema.lint.ignore),
        approval=approval,
        corrections=corrections_of(schema.corrections, articles, schema, doc, shown, problems),
    )
    return issue, doc


def warn_same_title(article: Article, earlier: list[Article], problems: Problems) -> None:
    """Two articles of one issue with the same title: most likely one manuscript added twice (a revision
    imported beside the first version). Warned at the later one's title, naming the other."""
    twin = next((other for other in earlier if other.title == article.title), None)
    if twin is None:
        return
    shown = display_path(article.source_path)
    text = read_text(article.source_path, shown, Problems()) or ""  # read once already: only for the line
    line = next((n for n, row in enumerate(text.split("\n"), 1) if article.title in row), 1)
    problems.warn(
        shown,
        line,
        f"文章标题“{article.title}”与本期的 {twin.source_path.name} 相同：是不是同一篇稿件放了两次"
        "（例如导入修改稿时没有用 --replace）？请删去旧的一篇，或改一个标题",
    )


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


def issue_folders(issues_dir: Path, problems: Problems) -> list[Path]:
    """The issue folders (hidden ones aside), by name; a folder that cannot be listed is reported."""
    if not issues_dir.is_dir():
        return []
    try:
        entries = sorted(issues_dir.iterdir())
    except OSError as exc:
        problems.error(display_path(issues_dir), 0, f"无法读取文件夹（{os_cause(exc)}）")
        return []
    return [path for path in entries if path.is_dir() and not path.name.startswith(".")]


def load_site(
    content: Path,
    converters: IssueConverters,
    *,
    strict: bool = False,
    memo: Memo | None = None,
    digests: TreeDigests | None = None,
    loaded: list[tuple[Article, frozenset[str]]] | None = None,
) -> tuple[Site, list[Problem]]:
    """Load and check everything under `content`; raise `ContentError` on any error. Article bodies are
    made trees by the Markdown stage's `converters` (one per issue; jianbao/markup passes its own).

    A long-lived caller may pass the same `memo` dict each time to skip re-parsing unchanged issues
    (told by their folders' `digests`, which the caller may reuse within the same build). `loaded` gets
    every article read without an error (with the lint rules it silences), even when others failed.
    """
    problems = Problems(strict=strict, root=content)
    if not content.is_dir():
        raise ContentError([Problem(display_path(content), 0, missing_content(content))])
    bulletin = load_bulletin(content, problems)
    issues: list[Issue] = []
    docs: dict[str, YamlDoc] = {}
    top = None
    if bulletin is not None:
        top = validate(BulletinSchema, bulletin.data, {"": (bulletin.doc, bulletin.shown)}, problems)
        if top is not None:
            for key, message in masthead_problems(make_bulletin(top)):
                problems.warn(bulletin.shown, bulletin.doc.line_of(key), message)
            if wrong := pdf_name_problem(top.pdf_name, top.title):
                problems.error(bulletin.shown, bulletin.doc.line_of(("pdf_name",)), wrong)
    # Without bulletin settings the issues are still read, for their own problems (nothing is built).
    source = bulletin or _BulletinSource({}, YamlDoc({}, {}, 0), display_path(content / "bulletin.yaml"))
    settings = reuse_settings(source, strict) if memo is not None and bulletin is not None else ""
    for folder in issue_folders(content / "issues", problems):
        result = load_issue_reusing(folder, source, problems, converters, memo if bulletin else None, digests, settings)
        if result is not None:
            issues.append(result[0])
            docs[result[0].id] = result[1]
    if bulletin is not None:
        issues = settle_approvals(issues, docs, problems)
        check_numbering(issues, docs, problems)
    if loaded is not None:
        loaded.extend(problems.loaded)
    if problems.has_errors or bulletin is None or top is None:
        raise ContentError(problems.items)
    issues.sort(key=lambda i: (i.date, i.total))
    return Site(bulletin=make_bulletin(top), issues=tuple(issues)), problems.warnings
