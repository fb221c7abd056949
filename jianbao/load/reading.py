"""Files of content/ → their text or YAML, read the way every stage reads them: confined, bounded, in UTF-8.

Every problem is reported at the file (and line) it is about, through the run's `Problems`.
"""

from __future__ import annotations

from pathlib import Path

from jianbao import disk
from jianbao.errors import UnreadableError
from jianbao.load import safety
from jianbao.load.problems import Problems
from jianbao.load.yamlfile import YamlDoc, YamlSyntaxError, parse_yaml

# ---------------------------------------------------------------------------
# Reading files


def read_text(path: Path, shown: str, problems: Problems, kind: disk.Kind = disk.ARTICLE) -> str | None:
    """Read a UTF-8 text file (a BOM is fine) of `kind`, stat'ed before it is opened; report anything else:
    a file outside the content folder, not a regular file, over its kind's limit, binary or not UTF-8."""
    if problems.root is not None and not safety.inside(path, problems.root):
        problems.error(shown, 0, "文件指向内容文件夹以外（符号链接），出于安全考虑不予读取")
        return None
    try:
        data = disk.read_bounded(path, kind)
    except UnreadableError as exc:
        problems.error(shown, 0, exc.reason)
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
        text = read_text(path, shown, problems, disk.SETTINGS)
        if text is None:
            return None
    try:
        doc = parse_yaml(text, line_offset)
    except YamlSyntaxError as exc:
        problems.error(shown, exc.line, exc.message)
        return None
    for line, note in doc.notes:
        problems.warn(shown, line, note)
    if doc.data is None:
        return YamlDoc({}, {}, doc.first_line)
    if not isinstance(doc.data, dict):
        problems.error(shown, doc.first_line, "内容应为“字段: 值”的形式")
        return None
    return doc
