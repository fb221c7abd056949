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

from jianbao.text.chars import CURLY_QUOTES

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
    """Parsed YAML: the data, a map from location to 1-based line, and what was corrected on the way (line,
    warning): curly quotes around a plain value."""

    data: Any
    lines: dict[Loc, int] = field(default_factory=dict)
    first_line: int = 1
    notes: tuple[tuple[int, str], ...] = ()

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
    source = text.splitlines()
    try:
        loader = _Loader(text)
    except yaml.reader.ReaderError as exc:  # the reader checks every character up front
        raise _reader_error(text, exc, line_offset) from None
    try:
        node = loader.get_single_node()
        if node is None:
            return YamlDoc(None, {}, 1 + line_offset)
        lines: dict[Loc, int] = {}
        notes: list[tuple[int, str]] = []
        _record_lines(node, (), lines, line_offset, set(), source, notes)
        data = loader.construct_document(node)
        if isinstance(data, str) and (hint := syntax_hint(source, node.start_mark.line)):
            line = hint[0] + 1 + line_offset  # `editor:李晓梅` alone is one word to YAML, not a key
            raise YamlSyntaxError(line, "YAML 格式错误：" + hint[1].format(line=line))
    except yaml.MarkedYAMLError as exc:
        # An unclosed quote is reported at the end of the file; point at its start.
        # So is an unclosed bracket (at the next key or the end): point at the bracket.
        quoted = "quoted" in (exc.context or "") and "end of stream" in (exc.problem or "")
        unclosed = (exc.problem or "").startswith(("expected ',' or ']'", "expected ',' or '}'"))
        mark = (exc.context_mark if quoted or unclosed else None) or exc.problem_mark or exc.context_mark
        index = mark.line if mark else 0
        if hint := syntax_hint(source, index):
            line = hint[0] + 1 + line_offset
            raise YamlSyntaxError(line, "YAML 格式错误：" + hint[1].format(line=line)) from None
        column = f"（第 {mark.column + 1} 列）" if mark else ""
        raise YamlSyntaxError(index + 1 + line_offset, _describe(exc) + column) from None
    except yaml.reader.ReaderError as exc:
        raise _reader_error(text, exc, line_offset) from None
    except RecursionError:
        # The scanner's position is where the nesting got too deep.
        line = loader.line + 1 + line_offset
        raise YamlSyntaxError(line, f"YAML 格式错误：嵌套层次过深（上限 {MAX_DEPTH} 层）") from None
    finally:
        loader.dispose()
    return YamlDoc(data, lines, node.start_mark.line + 1 + line_offset, tuple(notes))


def _reader_error(text: str, exc: yaml.reader.ReaderError, line_offset: int) -> YamlSyntaxError:
    line = text.count("\n", 0, exc.position) + 1 + line_offset
    code = exc.character if isinstance(exc.character, int) else ord(exc.character)
    return YamlSyntaxError(line, f"YAML 格式错误：含有不可见的控制字符 U+{code:04X}，请删除它")


# A line whose first colon is full-width: `title：领导学习`, `- 报：市委`.
_FULLWIDTH_KEY = re.compile(r"^\s*(?:-\s+)?[^\s:：#\"'\[{|>][^:#\"']{0,30}?\s*：")
# A continuation line of a plain scalar that looks like a key typed with a full-width colon.
_FULLWIDTH_KEY_LINE = re.compile(r"^\s*[^\W\d][\w-]{0,20}\s*：")  # \w takes in Chinese characters
# `editor:李晓梅`: a key and its value with no space after the colon (YAML reads the whole line as one word);
# not `http://…`.
_NO_SPACE_KEY = re.compile(r"^\s*(?:-\s+)?([^\s:#'\"\[\]{},][^:#\s]{0,30}):(?![\s/])\S")
# `title: "城市大脑"的建设`: a value opened with a quote mark that closes before the value ends.
_QUOTE_THEN_TEXT = re.compile(r"^\s*(?:-\s+)?(?:[^\s:#][^:#]{0,30}:\s+)?([\"'])[^\"']*\1[ \t]*[^\s#]")
_FULLWIDTH_SYNTAX = (
    ("“”", "全角引号“”", '半角引号“"”（或去掉引号）'),
    ("【】［］", "全角方括号“【】”", "半角“[ ]”"),
    ("｛｝", "全角花括号“｛｝”", "半角“{ }”"),
    ("，", "全角逗号“，”", "半角“,”后加空格"),
)


