"""A font the PDF embeds → the font file the OFD embeds, and the names a reader knows it by.

The PDF's fonts are already subsets (HarfBuzz, through WeasyPrint): complete
TrueType or OpenType files with a `cmap`. But WeasyPrint keeps each glyph at
its number in the whole font, so a subset of a large face carries tens of
thousands of empty slots (the full Noto Sans CJK SC: 760 KB for a handful of
characters). Each is subset again, down to the characters drawn with it and
numbered afresh, with HarfBuzz's hb-subset (uharfbuzz): 30 ms for an issue's
seven fonts, where fontTools' subsetter takes 0.6 s — more than the whole
OFD may add to a build. fontTools then reads the result: every character
drawn with a font must be in its `cmap` (OFD text is characters, which a
reader maps to glyphs through it), or the OFD is refused.

Names: OFD readers that do not read `FontFile` (ofd.js among them) draw with
an installed font of the `FamilyName`. It is the family as installed
(fontconfig): its Chinese name where the font has one (LXGW WenKai → 霞鹜文楷,
as Chinese systems list it), and the compact GB 2312 faces that
scripts/setup.sh makes from Noto CJK are named after the Noto family they
are cut from, whose glyphs they are.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

from jianbao.errors import BuildError
from jianbao.ofd.drawn import Font

if TYPE_CHECKING:
    from fontTools.ttLib import TTFont

# scripts/compact_fonts.py names its faces "<Noto family> GB2312": the same glyphs, fewer of them.
COMPACT_SUFFIX = " GB2312"


@dataclass(frozen=True)
class FontFile:
    """A font ready to embed: its file, its suffix, and its names."""

    data: bytes
    suffix: str  # "ttf" or "otf"
    font_name: str  # the PostScript name
    family: str
    bold: bool
    italic: bool
    serif: bool
    fixed: bool


def font_file(font: Font) -> FontFile:
    """The subset of `font` to embed; BuildError when it cannot be read or lacks a drawn character."""
    from fontTools.ttLib import TTFont, TTLibError

    try:
        data = subset(font.data, font.chars)
        face = TTFont(io.BytesIO(data), lazy=True)
        cmap = face.getBestCmap() or {}
    except (TTLibError, AssertionError, KeyError, ValueError, EOFError) as exc:
        raise BuildError(f"OFD：PDF 中的字体 {font.name} 无法读取（{exc}）") from exc
    missing = sorted(char for char in font.chars if ord(char) not in cmap)
    if missing:
        shown = "".join(missing[:10]) + ("…" if len(missing) > 10 else "")
        raise BuildError(f"OFD：字体 {font.name} 缺少所用字符的编码（{shown}），无法嵌入")
    suffix = "otf" if "CFF " in face or "CFF2" in face else "ttf"
    return FontFile(data, suffix, font.name, family_name(face), *_style(face))


def subset(data: bytes, chars: set[str]) -> bytes:
    """The font cut down to `chars` (and .notdef), glyphs numbered afresh, no layout features: OFD
    places every character itself. Raises ValueError when HarfBuzz cannot subset it."""
    import uharfbuzz as hb

    if not data:
        raise ValueError("PDF 中没有嵌入字体文件")
    wanted = hb.SubsetInput()
    for char in chars:
        wanted.unicode_set.add(ord(char))
    wanted.sets(hb.SubsetInputSets.LAYOUT_FEATURE_TAG).clear()
    result = hb.subset(hb.Face(data), wanted)
    if result is None:
        raise ValueError("HarfBuzz 无法生成子集")
    return bytes(result.blob.data)


def family_name(face: TTFont) -> str:
    """The family a reader finds the installed font by (see the module docstring)."""
    from jianbao.pdf.fonts import installed_faces

    table = face["name"]
    own = [str(name) for name_id in (16, 1) if (name := table.getDebugName(name_id))]
    if not own:
        return "unknown"
    # The subset keeps only the English names: the installed face with that family has them all.
    families = next((f.families for f in installed_faces() if own[0] in f.families), (own[0],))
    chinese = [name for name in families if any("\u4e00" <= char <= "\u9fff" for char in name)]
    return chinese[0] if chinese else families[0].removesuffix(COMPACT_SUFFIX)


def _style(face: TTFont) -> tuple[bool, bool, bool, bool]:
    """Bold, italic, serif, fixed-width, from the OS/2 and post tables."""
    os2 = face.get("OS/2")
    bold = bool(os2 and os2.usWeightClass >= 600)
    italic = bool(os2 and os2.fsSelection & 1)
    serif = bool(os2 and getattr(os2, "panose", None) and os2.panose.bSerifStyle not in (0, 1, 11, 12, 13))
    post = face.get("post")
    fixed = bool(post and post.isFixedPitch)
    return bold, italic, serif, fixed
