"""PostScript-outline (CFF) OpenType faces → TrueType-outline twins, the form Word can load when embedded.

Word loads the fonts embedded in a .docx through Windows' font embedding
library, which takes TrueType outlines only; FandolFang, FandolKai and the
Noto CJK faces are CFF. Their twins have the same glyphs (cubic curves
turned quadratic within 1 unit of 1000), the same glyph order, metrics,
names and layout tables. Making them takes about a minute, so
scripts/setup.sh does it once (`python -m jianbao.docx.twins`); they
live outside fontconfig's folders, so the PDF never uses them. The Word
edition subsets a face's twin when there is one, else the face itself
(LibreOffice and WPS read either).
"""

from __future__ import annotations

from pathlib import Path

TWINS = Path("/usr/local/share/jianbao/truetype")
MAX_ERROR = 1.0  # font units: how far a quadratic curve may stray from the cubic one


def twin_path(path: Path, index: int, folder: Path = TWINS) -> Path:
    """Where the twin of face `index` in `path` is kept; its name carries the source's size (a changed
    source, such as Fandol renumbered by setup.sh, has no twin until setup.sh runs again)."""
    size = path.stat().st_size if path.exists() else 0
    return folder / f"{path.stem}-{index}-{size}.ttf"


def twin_of(path: Path, index: int, folder: Path = TWINS) -> Path | None:
    """The TrueType twin of a CFF face, if it has been made."""
    candidate = twin_path(path, index, folder)
    return candidate if candidate.is_file() else None


def is_cff(path: Path, index: int = 0) -> bool:
    """Whether the face has PostScript (CFF) outlines."""
    from fontTools.ttLib import TTFont

    with TTFont(path, fontNumber=index, lazy=True) as font:
        return "CFF " in font


def make_twin(path: Path, index: int, target: Path) -> None:
    """Write the TrueType twin of a CFF face to `target` (via a temporary file: never half-written)."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont, newTable

    with TTFont(path, fontNumber=index) as font:
        order = font.getGlyphOrder()
        glyphs = font.getGlyphSet()
        glyf = newTable("glyf")
        glyf.glyphOrder, glyf.glyphs = order, {}
        for name in order:
            pen = TTGlyphPen(glyphs)
            glyphs[name].draw(Cu2QuPen(pen, MAX_ERROR, reverse_direction=True))
            glyf.glyphs[name] = pen.glyph()
        font["glyf"], font["loca"] = glyf, newTable("loca")
        maxp = font["maxp"]
        maxp.tableVersion = 0x00010000
        for field in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs", "maxStackElements"):
            setattr(maxp, field, 0)
        maxp.maxZones, maxp.maxSizeOfInstructions, maxp.maxComponentElements, maxp.maxComponentDepth = 1, 0, 0, 0
        post = font["post"]
        post.formatType, post.extraNames, post.mapping = 3.0, [], {}
        font["head"].glyphDataFormat = 0
        for table in ("CFF ", "VORG"):
            if table in font:
                del font[table]
        font.sfntVersion = "\x00\x01\x00\x00"
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".partial")
        font.save(partial)
    partial.replace(target)