def syntax_hint(source: list[str], index: int) -> tuple[int, str] | None:
    """(0-based line, message with a `{line}` field) when a syntax error at line `index` comes from a typing
    habit YAML does not share.

    A key's colon typed full-width, or with no space after it (`editor:李晓梅`, one word to YAML), is
    found on the error line or up to two lines above (PyYAML notices the missing `:` only on the next
    line); full-width quotes, brackets and commas, and a value that starts with a quoted term and goes on
    after it, on the error line itself.
    """
    for line in range(min(index, len(source) - 1), max(index - 3, -1), -1):
        if _FULLWIDTH_KEY.match(source[line]):
            return line, "第{line}行用了全角冒号“：”，请改成半角“:”后加空格"
        if found := _NO_SPACE_KEY.match(source[line]):
            return line, f"第{{line}}行的冒号后面缺少空格：应写成“{found.group(1)}: 值”（半角冒号后加一个空格）"
    text = source[index] if index < len(source) else ""
    if _QUOTE_THEN_TEXT.match(text):
        return index, (
            "第{line}行的值以半角引号开头、引号后面还有文字：YAML 把开头的引号当作整个值的引号。"
            "请把引号改成中文引号“”，或给整个值再加一对单引号（如 title: '\"城市大脑\"的建设'）"
        )
    for characters, name, fix in _FULLWIDTH_SYNTAX:
        if any(c in text for c in characters):
            return index, f"第{{line}}行用了{name}，YAML 里要用{fix}"
    return None


def _record_lines(
    node: yaml.Node,
    loc: Loc,
    lines: dict[Loc, int],
    offset: int,
    seen_nodes: set[int],
    source: list[str],
    notes: list[tuple[int, str]],
) -> None:
    """Walk the node tree; refuse duplicate keys (PyYAML merges them), aliases and deep nesting.

    An alias is the same node met twice; refusing it stops "billion laughs"
    documents, which would otherwise expand exponentially here and in the schema.
    Full-width punctuation that parses but cannot be what was meant is refused
    too (see `_fullwidth_in_value`).
    """
    line = node.start_mark.line + 1 + offset
    if isinstance(node, yaml.ScalarNode) and (mistake := _fullwidth_in_value(node, source)):
        raise YamlSyntaxError(
            mistake[0] + 1 + offset, "YAML 格式错误：" + mistake[1].format(line=mistake[0] + 1 + offset)
        )
    if isinstance(node, yaml.ScalarNode) and (inner := curly_quoted(node)) is not None:
        kept = f"'{node.value}'"
        notes.append((line, f"值两边的中文引号不是 YAML 的引号，已去掉（引号本是内容的一部分时，请写成 {kept}）"))
        node.value = inner
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
            _record_lines(value_node, (*loc, key), lines, offset, seen_nodes, source, notes)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines[(*loc, index)] = item.start_mark.line + 1 + offset
            _record_lines(item, (*loc, index), lines, offset, seen_nodes, source, notes)


def _fullwidth_in_value(node: yaml.ScalarNode, source: list[str]) -> tuple[int, str] | None:
    """(0-based line, message with a `{line}` field) for a plain value that parsed only because of
    full-width punctuation.

    `[甲，乙]` is one item "甲，乙"; `【甲, 乙】` is a string, not a list; an indented `tagline：…`
    under `title: …` silently joins the title.
    """
    if node.style is not None:  # quoted or block scalars say what they mean
        return None
    value, first = str(node.value), node.start_mark.line
    if node.start_mark.line < node.end_mark.line:
        for line in range(first + 1, min(node.end_mark.line + 1, len(source))):
            if _FULLWIDTH_KEY_LINE.match(source[line]):
                return line, "第{line}行用了全角冒号“：”，请改成半角“:”后加空格（现在这一行被并进了上一行的值）"
    if value[:1] in "【［" and value[-1:] in "】］":
        return first, "第{line}行用了全角方括号“【】”，列表要用半角“[ ]”，各项之间用半角“,”"
    if "，" in value and node.start_mark.column > 0 and _in_flow(source[first], node.start_mark.column):
        return first, "第{line}行用了全角逗号“，”分隔列表项，请改成半角“,”后加空格"
    return None


def curly_quoted(node: yaml.ScalarNode) -> str | None:
    """The inside of a plain value typed between Chinese quotes (`phone: “0571-8888”`, an input method's “"”),
    else None. A value quoted in YAML (`'“数字中国”'`) says it means its quotes."""
    value = str(node.value)
    if node.style is not None or len(value) < 3:
        return None
    for open_, close in CURLY_QUOTES.items():
        if value[0] == open_ and value[-1] == close and open_ not in value[1:-1] and close not in value[1:-1]:
            return value[1:-1].strip()
    return None


def _in_flow(line: str, column: int) -> bool:
    """Whether `column` of `line` lies inside an unclosed `[` or `{` (a flow collection)."""
    before = line[:column]
    return before.count("[") + before.count("{") > before.count("]") + before.count("}")


