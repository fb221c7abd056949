"""Captions as people type them: `表：标题`, `表1　标题`, `表 1：标题`, `图2-1 标题`.

The number written is replaced by the issue's own. A number needs a separator
after it, so `表1显示……` stays a sentence.
"""

from __future__ import annotations

import re

_NUMBER = r"[0-9０-９]+(?:[-.．][0-9０-９]+)?"
_CAPTION = rf"^\s*{{kind}}\s*(?:[：:]|{_NUMBER}\s*[：:．.、]?(?=[\s　]|$)|{_NUMBER}\s*[：:．.、])[\s　]*"
TABLE_CAPTION = re.compile(_CAPTION.format(kind="表"))
FIGURE_CAPTION = re.compile(_CAPTION.format(kind="图"))
CAPTION_MAX_CHARS = 60  # a longer "表1 …" paragraph is a sentence about the table, not its caption


def caption_text(text: str, pattern: re.Pattern[str]) -> str | None:
    """The caption a line typed as `表：…` / `图1　…` (`pattern`) gives, else None."""
    text = text.strip()
    if len(text) > CAPTION_MAX_CHARS or not pattern.match(text):
        return None
    return pattern.sub("", text).strip()


def without_number(text: str, pattern: re.Pattern[str]) -> str:
    """`图1 说明` / `图：说明` → `说明` (the number is the issue's to give); any other text as it is."""
    found = caption_text(text, pattern)
    return text if found is None else found


def is_caption(text: str) -> bool:
    """Whether a line reads as a typed table or figure caption (it may end without a full stop)."""
    text = text.strip()
    return len(text) <= CAPTION_MAX_CHARS and bool(TABLE_CAPTION.match(text) or FIGURE_CAPTION.match(text))
