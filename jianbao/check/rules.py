"""One line or one unit of prose → findings of the Chinese text rules, each with its safe fix if any.

Each finding carries a rule code (jianbao/load/schema.py LINT_RULES) that an
issue (`issue.yaml`) or an article (front matter) can silence with
`lint: {ignore: [...]}`. Fixes are single-character edits known to be safe.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from jianbao.text.captions import is_caption
from jianbao.text.chars import CLOSERS, ENDINGS, FULL_WIDTH_OF, MARK_NAMES, PAIRS, is_chinese, is_sentence_char
from jianbao.text.numbers import heading_number_of_paragraph, number_variant
from jianbao.text.spacing import separates_fields

MASKED = "\x01"  # what `mask` puts in place of a character that is not prose


@dataclass(frozen=True)
class Edit:
    """Replace `length` characters at `column` of `line` with `text`."""

    line: int
    column: int
    length: int
    text: str


@dataclass(frozen=True)
class Finding:
    """One lint finding; `edits` is empty when no safe fix exists."""

    line: int
    rule: str
    message: str
    edits: tuple[Edit, ...] = ()


@dataclass(frozen=True)
class Unit:
    """Prose lines that belong together (a paragraph, a heading, a list item, a table row)."""

    lines: tuple[tuple[int, int, str], ...]  # (line number, column where prose starts, masked text)
    kind: str  # "paragraph" | "heading" | "line"


def _mark(char: str) -> str:
    """`左双引号“` — a mark with its name, since quoting a quote mark is unreadable."""
    return f"{MARK_NAMES[char]}{char}"


def _neighbour(text: str, index: int, step: int) -> str:
    """The nearest character from `index` in direction `step`, skipping spaces and emphasis marks."""
    index += step
    while 0 <= index < len(text) and text[index] in " \t*_":
        index += step
    return text[index] if 0 <= index < len(text) else ""


_PAREN_PAIR = re.compile(r"\(([^()\n]*)\)")


def _half_to_full(number: int, text: str, index: int, start: int = 0) -> Finding:
    """Replace the half-width mark at `index`, the spaces before it (a full-width mark carries its own room:
    `96% ,` → `96%，`) and the spaces an English habit put after it; the message names the spaces too."""
    char = text[index]
    begin, end = index, index + 1
    while begin > start and text[begin - 1] in " \t" and char != "(":
        begin -= 1
    while char not in "()" and end < len(text) and text[end] in " \t" and is_chinese(_neighbour(text, end - 1, 1)):
        end += 1
    spaces = (
        "前后" if begin < index and end > index + 1 else "前面" if begin < index else "后面" if end > index + 1 else ""
    )
    also = f"，{spaces}的空格一并删去" if spaces else ""
    return Finding(
        number,
        "halfwidth-punct",
        f"中文句中使用了半角标点“{char}”（应为“{FULL_WIDTH_OF[char]}”{also}）",
        (Edit(number, begin, end - begin, FULL_WIDTH_OF[char]),),
    )


def halfwidth_punct(number: int, start: int, text: str) -> Iterator[Finding]:
    """`,` `;` `:` `?` `!` `(` `)` next to Chinese text should be full-width."""
    paired: set[int] = set()
    for match in _PAREN_PAIR.finditer(text, start):
        open_, close = match.start(), match.end() - 1
        paired.update((open_, close))
        inner = match.group(1)
        if (
            is_chinese(_neighbour(text, open_, -1))
            or is_chinese(_neighbour(text, close, 1))
            or any(is_sentence_char(c) for c in inner)
        ):
            yield _half_to_full(number, text, open_, start)
            yield _half_to_full(number, text, close, start)
    for index in range(start, len(text)):
        char = text[index]
        if char == "." and is_sentence_char(_neighbour(text, index, -1)) and _ends_sentence(text, index):
            yield Finding(
                number, "halfwidth-punct", "中文句末使用了半角句点“.”（应为“。”）", (Edit(number, index, 1, "。"),)
            )
            continue
        if char not in FULL_WIDTH_OF or index in paired:
            continue
        if char == ":" and text[index + 1 : index + 3] == "//":
            continue
        if is_chinese(_neighbour(text, index, -1)) or is_chinese(_neighbour(text, index, 1)):
            yield _half_to_full(number, text, index, start)


def _ends_sentence(text: str, index: int) -> bool:
    """A `.` after a Chinese character ends a sentence when a Chinese character, a space or the line end follows
    (not `3.5`, `www.gov.cn`, `Fig.1` or `...`)."""
    after = text[index + 1 : index + 2]
    return after != "." and text[index - 1 : index] != "." and (not after or after in " \t" or is_sentence_char(after))


_REPEATED = re.compile(r"([，、；：！？])\1+|。{2,}")


def repeated_punct(number: int, start: int, text: str) -> Iterator[Finding]:
    """`，，` or `。。` (an ellipsis is `……`)."""
    for match in _REPEATED.finditer(text, start):
        run = match.group(0)
        if run[0] == "。" and len(run) >= 3:
            yield Finding(number, "repeated-punct", f"标点重复“{run}”（省略号应为“……”）", ())
        else:
            yield Finding(
                number,
                "repeated-punct",
                f"标点重复“{run}”（应为“{run[0]}”）",
                (Edit(number, match.start(), len(run), run[0]),),
            )


_CJK_SPACE = re.compile(r"[ \t\u3000\u00a0]+")


def cjk_space(number: int, start: int, text: str) -> Iterator[Finding]:
    """Spaces between two Chinese characters (pasted from Word or a PDF); not the space between two fields
    (执笔：张明　审核：刘建国), which would otherwise glue 张明 to 审核."""
    for match in _CJK_SPACE.finditer(text, start):
        left = text[match.start() - 1] if match.start() > start else ""
        right = text[match.end()] if match.end() < len(text) else ""
        if is_chinese(left) and is_chinese(right) and match.start() > start and not separates_fields(text, match.end()):
            yield Finding(
                number,
                "cjk-space",
                f"汉字之间有空格：“{left}{match.group(0)}{right}”",
                (Edit(number, match.start(), len(match.group(0)), ""),),
            )


def unpaired_marks(unit: Unit) -> Iterator[Finding]:
    """“” ‘’ （） 《》 【】 must open and close in order within a paragraph."""
    stack: list[tuple[str, int]] = []
    for number, start, text in unit.lines:
        for char in text[start:]:
            if char in PAIRS:
                stack.append((char, number))
            elif char in CLOSERS:
                if stack and stack[-1][0] == CLOSERS[char]:
                    stack.pop()
                elif stack and any(open_ == CLOSERS[char] for open_, _ in stack):
                    open_, line = stack.pop()
                    yield Finding(number, "unpaired-mark", f"{_mark(open_)}（第 {line} 行）与{_mark(char)} 不匹配")
                    while stack and stack[-1][0] != CLOSERS[char]:
                        stack.pop()
                    if stack:
                        stack.pop()
                else:
                    yield Finding(number, "unpaired-mark", f"多出的{_mark(char)}，前面没有{_mark(CLOSERS[char])}")
    for open_, line in stack:
        yield Finding(line, "unpaired-mark", f"{_mark(open_)} 没有闭合（缺少{_mark(PAIRS[open_])}）")


def paragraph_end(unit: Unit) -> Iterator[Finding]:
    """A Chinese paragraph ends with 。！？… or a closing mark."""
    if unit.kind != "paragraph":
        return
    number, start, text = unit.lines[-1]
    prose = "".join(t[s:] for _, s, t in unit.lines)
    if not any(is_sentence_char(c) for c in prose) or is_caption(prose):  # `表1　…` / `图：…` captions end bare
        return
    if heading_number_of_paragraph(prose.replace(MASKED, "")):
        return  # a heading typed without its `## `: the heading numbers already point it out
    tail = text[start:].replace(MASKED, "").rstrip(" \t*_~\\")
    if tail and tail[-1] not in ENDINGS:
        yield Finding(number, "paragraph-end", f"段落没有以句末标点结束（末尾是“{tail[-1]}”）")


def heading_number(unit: Unit) -> Iterator[Finding]:
    """A heading's `一.` `一 ` `一，` (printed as `一、`) written as `一、`."""
    if unit.kind != "heading":
        return
    number, start, text = unit.lines[0]
    start += len(text[start:]) - len(text[start:].lstrip("*_"))  # `## **一.总体**`
    variant = number_variant(text[start:])
    if variant is not None:
        typed, marker = variant
        message = f"标题编号应写作“{marker}”（现为“{typed}”，印出来已是“{marker}”）"
        yield Finding(number, "heading-number", message, (Edit(number, start, len(typed), marker),))