# PyYAML's problem text (start) → what it means, in Chinese. Checked in order.
_PROBLEMS = (
    ("found character '\\t'", "不能用 Tab 缩进，请改用空格"),
    ("found character", "这个字符不能作为值的开头（@ 和 ` 是 YAML 的保留符号），请给整个值加引号"),
    ("mapping values are not allowed", "冒号位置不对（值里含“: ”时请给整个值加引号）"),
    ("could not find expected ':'", "缺少冒号（应为“字段: 值”），或缩进不一致"),
    ("sequence entries are not allowed", "列表项“- ”的位置不对：列表要另起一行，各项缩进一致"),
    ("mapping keys are not allowed", "“? ”是 YAML 的保留写法，请给整个值加引号"),
    ("found unexpected end of stream", "引号没有闭合"),
    ("found unexpected document separator", "引号没有闭合"),
    ("found unknown escape character", "双引号里的反斜杠“\\”后跟了无效的字符；要写反斜杠本身请改用单引号"),
    ("expected escape sequence", "双引号里的反斜杠“\\”后跟了无效的字符；要写反斜杠本身请改用单引号"),
    ("expected ',' or ']'", "方括号“[”没有闭合，或列表项之间缺少半角逗号“,”"),
    ("expected ',' or '}'", "花括号“{”没有闭合，或各项之间缺少半角逗号“,”"),
    ("expected the node content", "这里缺少内容（逗号、冒号或“- ”后面什么也没有）"),
    ("expected <block end>", "缩进不一致"),
    ("did not find expected key", "缩进不一致，或这一行缺少“字段: ”"),
    ("did not find expected '-' indicator", "列表项缩进不一致：每项都以“- ”开头并上下对齐"),
    ("but found another document", "一个文件里只能有一份内容：请删去多余的“---”"),
    ("expected '<document start>'", "一个文件里只能有一份内容：请删去多余的“---”"),
    ("expected a single document", "一个文件里只能有一份内容：请删去多余的“---”"),
    ("found undefined alias", "不支持锚点和别名（& 和 *），请直接写出内容；如果是正文里的符号，请给整个值加引号"),
    ("found duplicate anchor", "不支持锚点和别名（& 和 *），请直接写出内容"),
    ("second occurrence", "不支持锚点和别名（& 和 *），请直接写出内容"),
    ("expected alphabetic or numeric character", "“&”或“*”是 YAML 的保留符号，请给整个值加引号"),
    ("expected a mapping or list of mappings for merging", "不支持合并键“<<”，请直接写出内容"),
    ("expected a mapping for merging", "不支持合并键“<<”，请直接写出内容"),
    ("found unhashable key", "字段名不能是列表或映射（以“[”或“{”开头的字段名请加引号）"),
    ("expected chomping or indentation indicators", "“|”或“>”后面只能换行：多行文字请从下一行开始写"),
    ("expected indentation indicator", "“|”或“>”后面只能换行：多行文字请从下一行开始写"),
    ("expected a comment or a line break", "这一行的值后面多了内容（“|”“>”、引号或方括号之后只能换行或写 # 注释）"),
    ("expected '>'", "以“!”开头的写法是 YAML 标签，请删去，或给整个值加引号"),
    ("expected '!'", "以“!”开头的写法是 YAML 标签，请删去，或给整个值加引号"),
    ("expected ' '", "以“!”或“%”开头的写法是 YAML 的保留写法，请给整个值加引号"),
    ("found undefined tag handle", "以“!”开头的写法是 YAML 标签，请删去，或给整个值加引号"),
    ("expected URI", "以“!”开头的写法是 YAML 标签，请删去，或给整个值加引号"),
    ("expected non-empty name", "以“!”开头的写法是 YAML 标签，请删去，或给整个值加引号"),
    ("found non-specific tag", "以“!”开头的写法是 YAML 标签，请删去，或给整个值加引号"),
    ("found duplicate YAML directive", "以“%”开头的行是 YAML 指令，请删去"),
    ("found incompatible YAML document", "以“%”开头的行是 YAML 指令，请删去"),
    ("expected a digit", "以“%”开头的行是 YAML 指令，请删去"),
    ("found unconstructable recursive node", "不支持锚点和别名（& 和 *），请直接写出内容"),
)


def _describe(exc: yaml.MarkedYAMLError) -> str:
    """Say in Chinese what kind of YAML syntax error this is (never PyYAML's English)."""
    problem = exc.problem or ""
    if problem.startswith("could not determine a constructor"):
        quoted_tag = re.search(r"'([^']*)'", problem)
        tag = (quoted_tag.group(1) if quoted_tag else "").replace("tag:yaml.org,2002:", "!!")
        hint = f"不支持 YAML 标签 {tag}，请删去以“!”开头的标签"
    else:
        hint = next((chinese for start, chinese in _PROBLEMS if problem.startswith(start)), "")
    if not hint:
        hint = "引号没有闭合" if "quoted" in (exc.context or "") else "无法解析（请检查这一行的冒号、引号、括号和缩进）"
    return f"YAML 格式错误：{hint}"
