"""A role's font stack → each character's advance in ems, as the PDF will print it.

The line-breaking service (jianbao/text/breaking.py) balances a title's lines
by their real widths: "AI" in the 小标宋 face is not one em, and a title that
looked as if it fitted would wrap its last character. Each character is
measured in the first face of the stack that has it (as Pango falls back),
from the font file's own metrics (fontTools: cmap and hmtx, read once per
face and process).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

from jianbao.pdf.fonts import FontSetup, font_file
from jianbao.text.chars import advance_ems

Widths = Callable[[str], float]


@cache
def _face_advances(path: str, index: int) -> dict[int, float]:
    """Code point → advance in ems of one face (empty when the file cannot be read)."""
    from fontTools.ttLib import TTFont

    try:
        with TTFont(path, fontNumber=index, lazy=True) as font:
            # Numbered glyph names: a CFF face's charset and glyph names need not be read.
            font.setGlyphOrder([f"g{gid}" for gid in range(font["maxp"].numGlyphs)])
            per_em = font["head"].unitsPerEm
            metrics = font["hmtx"].metrics
            return {code: metrics[name][0] / per_em for code, name in (font.getBestCmap() or {}).items()}
    except Exception:  # an unreadable face measures nothing: the next in the stack, or the estimate, does
        return {}


def _faces(fonts: FontSetup, role: str, bold: bool) -> list[tuple[str, int]]:
    """The files of a role's stack, in order (licensed fonts by path, the others through fontconfig)."""
    faces: list[tuple[str, int]] = []
    by_family = {font.family: font.path for font in fonts.user_fonts}
    for family in fonts.stacks.get(role, ()):
        if family in by_family:
            faces.append((str(Path(by_family[family]).resolve()), 0))
        elif found := font_file(family, bold):
            faces.append(found)
    return faces


def role_widths(fonts: FontSetup, role: str, bold: bool = False) -> Widths:
    """The advance (ems) of each character in the role's face that prints it; the estimate for the rest."""
    tables = [_face_advances(path, index) for path, index in _faces(fonts, role, bold)]

    def width(char: str) -> float:
        code = ord(char)
        for table in tables:
            if code in table:
                return table[code]
        return advance_ems(char)

    return width
