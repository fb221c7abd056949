"""One manuscript into an issue: the source file → a new (or replacing) article file, images beside it.

`import_manuscript` reads the file (reading.py), converts it (writing.py)
and writes the article and its images atomically; it returns what was
written, a summary for the editor and what could not be converted. Where
the import goes — the article's file name, its images' names, the newest
issue — is decided here too.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from jianbao import disk
from jianbao.errors import UnreadableError, UsageError, display_path
from jianbao.files import write_atomic
from jianbao.importing.edition import edition_articles, edition_properties, read_edition
from jianbao.importing.reading import MAX_IMPORT_SECONDS, Manuscript, read_manuscript, time_limit
from jianbao.importing.writing import Article, convert
from jianbao.invocation import command
from jianbao.load.articles import split_front_matter, take_title
from jianbao.load.safety import check_file_name
from jianbao.load.yamlfile import YamlSyntaxError, parse_yaml


@dataclass
class ImportResult:
    """What an import wrote, what it says about it, what it lost and what the editor should look at."""

    written: list[Path] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def import_manuscript(
    source: Path, issue_folder: Path, name: str | None = None, replace: str | None = None
) -> ImportResult:
    """Convert `source` into a new article of the issue in `issue_folder` (or in place of `replace`);
    jianbao's own Word edition gives back all its articles (`import_edition`)."""
    if not (issue_folder / "issue.yaml").is_file():
        raise UsageError(f"没有这一期：{display_path(issue_folder)}（先用 {command('new')} 创建）")
    if not source.is_file():
        raise UsageError(f"找不到稿件文件：{source}")
    if source.suffix.lower() == ".docx" and (properties := edition_properties(source)):
        if name:
            raise UsageError(f"{source.name} 是 jianbao 生成的 Word 版，其中各篇文章沿用原来的文件名，不能用 --name")
        return import_edition(source, issue_folder, properties, replace)
    target = replaced_article(issue_folder, replace) if replace else article_path(issue_folder, name or source.stem)
    stem = re.sub(r"^\d+-", "", target.stem)
    reused = images_of(target) if replace else set()
    with time_limit(MAX_IMPORT_SECONDS, source):
        manuscript = read_manuscript(source, image_prefix(issue_folder / "images", [stem, target.stem], reused))
        article = convert(manuscript.html, manuscript.fallback_title)
    article.meta = manuscript.meta | {k: v for k, v in article.meta.items() if k not in manuscript.meta}
    kept = keep_front_matter(article, front_matter(target)) if replace else []
    if not article.title:
        article.title = source.stem
        article.lost.append(f"稿件里没有找到标题，暂用文件名“{source.stem}”，请修改 title:")
    result = ImportResult(lost=manuscript.lost + article.lost)
    if not replace and (twin := same_title(issue_folder, article.title)):
        result.warnings.append(
            f"本期的 {twin.name} 标题也是“{article.title}”：如果这是它的修改稿，请删去刚写入的 {target.name}，"
            f"改用 --replace {twin.name} 重新导入（文件名、顺序和编者按等都不变）"
        )
    for image, data in manuscript.images.items():
        write_atomic(issue_folder / "images" / image, data)
        result.written.append(issue_folder / "images" / image)
    write_atomic(target, article.text().encode())
    result.written.insert(0, target)
    result.summary = describe(article, manuscript, issue_folder, target)
    if replace:
        result.summary.append(f"已用新稿替换 {target.name}（文件名和顺序不变）")
    if kept:
        result.summary.append(f"保留了原文的 {'、'.join(kept)}（新稿里没有这些项）")
    return result


def front_matter(article: Path) -> dict[str, Any]:
    """An article file's front matter fields, with its `# 标题` line as `title` when it has none ({} when
    unreadable: the new manuscript then stands alone)."""
    try:
        text = disk.read_bounded(article, disk.ARTICLE).decode("utf-8-sig")
        front, body, first_line = split_front_matter(text)
        data = parse_yaml(front).data if front is not None else {}
    except (UnreadableError, UnicodeDecodeError, YamlSyntaxError):
        return {}
    data = dict(data) if isinstance(data, dict) else {}
    if not data.get("title"):
        data["title"] = take_title(body, first_line)[0]
    return {str(key): value for key, value in data.items() if value not in (None, "")}


