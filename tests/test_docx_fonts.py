"""Fonts for the Word edition: TrueType twins of CFF faces (Word loads only TrueType outlines when embedded)
draw the same glyphs, and the edition embeds a face's twin once it exists."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

from fontTools.pens.boundsPen import BoundsPen
from fontTools.ttLib import TTFont

from jianbao.docx.fonts import word_faces
from jianbao.docx.harfbuzz import subset_font
from jianbao.docx.truetype import is_cff, make_twin, twin_path
from jianbao.pdf.fonts import font_file, resolve_fonts

TEXT = "数据已成为新型生产要素，各地探索授权运营。2025年（一）“”"


def test_a_twin_draws_the_same_glyphs_in_truetype_outlines(tmp_path: Path) -> None:
    source = tmp_path / "fang.otf"
    found = font_file("FandolFang")
    assert found is not None
    subset = subset_font(Path(found[0]), found[1], TEXT)
    assert subset is not None
    source.write_bytes(subset)
    twin = tmp_path / "fang.ttf"
    make_twin(source, 0, twin)
    assert is_cff(source) and not is_cff(twin)
    with TTFont(source) as cff, TTFont(twin) as tt:
        assert "glyf" in tt and "CFF " not in tt
        assert tt["name"].getDebugName(1) == cff["name"].getDebugName(1)
        assert tt.getGlyphOrder().__len__() == cff.getGlyphOrder().__len__()
        for char in TEXT:  # the same glyph (by index), advance and outline box for every character
            ids = [font.getGlyphID(font.getBestCmap()[ord(char)]) for font in (cff, tt)]
            assert ids[0] == ids[1], char
            names = [font.getGlyphName(ids[0]) for font in (cff, tt)]
            assert cff["hmtx"][names[0]] == tt["hmtx"][names[1]], char
            bounds = []
            for font, name in zip((cff, tt), names, strict=True):
                pen = BoundsPen(font.getGlyphSet())
                font.getGlyphSet()[name].draw(pen)
                bounds.append(pen.bounds)
            assert bounds[0] is not None and bounds[1] is not None
            # within the curve error (1 unit) and the rounding of TrueType points to whole units: 4 of 1000 em
            assert max(abs(a - b) for a, b in zip(*bounds, strict=True)) <= 4, char


def test_the_edition_embeds_a_faces_twin_once_made(tmp_path: Path) -> None:
    faces = word_faces(resolve_fonts(tmp_path / "fonts"), twins=None)
    fang = faces["fang"]
    assert fang.path is not None and is_cff(fang.path, fang.index)
    twin = twin_path(fang.path, fang.index, tmp_path / "twins")
    twin.parent.mkdir()
    shutil.copy("/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf", twin)  # (a stand-in)
    assert word_faces(resolve_fonts(tmp_path / "fonts"), twins=tmp_path / "twins")["fang"].path == twin
    assert word_faces(resolve_fonts(tmp_path / "fonts"), twins=tmp_path / "none")["fang"].path == fang.path
    assert TTFont(io.BytesIO(twin.read_bytes()))["name"].getDebugName(1) == "Liberation Serif"
