"""YAML text → plain data plus the line of every key and item.

PyYAML's composer keeps a start mark on every node; we walk the node tree
once to remember where each value came from, so a schema error found later
can name the line. Dates stay strings (the schema parses them), so an
impossible date such as 2025-13-01 becomes a message instead of a crash.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

Loc = tuple[str | int, ...]
MAX_DEPTH = 50  # bulletin YAML is two or three levels deep


class _Loader(yaml.SafeLoader):
    """SafeLoader without implicit timestamps."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class YamlDoc:
    """Parsed YAML: the data and a map from location to 1-based line."""

    data: Any
    lines: dict[Loc, int] = field(default_factory=dict)
    first_line: int = 1

    def line_of(self, loc: Loc) -> int:
        """Line of the deepest known prefix of `loc` (the document start if none)."""
        for end in range(len(loc), 0, -1):
            if loc[:end] in self.lines:
                return self.lines[loc[:end]]
        return self.first_line


class YamlSyntaxError(Exception):
    """A YAML document that cannot be parsed; `line` is 1-based."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


def parse_yaml(text: str, line_offset: int = 0) -> YamlDoc:
    """Parse one YAML document, keeping the line of every key and item."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return YamlDoc(None, {}, 1 + line_offset)
        lines: dict[Loc, int] = {}
        _record_lines(node, (), lines, line_offset, set())
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        # An unclosed quote is reported at the end of the file; point at its start.
        quoted = "quoted" in (exc.context or "")
        mark = (exc.context_mark if quoted else None) or exc.problem_mark or exc.context_mark
        line = (mark.line + 1 if mark else 1) + line_offset
        column = f"（第 {mark.column + 1} 列）" if mark else ""
        raise YamlSyntaxError(line, _describe(exc) + column) from None
    except RecursionError:
        # The scanner's position is where the nesting got too deep.
        line = loader.line + 1 + line_offset
        raise YamlSyntaxError(line, f"YAML 格式错误：嵌套层次过深（上限 {MAX_DEPTH} 层）") from None
    finally:
        loader.dispose()
    return YamlDoc(data, lines, node.start_mark.line + 1 + line_offset)


def _record_lines(node: yaml.Node, loc: Loc, lines: dict[Loc, int], offset: int, seen_nodes: set[int]) -> None:
    """Walk the node tree; refuse duplicate keys (PyYAML merges them), aliases and deep nesting.

    An alias is the same node met twice; refusing it stops "billion laughs"
    documents, which would otherwise expand exponentially here and in the schema.
    """
    line = node.start_mark.line + 1 + offset
    if id(node) in seen_nodes and isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
        raise YamlSyntaxError(line, "YAML 格式错误：不支持锚点和别名（& 和 *），请直接写出内容")
    seen_nodes.add(id(node))
    if len(loc) > MAX_DEPTH:
        raise YamlSyntaxError(line, f"YAML 格式错误：嵌套层次过深（上限 {MAX_DEPTH} 层）")
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            line = key_node.start_mark.line + 1 + offset
            if key in seen:
                raise YamlSyntaxError(line, f"字段 {key} 重复（第 {seen[key]} 行已有）")
            seen[key] = line
            lines[(*loc, key)] = line
            _record_lines(value_node, (*loc, key), lines, offset, seen_nodes)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines[(*loc, index)] = item.start_mark.line + 1 + offset
            _record_lines(item, (*loc, index), lines, offset, seen_nodes)


def _describe(exc: yaml.MarkedYAMLError) -> str:
    """Say in Chinese what kind of YAML syntax error this is."""
    problem = (exc.problem or "").lower()
    if "tab" in problem or "'\\t'" in problem:
        hint = "不能用 Tab 缩进，请改用空格"
    elif "mapping values are not allowed" in problem:
        hint = "冒号位置不对（值里含“: ”时请给整个值加引号）"
    elif "could not find expected ':'" in problem or "simple key" in problem:
        hint = "缺少冒号，或缩进不一致"
    elif "could not determine a constructor" in problem:
        quoted_tag = re.search(r"'([^']*)'", exc.problem or "")
        tag = (quoted_tag.group(1) if quoted_tag else "").replace("tag:yaml.org,2002:", "!!")
        hint = f"不支持 YAML 标签 {tag}，请删去以“!”开头的标签"
    elif "quoted" in (exc.context or ""):
        hint = "引号没有闭合"
    elif "expected <block end>" in problem or "indent" in problem:
        hint = "缩进不一致"
    else:
        hint = exc.problem or "无法解析"
    return f"YAML 格式错误：{hint}"
