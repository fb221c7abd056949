"""Spaces in Chinese text: none between Chinese and Latin/digits (中西文混排), none for a line break
inside a Chinese paragraph — but the space between two `标签：内容` fields (执笔：张明　审核：刘建国) stays.

Digits and Latin words sit directly against Chinese characters (README,
中西文混排): the source's spaces between them go, on the web page as in the
PDF. Spaces between two Latin words stay.
"""

from __future__ import annotations

import re

from jianbao.text.chars import CJK_TEXT, SPACES, is_wide

_HALF = "A-Za-z0-9"
_MIXED_SPACE = re.compile(rf"(?<=[{CJK_TEXT}])[ \u00a0]+(?=[{_HALF}])|(?<=[{_HALF}%])[ \u00a0]+(?=[{CJK_TEXT}])")
_SOFT_BREAK = re.compile(r"(\S?)[ \t]*\n[ \t]*(\S?)")


def drop_mixed_spaces(text: str) -> str:
    """超过 30 家 → 超过30家; spaces between two Latin words stay."""
    return _MIXED_SPACE.sub("", text)


def join_cjk_lines(text: str) -> str:
    """Drop a line break next to a Chinese character instead of making it a space."""

    def join(match: re.Match[str]) -> str:
        before, after = match.group(1), match.group(2)
        if (before and is_wide(before)) or (after and is_wide(after)):
            return before + after
        return match.group(0)

    return _SOFT_BREAK.sub(join, text)


# A field's label and its colon: what follows the space between two fields (执笔：张明　审核：刘建国).
_FIELD_LABEL = re.compile(r"[^\s：:，。；、（）()“”]{1,8}[：:]")


def separates_fields(text: str, end: int) -> bool:
    """Whether the spaces ending at `end` separate two `标签：内容` fields, a colon before them and a label after."""
    before = text[:end].rstrip(SPACES)
    opened = max(before.rfind(mark) for mark in "（(。；，")  # the fields of one bracket or clause
    return bool(_FIELD_LABEL.match(text, end)) and any(colon in before[opened + 1 :] for colon in "：:")
