"""A role's font stack → each character's advance in ems, as the PDF will print it.

The line-breaking service (jianbao/text/breaking.py) balances a title's lines
by their real widths: "AI" in the 小标宋 face is not one em, and a title that
looked as if it fitted would wrap its last character. Each character is
measured in the first face of the stack that has it (as Pango falls back),
from the font file's own metrics (HarfBuzz: the cmap and horizontal advances,
looked up per character from the mapped file; a face is opened once per
process).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

from jianbao.pdf.fonts import FontSetup, font_file
from jianbao.text.chars import advance_ems

Widths = Callable[[str], float]

# The measures short texts are broken to (layouts/print.css).
TITLE_PT = 22  # 2号 article titles
BODY_PT = 16  # 3号 body, subtitles and source lines
BODY_SPACING = -0.013  # the body's letter-spacing in ems
MEASURE_PT = 156 / 25.4 * 72  # 版心 width


@cache
def _face_advances(path: str, index: int) -> Callable[[int], float | None]:
    """Code point → advance in ems of one face, None where the face has no glyph (or cannot be read)."""
    import uharfbuzz as hb

    try:
        face = hb.Face(hb.Blob.from_file_path(path), index)
        font, per_em = hb.Font(face), face.upem or 1000
    except Exception:  # an unreadable face measures nothing: the next in the stack, or the estimate, does
        return lambda code: None

    @cache
    def advance(code: int) -> float | None:
        glyph = font.get_nominal_glyph(code)
        return None if glyph is None else font.get_glyph_h_advance(glyph) / per_em

    return advance


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
    faces = [_face_advances(path, index) for path, index in _faces(fonts, role, bold)]

    def width(char: str) -> float:
        code = ord(char)
        for advance in faces:
            if (found := advance(code)) is not None:
                return found
        return advance_ems(char)

    return width
