"""One small exception hierarchy; every message reaches the user as one line.

A `Problem` is one finding about the content (file, line, message). Loading
collects all of them; `ContentError` carries them out of a run together.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
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
        where = f"{escaped(self.path)}:{self.line}" if self.line else escaped(self.path)
        label = "" if self.severity == "error" else "警告："
        return f"{where}: {label}{escaped(self.message)}"


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


class BusyError(BuildError):
    """Another jianbao holds the output folder's lock: try again once it is done."""


class UnreadableError(JianbaoError):
    """A file that is not read: not a regular file, over its kind's limit, a symlink loop, gone, unreadable.

    `reason` says why in Chinese, without the path (the caller names the file where it reports it)."""

    def __init__(self, path: Path | str, reason: str):
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{escaped(display_path(self.path))}：{reason}")


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
    errno.ELOOP: ("符号链接循环，链接最终指向它自己", "请删去或改正这个符号链接"),
    errno.ENOENT: ("不存在（可能刚被删除或改名）", ""),
    errno.ENOTDIR: ("路径中的某一级不是文件夹", "请检查路径"),
    errno.EISDIR: ("是一个文件夹，不是文件", "请检查路径"),
    errno.ETXTBSY: ("正被另一个程序使用", "请关闭它后重试"),
}


def os_cause(exc: OSError) -> str:
    """The cause of a failed file operation in Chinese (its English text only for a cause we do not know)."""
    code = exc.errno or 0
    if isinstance(exc, shutil.Error) and exc.args and isinstance(exc.args[0], list) and exc.args[0]:
        why = str(exc.args[0][0][2])  # copytree's list of (source, target, why): the first says enough
        found = re.match(r"\[Errno (\d+)\]", why)
        if found is None or int(found.group(1)) not in _OS_CAUSES:
            return why
        code = int(found.group(1))
    known = _OS_CAUSES.get(code)
    return known[0] if known else (exc.strerror or str(exc) or type(exc).__name__)


def os_error_message(exc: OSError, path: Path | str | None = None) -> str:
    """One Chinese line for a failed file operation: the path, the cause and what to do."""
    where = path if path is not None else exc.filename
    _, todo = _OS_CAUSES.get(exc.errno or 0, ("", ""))
    place = escaped(display_path(Path(where))) if isinstance(where, (str, Path)) and str(where) else "文件"
    verb = "无法写入" if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EROFS) else "无法访问"
    return f"{verb} {place}：{os_cause(exc)}" + (f"（{todo}）" if todo else "")


_CONTROL = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def escaped(name: str) -> str:
    """A file name (or a message naming one) as it can be printed on one line: bytes that are not UTF-8
    shown as \\xNN, control characters as \\n, \\t, \\x1b…, so a name cannot forge a line of its own."""
    text = name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    if text.isprintable():
        return text
    return "".join(
        _CONTROL.get(c, f"\\x{ord(c):02x}") if ord(c) < 32 or 0x7F <= ord(c) < 0xA0 or c in "\u2028\u2029" else c
        for c in text
    )


def display_path(path: Path, root: Path | None = None) -> str:
    """Show a path relative to the working directory when possible, by its own name (a symlink is shown as the
    link, not its target; a symlink loop as it is)."""
    # os.path.realpath, not Path.resolve: it never raises, not even on a symlink loop.
    real = os.path.join(os.path.realpath(path.parent), path.name) if path.name else os.path.realpath(path)
    relative = os.path.relpath(real, os.path.realpath(root or Path.cwd()))
    return str(path) if relative == ".." or relative.startswith("../") else relative


def missing_content(content: Path) -> str:
    """What to say when the content folder is not there: where we looked, and how to run from elsewhere."""
    from jianbao.invocation import program

    return (
        f"找不到内容文件夹 {content.absolute()}。请在刊物的项目文件夹（或它的任何子文件夹）里运行 {program()}，"
        f"或用 --content 指定内容文件夹（如 --content /路径/content）"
    )
