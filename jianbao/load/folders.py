"""An issue folder → the names of its article files, and a message for everything in it that cannot be used.

One walk of the folder (jianbao/disk.py) finds what a careless or hostile colleague may leave there: a
symlink loop, a link out of the content folder, a FIFO or device named like an article, a folder jianbao may
not read, a name that is not UTF-8 or holds control characters, two names that differ only in case, an
article saved under a name that is never read (`03-专报.md.txt`, a Word file). Each is said once, with its
path: an error when it looks like content (an article, settings, an image), else a warning. `check` and
`build` load through here alike, so they say the same.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from jianbao import disk
from jianbao.errors import display_path, escaped
from jianbao.invocation import command
from jianbao.load import safety
from jianbao.load.problems import Problems

# Files an issue folder's content is read from: a name of these that cannot be used is an error.
CONTENT_SUFFIXES = frozenset({".md", ".yaml", ".yml", *safety.IMAGE_SUFFIXES})

# Word files an editor may drop into an issue folder, meaning them as articles: never read as they are.
OLD_WORD_SUFFIXES = (".doc", ".wps", ".rtf")


def article_names(folder: Path, problems: Problems) -> list[str]:
    """The article files of an issue folder (`*.md`, any case: Windows tools write `.MD`), by name; every
    entry that cannot be used is reported."""
    listing = disk.walk(folder, outside_ok=True)
    refused = report_links_out(folder, listing, problems)
    report_oddities(folder, listing, problems)
    report_names(folder, [*listing.files, *(odd.name for odd in listing.oddities)], problems)
    return [
        name
        for name in listing.files
        if "/" not in name and is_article_name(name) and name not in refused and utf8_name(name)
    ]


def is_article_name(name: str) -> bool:
    """`01-标题.md` (or `.MD`), not hidden (`._01.md`, an editor's `.#01.md`)."""
    return not name.startswith(".") and PurePosixPath(name).suffix.lower() == ".md"


def report_links_out(folder: Path, listing: disk.Listing, problems: Problems) -> set[str]:
    """Articles that are symlinks out of the content folder (to another issue's folder is fine): reported,
    never read. (Any other file is read only when an article names it, which says so at its line.)"""
    refused = set()
    root = problems.root or folder
    for name in sorted(listing.links):
        if "/" not in name and is_article_name(name) and not safety.inside(folder / name, root):
            refused.add(name)
            report(folder, name, "文件指向内容文件夹以外（符号链接），出于安全考虑不予读取", problems)
    return refused


def report_oddities(folder: Path, listing: disk.Listing, problems: Problems) -> None:
    """Loops, broken links, FIFOs and devices, folders that cannot be read; not what vanished meanwhile (an
    editor's swap file) nor hidden entries."""
    for odd in listing.oddities:
        if odd.kind == "vanished" or hidden(odd.name) or odd.name == ".":
            continue  # (an unreadable issue folder: its issue.yaml says so)
        if odd.is_folder:
            shown = display_path(folder / odd.name)
            problems.warn(shown, 0, f"文件夹{odd.cause}，其中的文件不会用到")
        else:
            report(folder, odd.name, odd.cause, problems)


def report_names(folder: Path, names: list[str], problems: Problems) -> None:
    """Names that are not UTF-8 or hold control characters, names that differ only in case, and articles
    saved under a name that is never read."""
    seen: dict[str, str] = {}
    broken_folders: set[str] = set()
    for name in sorted(names, key=lambda n: n.split("/")):
        parts = name.split("/")
        if any("/".join(parts[: k + 1]) in broken_folders for k in range(len(parts) - 1)):
            continue  # one line for the folder, none for each file in it
        if not utf8_name(name):
            bad = next(k for k, part in enumerate(parts) if not utf8_name(part))
            if bad < len(parts) - 1:
                broken_folders.add("/".join(parts[: bad + 1]))
                shown = escaped(display_path(folder / "/".join(parts[: bad + 1])))
                problems.warn(shown, 0, "文件夹名不是 UTF-8 编码，已忽略（请重命名）")
            elif PurePosixPath(name).suffix.lower() in CONTENT_SUFFIXES:
                problems.error(
                    escaped(display_path(folder / name)),
                    0,
                    "文件名不是 UTF-8 编码（可能是从 Windows 共享盘复制来的 GBK 文件名），无法使用，请重命名",
                )
            else:
                problems.warn(escaped(display_path(folder / name)), 0, "文件名不是 UTF-8 编码，已忽略（请重命名）")
            continue
        if hidden(name):
            continue
        if any(ord(c) < 32 or ord(c) == 0x7F for c in name):
            problems.warn(display_path(folder / name), 0, "文件名含有换行等控制字符，请重命名")
        folded = name.casefold()
        if folded in seen:
            problems.warn(
                display_path(folder / name),
                0,
                f"与 {seen[folded]} 只有大小写不同：在 Windows 和 macOS 上它们是同一个文件，"
                "复制或发布到那里时会互相覆盖，请改名",
            )
        else:
            seen[folded] = name
        if "/" not in name and (hint := unread_article(name, folder.name)):
            problems.warn(display_path(folder / name), 0, hint)


def unread_article(name: str, issue_id: str) -> str | None:
    """What to do with a file an editor may have meant as an article, which is never read as it is."""
    lower = name.lower()
    importing = command("import", name, "--issue", issue_id)
    if lower.endswith(".md.txt"):
        return f"扩展名是 .md.txt（Windows 可能隐藏了 .txt），不会作为文章印出；请改名为 {name[: -len('.txt')]}"
    if lower.endswith(".markdown"):
        return f"扩展名是 .markdown，不会作为文章印出；请改名为 {name[: -len('.markdown')]}.md"
    if lower.endswith(".docx"):
        return f"Word 文件不会直接印出；请用 {importing} 把它导入为文章，再移走原文件"
    if lower.endswith(OLD_WORD_SUFFIXES):
        return f"这种格式不会印出；请用 Word 或 WPS 另存为 .docx，再用 {command('import')} 导入为文章"
    return None


def report(folder: Path, name: str, cause: str, problems: Problems) -> None:
    """A file that cannot be read: an error if it looks like content, else a warning that it is ignored."""
    shown = display_path(folder / name)
    if PurePosixPath(name).suffix.lower() in CONTENT_SUFFIXES:
        problems.error(shown, 0, cause)
    else:
        problems.warn(shown, 0, f"{cause}，已忽略")


def hidden(name: str) -> bool:
    """Whether any part of a relative path is hidden (`.git`, `.DS_Store`, an editor's `.#01.md`)."""
    return any(part.startswith(".") for part in name.split("/"))


def utf8_name(name: str) -> bool:
    """Whether a file name (as decoded by Python, with surrogate escapes) is valid UTF-8."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