def _outside(findings: list[Finding], taken: Finding) -> list[Finding]:
    """The findings that touch no character `taken` edits (the heading number's `.` is not a sentence's)."""
    spans = [(edit.line, edit.column, edit.column + edit.length) for edit in taken.edits]

    def clear(finding: Finding) -> bool:
        places = [(e.line, e.column, e.column + max(e.length, 1)) for e in finding.edits]
        places = places or [(finding.line, -1, -1)]
        return not any(
            line == other and start < end_ and begin < end
            for line, start, end in places
            for other, begin, end_ in spans
        )

    return [finding for finding in findings if clear(finding)]


def straight_quotes(unit: Unit) -> Iterator[Finding]:
    """`"数据烟囱"` in a Chinese paragraph: “” instead. Fixed only when the paragraph's straight quotes pair up
    plainly (an even number, taken in order, each opening one before a word and each closing one after one);
    else pointed out for a person to decide (`5" 屏幕` is an inch, not a quote)."""
    quotes = [(n, i, text) for n, start, text in unit.lines for i in range(start, len(text)) if text[i] == '"']
    if not quotes or not any(is_sentence_char(c) for _, start, text in unit.lines for c in text[start:]):
        return
    pairs = list(zip(quotes[::2], quotes[1::2], strict=False))
    plain = len(quotes) % 2 == 0 and all(
        text[i + 1 : i + 2].strip() and end_text[j - 1 : j].strip() for (_, i, text), (_, j, end_text) in pairs
    )
    if not plain:
        message = f'中文里用了 {len(quotes)} 个半角引号“"”，分不清哪个在前、哪个在后，请改成“”'
        yield Finding(quotes[0][0], "halfwidth-punct", message)
        return
    for (line, i, text), (end_line, j, _) in pairs:
        quoted = (
            f'"{text[i + 1 : j]}"（应为“{text[i + 1 : j]}”）' if line == end_line and j - i <= 20 else '“"”（应为“”）'
        )
        edits = (Edit(line, i, 1, "“"), Edit(end_line, j, 1, "”"))
        yield Finding(line, "halfwidth-punct", f"中文里用了半角引号{quoted}", edits)


def line_findings(number: int, start: int, text: str) -> list[Finding]:
    """The rules over one line of masked prose."""
    return [
        *halfwidth_punct(number, start, text),
        *repeated_punct(number, start, text),
        *cjk_space(number, start, text),
    ]


def unit_findings(unit: Unit) -> list[Finding]:
    """Every rule over one unit of prose."""
    findings: list[Finding] = []
    for number, start, text in unit.lines:
        findings += line_findings(number, start, text)
    for taken in heading_number(unit):
        findings = [taken, *_outside(findings, taken)]
    return [*findings, *straight_quotes(unit), *unpaired_marks(unit), *paragraph_end(unit)]
