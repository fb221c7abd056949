"""Numbers Chinese documents print: heading numbers (一、（一）1.（1）), Chinese numerals, circled numbers.

Body headings run four levels deep (GB/T 9704): 一、 （一） 1. （1）. A heading
pasted from Word often carries its number already; `marker_of_level` and
`any_marker` find it (at the level expected, or at another level) so it is kept,
not printed twice; `number_variant` finds a 一、 typed as 一. 一 or 一，, and
`heading_number_of_paragraph` a heading typed as a plain paragraph.
"""

from __future__ import annotations

import re

_CN_DIGITS = "零一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十 (enough for any bulletin)."""
    if n < 10:
        return _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    if n >= 100:
        return str(n)
    head = "" if tens == 1 else _CN_DIGITS[tens]
    return head + "十" + (_CN_DIGITS[ones] if ones else "")


def heading_marker(level: int, n: int) -> str:
    """The number printed before the `n`th heading of `level` (1–4)."""
    cn = chinese_numeral(n)
    return {1: f"{cn}、", 2: f"（{cn}）", 3: f"{n}.", 4: f"（{n}）"}[level]


# Chinese numerals as headings write them (百 and 零 for long lists: 一百零一、).
CN_NUMERAL = "[一二三四五六七八九十百零]+"
# A heading that already carries the number of `level`: group 1 is the number itself.
_MARKERS = {
    1: re.compile(rf"^\s*({CN_NUMERAL})\s*、\s*"),
    2: re.compile(rf"^\s*[（(]\s*({CN_NUMERAL})\s*[）)]\s*"),
    3: re.compile(r"^\s*(\d+)\s*[.．、]\s*"),
    4: re.compile(r"^\s*[（(]\s*(\d+)\s*[）)]\s*"),
}
_ANY_MARKER = re.compile(rf"^\s*(?:{CN_NUMERAL}\s*、|[（(]\s*(?:{CN_NUMERAL}|\d+)\s*[）)]|\d+\s*[.．、])\s*")


def marker_of_level(level: int, text: str) -> str | None:
    """The number `text` starts with when it is one of `level`'s (normalised: `（一）`, `1.`), else None."""
    found = _MARKERS[level].match(text)
    return normalise_marker(found.group(0)) if found else None


def any_marker(text: str) -> str | None:
    """The heading number `text` starts with, of any level (normalised), else None."""
    found = _ANY_MARKER.match(text)
    return normalise_marker(found.group(0)) if found else None


# A level-1 number typed another way — 一. 一． 一， 一, or 一 and a space — for the 一、 GB/T 9704 prints.
# (Not before another numeral: `一，二期工程` counts two phases.)
_LEVEL1_VARIANT = re.compile(rf"^\s*({CN_NUMERAL})(?:\s*[.．，,]\s*|[ \t\u3000]+)(?=\S)(?!{CN_NUMERAL})")


def number_variant(text: str) -> tuple[str, str] | None:
    """(the number as typed, spaces after it included; the `一、` it stands for) when `text` starts with a
    level-1 number typed another way (`一.总体`, `一 总体`, `一，总体`), else None."""
    found = _LEVEL1_VARIANT.match(text)
    return (found.group(0), f"{found.group(1)}、") if found else None


def with_number_fixed(text: str) -> str:
    """`一.总体` → `一、总体`; any other text as it is."""
    variant = number_variant(text)
    return text if variant is None else variant[1] + text[len(variant[0]) :]


# A paragraph this short, starting with 一、 and not ending like a sentence, is a heading typed without `## `.
HEADING_MAX_CHARS = 40
_SENTENCE_END = "。！？；：，、…"


def heading_number_of_paragraph(text: str) -> str | None:
    """The level-1 number (`二、`) a paragraph starts with when it reads as a heading left without its `## `
    (short, no sentence end), else None."""
    text = with_number_fixed(text.strip())
    if len(text) > HEADING_MAX_CHARS or not text or text[-1] in _SENTENCE_END:
        return None
    marker = marker_of_level(1, text)
    return marker if marker is not None and len(text) > len(marker) else None


def normalise_marker(marker: str) -> str:
    """` ( 一 ) ` → `（一）`, `1．` → `1.`."""
    return re.sub(r"\s+", "", marker).replace("(", "（").replace(")", "）").replace("．", ".")


def circled(n: int) -> str:
    """1 → ①, 20 → ⑳, 21 → ㉑ … 50 → ㊿; beyond that （51）."""
    if 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if 21 <= n <= 35:
        return chr(0x3251 + n - 21)
    if 36 <= n <= 50:
        return chr(0x32B1 + n - 36)
    return f"（{n}）"
