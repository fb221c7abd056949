"""One small exception hierarchy; every message reaches the user as one line.

A `Problem` is one finding about the content (file, line, message). Loading
collects all of them; `ContentError` carries them out of a run together.
"""

from __future__ import annotations

import errno
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """One finding about the content, located at a file and line."""

    path: str
    line: int
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        label = "" if self.severity == "error" else "警告："
        return f"{where}: {label}{self.message}"


class JianbaoError(Exception):
    """Base of every error jianbao expects; its text is shown to the user."""


class UsageError(JianbaoError):
    """The command line or the environment is wrong (exit code 2)."""


class ContentError(JianbaoError):
    """The content has problems; nothing was written."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class BuildError(JianbaoError):
    """Rendering or writing failed for a reason outside the content."""


# errno → (the cause, what to do), for the causes a user can act on.
_OS_CAUSES = {
    errno.ENOSPC: ("磁盘已满", "请腾出空间后重新运行"),
    errno.EDQUOT: ("超出磁盘配额", "请腾出空间后重新运行"),
    errno.EROFS: ("所在的文件系统是只读的", "请换一个可写的文件夹"),
    errno.EACCES: ("没有权限", "请检查这个文件夹的权限，或换一个文件夹"),
    errno.EPERM: ("不允许修改（可能被设为只读或不可更改）", "请检查这个文件夹的权限和属性，或换一个文件夹"),
    errno.ENAMETOOLONG: ("路径太长", "请换一个路径较短的文件夹"),
    errno.EBUSY: ("正被占用或是一个挂载点，无法替换", "请改用其中的一个子文件夹"),
    errno.EXDEV: ("跨越了不同的磁盘或挂载点", "请改用其中的一个子文件夹"),
    errno.EIO: ("磁盘读写出错", "请检查磁盘"),
    errno.EMFILE: ("打开的文件过多", "请关闭其他程序后重试"),
}


def os_error_message(exc: OSError, path: Path | str | None = None) -> str:
    """One Chinese line for a failed file operation: the path, the cause and what to do."""
    where = path if path is not None else exc.filename
    cause, todo = _OS_CAUSES.get(exc.errno or 0, (exc.strerror or type(exc).__name__, ""))
    place = escaped(display_path(Path(where))) if isinstance(where, (str, Path)) and str(where) else "文件"
    verb = "无法写入" if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EROFS) else "无法访问"
    return f"{verb} {place}：{cause}" + (f"（{todo}）" if todo else "")


def escaped(name: str) -> str:
    """A file name as it can be printed: bytes that are not UTF-8 shown as \\xNN."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def display_path(path: Path, root: Path | None = None) -> str:
    """Show a path relative to the working directory when possible."""
    base = root or Path.cwd()
    try:
        return str(path.resolve().relative_to(base.resolve()))
    except ValueError:
        return str(path)


def missing_content(content: Path) -> str:
    """What to say when the content folder is not there: where we looked, and how to run from elsewhere."""
    from jianbao.invocation import program

    return (
        f"找不到内容文件夹 {content.absolute()}。请在刊物的项目文件夹（或它的任何子文件夹）里运行 {program()}，"
        f"或用 --content 指定内容文件夹（如 --content /路径/content）"
    )