def keep_front_matter(article: Article, old: dict[str, Any]) -> list[str]:
    """Give the revision what the replaced article had and it does not bring (its 编者按 `note`, `source`,
    `author`, `subtitle`, a title when the revision has none, any other field); returns those keys."""
    kept = []
    if not article.title and old.get("title"):
        article.title = str(old["title"])
        kept.append("title")
    if not article.subtitle and old.get("subtitle"):
        article.subtitle = str(old["subtitle"])
        kept.append("subtitle")
    carried = {key: value for key, value in old.items() if key not in ("title", "subtitle", *article.meta)}
    article.meta = {**carried, **article.meta}
    return kept + list(carried)


def same_title(issue_folder: Path, title: str) -> Path | None:
    """The issue's existing article whose title is `title`, if any."""
    for path in sorted(issue_folder.glob("*.md")):
        if title and front_matter(path).get("title") == title:
            return path
    return None


def import_edition(
    source: Path, issue_folder: Path, properties: tuple[str, list[str]], replace: str | None = None
) -> ImportResult:
    """A jianbao Word edition → its articles under their own file names, their pictures under their own
    names (`replace`: only that article, over the existing file). Existing articles are never overwritten
    unless `replace` names them."""
    with time_limit(MAX_IMPORT_SECONDS, source):
        edition = read_edition(source, *properties)
        articles = [
            (safe_article_name(name, n), article) for n, (name, article) in enumerate(edition_articles(edition), 1)
        ]
    if not articles:
        raise UsageError(f"{source.name} 里没有找到文章（jianbao 的 Word 版以“标题 1”样式开始每篇文章）")
    if replace:
        wanted = replace if replace.endswith(".md") else f"{replace}.md"
        articles = [(name, article) for name, article in articles if name == wanted]
        if not articles:
            have = "、".join(name for name, _ in edition_articles(edition)) or "无"
            raise UsageError(f"{source.name} 里没有文章 {wanted}（其中的文章：{have}）")
    elif taken := [name for name, _ in articles if (issue_folder / name).exists()]:
        raise UsageError(
            f"本期已有 {'、'.join(taken)}；用 --replace 文件名 以 Word 版里的这一篇替换它，或用 --issue 导入到另一期"
        )
    result = ImportResult(lost=edition.lost)
    names = place_images(issue_folder, edition.images, [article for _, article in articles], result)
    for name, article in articles:
        for old, new in names.items():
            article.body = article.body.replace(f"]({old})", f"]({new})")
        result.lost += article.lost
        write_atomic(issue_folder / name, article.text().encode())
        result.written.append(issue_folder / name)
        result.summary.append(f"{name}：{article.title}")
    result.summary.append(
        f"来自 {edition.issue} 期的 Word 版，共 {len(articles)} 篇" + ("（已替换原文）" if replace else "")
    )
    return result


def safe_article_name(name: str, number: int) -> str:
    """The article file name the edition gives, if it is a plain `.md` name; else `NN-article.md`."""
    if name.endswith(".md") and check_file_name(name) is None:
        return name
    return f"{number:02d}-article.md"


def place_images(
    issue_folder: Path, images: list[tuple[str, bytes]], articles: list[Article], result: ImportResult
) -> dict[str, str]:
    """Write the pictures the articles show into images/ (a same-named file with other bytes is kept, the
    picture gets another name); returns the paths that changed."""
    shown = "\n".join(article.body for article in articles)
    renamed: dict[str, str] = {}
    for path, data in images:
        if f"]({path})" not in shown or path in renamed:
            continue
        name = PurePosixPath(path).name
        if PurePosixPath(path).parent.as_posix() != "images" or check_file_name(name) is not None:
            continue
        target, number = issue_folder / "images" / name, 2
        while target.exists() and target.read_bytes() != data:
            target = target.with_name(f"{PurePosixPath(name).stem}-{number}{PurePosixPath(name).suffix}")
            number += 1
        if target.name != name:
            renamed[path] = f"images/{target.name}"
        if not target.exists():
            write_atomic(target, data)
            result.written.append(target)
    return renamed


