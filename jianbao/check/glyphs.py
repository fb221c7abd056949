"""The fonts in use and a text → the characters no font can draw (and invisible control characters)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from functools import cache

from jianbao.check.rules import Finding
from jianbao.pdf.fonts import FontSetup, font_file


@cache
def _cmap(path: str, index: int) -> frozenset[int]:
    """The code points a face maps to glyphs (HarfBuzz reads the cmap from the mapped file)."""
    import uharfbuzz as hb

    try:
        return frozenset(hb.Face(hb.Blob.from_file_path(path), index).unicodes)
    except Exception:  # an unreadable font covers nothing; fonts.py reports fonts separately
        return frozenset()


def coverage(fonts: FontSetup) -> frozenset[int] | None:
    """Code points some font in use can draw (None when no font file can be found)."""
    files = {(str(f.path), 0) for f in fonts.user_fonts}
    for stack in fonts.stacks.values():
        files.update(found for family in stack if (found := font_file(family)))
    if not files:
        return None
    return frozenset().union(*(_cmap(path, index) for path, index in sorted(files)))


def missing_glyphs(text: str, covered: frozenset[int]) -> Iterator[Finding]:
    """Characters outside `covered`, one finding per character and line."""
    for number, line in enumerate(text.split("\n"), 1):
        seen: set[str] = set()
        for char in line:
            code = ord(char)
            if char in seen or char == "\t":
                continue
            if unicodedata.category(char) in ("Cc", "Cf"):
                name = unicodedata.name(char, "控制字符")
                yield Finding(number, "missing-glyph", f"不可见的字符 U+{code:04X}（{name}），请删除")
            elif code not in covered and not 0x20 <= code < 0x7F:
                yield Finding(number, "missing-glyph", f"字体中没有字符“{char}”（U+{code:04X}），打印时会显示为方框")
            seen.add(char)
