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
from dataclasses import dataclass, field
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
    ligatures: dict[str, int] = field(default_factory=dict)  # text → the one glyph drawing it (CGTransform)


def font_file(font: Font) -> FontFile:
    """The subset of `font` to embed; BuildError when it cannot be read or lacks a drawn character.

    A character the PDF draws with a substituted glyph (a ligature such as "——" drawn as one long
    dash, a tabular digit) has no entry in the PDF subset's `cmap`, which maps only the glyphs drawn:
    the subset is then cut from the installed face itself, whose `cmap` has every character. So is
    it when the PDF draws ligatures: HarfBuzz shapes each in that face, and its glyph is kept for
    the TextCode's CGTransform (the standard's way to draw several characters with one glyph).
    """
    data, face, missing, ligatures = _cut(font.data, font, False)
    if missing or font.ligatures:
        source = installed_face(face)
        if source is not None:
            data, face, missing, ligatures = _cut(source, font, True)
    if missing:
        shown = "".join(missing[:10]) + ("…" if len(missing) > 10 else "")
        raise BuildError(f"OFD：字体 {font.name} 缺少所用字符的编码（{shown}），无法嵌入")
    suffix = "otf" if "CFF " in face or "CFF2" in face else "ttf"
    return FontFile(data, suffix, font.name, family_name(face), *_style(face), ligatures)


def _cut(source: bytes | tuple[str, int], font: Font, shape: bool) -> tuple[bytes, TTFont, list[str], dict[str, int]]:
    """The subset of `source` (font bytes, or an installed file and face index) for the font's characters
    (and, if `shape`, the glyph of each ligature), read back; the characters its `cmap` lacks; each
    ligature's glyph in the subset."""
    from fontTools.ttLib import TTFont, TTLibError

    try:
        data, ligatures = subset(source, font.chars, font.ligatures if shape else set())
        face = TTFont(io.BytesIO(data), lazy=True)
        cmap = face.getBestCmap() or {}
    except (TTLibError, AssertionError, KeyError, ValueError, EOFError, OSError) as exc:
        raise BuildError(f"OFD：PDF 中的字体 {font.name} 无法读取（{exc}）") from exc
    return data, face, sorted(char for char in font.chars if ord(char) not in cmap), ligatures


def installed_face(face: TTFont) -> tuple[str, int] | None:
    """The installed file (and collection index) of the face a PDF subset was cut from, by family and style."""
    from jianbao.pdf.fonts import installed_faces

    family, style = face["name"].getDebugName(1), face["name"].getDebugName(2) or "Regular"
    faces = [f for f in installed_faces() if family in f.families]
    chosen = next((f for f in faces if f.style == style), faces[0] if faces else None)
    return (chosen.file, chosen.index) if chosen is not None else None


def subset(source: bytes | tuple[str, int], chars: set[str], ligatures: set[str]) -> tuple[bytes, dict[str, int]]:
    """The font cut down to `chars` (and .notdef) and the one glyph HarfBuzz shapes each of `ligatures`
    into, glyphs numbered afresh, no layout features (OFD places every character itself); and each
    ligature's glyph number in it. Raises ValueError when HarfBuzz cannot subset the font."""
    import uharfbuzz as hb

    if not source:
        raise ValueError("PDF 中没有嵌入字体文件")
    blob = source if isinstance(source, bytes) else hb.Blob.from_file_path(source[0])  # an installed file: mapped
    face = hb.Face(blob, 0 if isinstance(source, bytes) else source[1])
    wanted = hb.SubsetInput()
    for char in chars:
        wanted.unicode_set.add(ord(char))
    shaped = {text: glyph for text in ligatures if (glyph := _one_glyph(face, text)) is not None}
    for glyph in shaped.values():
        wanted.glyph_set.add(glyph)
    wanted.sets(hb.SubsetInputSets.LAYOUT_FEATURE_TAG).clear()
    plan = hb.SubsetPlan(face, wanted)
    result = plan.execute()
    if result is None:
        raise ValueError("HarfBuzz 无法生成子集")
    renumbered = plan.old_to_new_glyph_mapping
    return bytes(result.blob.data), {text: renumbered[glyph] for text, glyph in shaped.items() if glyph in renumbered}


def _one_glyph(face: object, text: str) -> int | None:
    """The glyph HarfBuzz shapes `text` into with the font's default features, if it is one glyph."""
    import uharfbuzz as hb

    buffer = hb.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    hb.shape(hb.Font(face), buffer, {})
    glyphs = buffer.glyph_infos
    return glyphs[0].codepoint if len(glyphs) == 1 and glyphs[0].codepoint else None


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