def article_path(issue_folder: Path, name: str) -> Path:
    """`NN-name.md` after the issue's last article (an existing one is never overwritten)."""
    slug = re.sub(r'[\s\\/:*?"<>|]+', "-", name.strip()).strip("-.") or "article"
    if not re.match(r"^\d+-", slug):
        numbers = [int(m.group(1)) for p in issue_folder.glob("*.md") if (m := re.match(r"^(\d+)-", p.name))]
        slug = f"{max(numbers, default=0) + 1:02d}-{slug}"
    target = issue_folder / f"{slug}.md"
    if target.exists():
        raise UsageError(
            f"{display_path(target)} 已经存在；用 --name 换一个文件名，或用 --replace {target.name} 以新稿替换它"
        )
    return target


def replaced_article(issue_folder: Path, name: str) -> Path:
    """The existing article `--replace NAME` names (a file name in the issue folder, .md optional)."""
    file_name = name if name.endswith(".md") else f"{name}.md"
    target = issue_folder / file_name
    if "/" in name or "\\" in name or name.startswith(".") or not target.is_file():
        have = "、".join(sorted(p.name for p in issue_folder.glob("*.md"))) or "无"
        raise UsageError(f"本期没有文章 {file_name}，无法替换（本期的文章：{have}）")
    return target


def images_of(article: Path) -> set[str]:
    """The images/ files an article refers to (they may be overwritten when it is replaced)."""
    try:
        text = disk.read_bounded(article, disk.ARTICLE).decode("utf-8", "replace")
    except UnreadableError:
        return set()
    return set(re.findall(r"images/([^)\s\"'>]+)", text))


def image_prefix(images: Path, candidates: list[str], reusable: set[str]) -> str:
    """The first of `candidates` (then `<last>-2`, `-3`…) whose `<prefix>-N.png` names no other article's image."""
    taken = {p.name for p in images.iterdir()} - reusable if images.is_dir() else set()
    for prefix in itertools.chain(candidates, (f"{candidates[-1]}-{n}" for n in itertools.count(2))):
        if not any(name.startswith(f"{prefix}-") for name in taken):
            return prefix
    raise AssertionError("unreachable")


def describe(article: Article, manuscript: Manuscript, issue_folder: Path, target: Path) -> list[str]:
    """Lines telling the editor what the article now holds."""
    counts = [f"{article.headings} 个小标题"]
    if article.tables:
        counts.append(f"{article.tables} 个表格")
    if manuscript.images:
        counts.append(f"{len(manuscript.images)} 张图片（在 images/ 中）")
    if article.footnotes:
        counts.append(f"{article.footnotes} 条脚注")
    lines = [f"标题：{article.title}", "，".join(counts)]
    order = issue_settings(issue_folder / "issue.yaml")
    if "articles" in order:
        lines.append(f"本期 issue.yaml 用 articles 指定了文章顺序，请把 {target.name} 加进去")
    return lines


def newest_issue(content: Path) -> str:
    """The folder name of the issue with the latest date (then the highest name) under content/issues/."""
    found = []
    for folder in (content / "issues").glob("*/issue.yaml"):
        date = issue_settings(folder).get("date")
        found.append((str(date or ""), folder.parent.name))
    if not found:
        where = (content / "issues").resolve()
        raise UsageError(f"{where} 里还没有任何一期，请先运行 {command('new')}，或用 --issue 指定期号")
    return max(found)[1]


def issue_settings(path: Path) -> dict[str, Any]:
    """An issue.yaml's top-level settings, read as the load stage reads it (no aliases); {} when unreadable."""
    try:
        data = parse_yaml(disk.read_bounded(path, disk.SETTINGS).decode("utf-8")).data
    except (UnreadableError, UnicodeDecodeError, YamlSyntaxError):
        return {}
    return data if isinstance(data, dict) else {}
