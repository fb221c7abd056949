"""Fonts by role → the faces the Word edition names, and those faces embedded, subset and obfuscated.

The roles and their stacks are the PDF's (jianbao/pdf/fonts.py ROLES): a
licensed font in fonts/ first, else the free default. A licensed font is
named by its own family name and not embedded (its licence is the
office's); a free one — FandolFang (GPL-3, its OS/2 flags allow editable
embedding), Noto CJK and LXGW WenKai (SIL OFL 1.1), Liberation Serif (GPL
with the font exception) — is embedded as Word embeds fonts: cut down to
the characters the document shows in it (`w:subsetted`) and obfuscated
with a key from its own bytes (ECMA-376 Part 1, §17.8.1), so every reader
sees the PDF's faces; a CFF face is embedded from its TrueType twin when
setup.sh has made one (truetype.py: Word loads TrueType outlines only). Each face's fontTable entry also names the usual
公文 fonts of its role (`w:altName`), which Word and WPS may use in its
place when they cannot use the embedded one.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from xml.etree import ElementTree

from jianbao.docx import harfbuzz
from jianbao.docx.embed import EmbeddedFont, plan
from jianbao.docx.truetype import TWINS, twin_of
from jianbao.docx.xml import DECLARATIONS, XML_HEAD, escape_attribute
from jianbao.pdf.fonts import KAI_QUOTE_FACE, ROLES, FontSetup, font_file

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# The 公文 fonts of each role (Word's and WPS's substitutes when a face cannot be used).
ALT_NAMES = {
    "fang": "仿宋_GB2312,仿宋,FangSong",
    "hei": "黑体,SimHei",
    "kai": "楷体_GB2312,楷体,KaiTi",
    "kai_quote": "楷体_GB2312,楷体,KaiTi",
    "title": "方正小标宋简体,宋体,SimSun",
    "song": "Times New Roman,宋体",
}
# fontTable hints Word uses to pick a substitute: (w:family, w:pitch); w:charset 86 is GB 2312.
KINDS = {
    "fang": ("modern", "fixed"),
    "hei": ("modern", "fixed"),
    "kai": ("modern", "fixed"),
    "kai_quote": ("modern", "fixed"),
    "title": ("roman", "variable"),
    "song": ("roman", "variable"),
}
# Characters Word draws without them being in the text: list numbers, note marks, page numbers.
GENERATED = "0123456789.（）—●" + "".join(chr(c) for c in range(0x2460, 0x2474))


@dataclass(frozen=True)
class Face:
    """The face a role prints in: the family name Word asks for, and the file to embed (None: not embedded)."""

    role: str
    name: str
    path: Path | None = None
    index: int = 0  # in a font collection
    bold: bool = False  # the file is a bold face (embedded as w:embedBold)


def word_faces(setup: FontSetup, twins: Path | None = TWINS) -> dict[str, Face]:
    """Each role's face: the licensed font of fonts/ (named, not embedded), else the first installed free face
    (embedded from its TrueType twin in `twins` when there is one: truetype.py); and `kai_quote`, the face of
    “”‘’ in 楷体 text (LXGW WenKai draws them narrow: FandolKai, as the PDF)."""
    faces = {}
    for role, (chinese, _) in ROLES.items():
        user = next((font for font in setup.user_fonts if font.role == role), None)
        if user is not None:
            faces[role] = Face(role, family_name(user.path, 0, prefer_chinese=True) or chinese)
            continue
        found = next(((family, font_file(family)) for family in setup.stacks[role] if font_file(family)), None)
        if found is None or found[1] is None:
            faces[role] = Face(role, chinese)
            continue
        file, index = found[1]
        name = family_name(Path(file), index) or found[0]
        faces[role] = Face(role, name, Path(file), index, is_bold(Path(file), index))
    quotes = font_file(KAI_QUOTE_FACE) if faces["kai"].path is not None else None
    faces["kai_quote"] = (
        Face("kai_quote", family_name(Path(quotes[0]), quotes[1]) or KAI_QUOTE_FACE, Path(quotes[0]), quotes[1])
        if quotes
        else replace(faces["kai"], role="kai_quote")
    )
    if twins is None:
        return faces
    return {role: _twinned(face, twins) for role, face in faces.items()}


def _twinned(face: Face, twins: Path) -> Face:
    """The face, embedded from its TrueType twin if it has one."""
    twin = twin_of(face.path, face.index, twins) if face.path is not None else None
    return replace(face, path=twin, index=0) if twin else face


@cache
def family_name(path: Path, index: int = 0, prefer_chinese: bool = False) -> str:
    """A face's Windows family name (name ID 1), as Word lists it; "" if unreadable."""
    from fontTools.ttLib import TTFont

    try:
        with TTFont(path, fontNumber=index, lazy=True) as font:
            names = [(r.langID, r.toUnicode()) for r in font["name"].names if r.nameID == 1 and r.platformID == 3]
    except Exception:  # fontTools raises many kinds on a damaged file
        return ""
    chinese = [name for lang, name in names if lang in (0x0804, 0x1004)]
    english = [name for lang, name in names if lang == 0x0409]
    order = (chinese + english) if prefer_chinese else (english + chinese)
    return (order or [name for _, name in names] or [""])[0]


@cache
def is_bold(path: Path, index: int = 0) -> bool:
    """Whether the face is a bold one (OS/2 fsSelection bit 5)."""
    from fontTools.ttLib import TTFont

    try:
        with TTFont(path, fontNumber=index, lazy=True) as font:
            return bool(font["OS/2"].fsSelection & 0x20)
    except Exception:
        return False


def characters_by_face(styles: str, parts: list[bytes]) -> dict[str, set[str]]:
    """The characters each face name shows, from the styles and the parts' runs (both of a run's
    fonts get its characters: Word picks per character between the East Asian and the Latin one)."""
    by_style = _style_fonts(styles)
    default = by_style.get("", ("", ""))
    used: dict[str, set[str]] = defaultdict(set)
    for data in parts:
        root = ElementTree.fromstring(data)
        for para in root.iter(f"{W}p"):
            para_fonts = _fonts_of(para.find(f"{W}pPr/{W}pStyle"), by_style, by_style.get("Normal", default))
            for run in para.iter(f"{W}r"):
                fonts = _fonts_of(run.find(f"{W}rPr/{W}rStyle"), by_style, para_fonts)
                direct = run.find(f"{W}rPr/{W}rFonts")
                if direct is not None:
                    fonts = (direct.get(f"{W}eastAsia") or fonts[0], direct.get(f"{W}ascii") or fonts[1])
                text = "".join(t.text or "" for t in run.iter(f"{W}t"))
                for face in fonts:
                    used[face].update(text)
    for face in [*used, default[0]]:
        used[face].update(GENERATED)
    return used


def _fonts_of(
    style: ElementTree.Element | None, by_style: dict[str, tuple[str, str]], inherited: tuple[str, str]
) -> tuple[str, str]:
    if style is None:
        return inherited
    own = by_style.get(style.get(f"{W}val") or "", ("", ""))
    return (own[0] or inherited[0], own[1] or inherited[1])


def _style_fonts(styles: str) -> dict[str, tuple[str, str]]:
    """Style id → (East Asian face, Latin face), following basedOn; "" → the document defaults."""
    root = ElementTree.fromstring(styles)
    own: dict[str, tuple[str, str, str]] = {}
    defaults = root.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
    base = (_attr(defaults, "eastAsia"), _attr(defaults, "ascii"))
    for style in root.iter(f"{W}style"):
        fonts = style.find(f"{W}rPr/{W}rFonts")
        based = style.find(f"{W}basedOn")
        own[style.get(f"{W}styleId") or ""] = (_attr(fonts, "eastAsia"), _attr(fonts, "ascii"), _attr(based, "val"))

    def resolve(style_id: str, seen: frozenset[str] = frozenset()) -> tuple[str, str]:
        east, latin, parent = own.get(style_id, ("", "", ""))
        if parent and parent not in seen and (not east or not latin):
            up = resolve(parent, seen | {style_id})
            east, latin = east or up[0], latin or up[1]
        return (east or base[0], latin or base[1])

    return {"": base, **{style_id: resolve(style_id) for style_id in own}}


def _attr(element: ElementTree.Element | None, name: str) -> str:
    return (element.get(f"{W}{name}") or "") if element is not None else ""


def plan_fonts(faces: dict[str, Face], used: dict[str, set[str]]) -> list[EmbeddedFont]:
    """Every free face the document shows text in, to be embedded cut down to that text (embed.py does it,
    in the render worker); nothing when HarfBuzz's subsetter is missing."""
    if not harfbuzz.available():
        return []
    planned: list[EmbeddedFont] = []
    seen: set[tuple[Path, int]] = set()
    for face in faces.values():
        if face.path is None or face.name not in used or (face.path, face.index) in seen:
            continue
        seen.add((face.path, face.index))
        roles = tuple(role for role, other in faces.items() if (other.path, other.index) == (face.path, face.index))
        characters = "".join(sorted(used[face.name]))
        planned.append(plan(roles, face.name, face.path, face.index, face.bold, characters, len(planned) + 1))
    return planned


def shown_names(faces: dict[str, Face], embedded: list[EmbeddedFont]) -> dict[str, str]:
    """Role → the family name the styles ask for: the embedded subset's, else the face's."""
    by_role = {role: entry.name for entry in embedded for role in entry.roles}
    return {role: by_role.get(role, face.name) for role, face in faces.items()}


def font_table(faces: dict[str, Face], used: dict[str, set[str]], embedded: list[EmbeddedFont]) -> bytes:
    """word/fontTable.xml: every face the document names, with its substitutes and its embedded subset."""
    by_role = {role: (entry, entry.rel_id) for entry in embedded for role in entry.roles}
    entries, named = [], set()
    for role, face in faces.items():
        shown = by_role[role][0].name if role in by_role else face.name
        if face.name not in used or shown in named:
            continue
        named.add(shown)
        family, pitch = KINDS.get(role, ("auto", "variable"))
        name, embed = face.name, ""
        if role in by_role:
            entry, rel = by_role[role]
            kind = "embedBold" if face.bold else "embedRegular"
            name, embed = entry.name, f'<w:{kind} r:id="{rel}" w:fontKey="{entry.key}" w:subsetted="1"/>'
        entries.append(
            f'<w:font w:name="{escape_attribute(name)}">'
            f'<w:altName w:val="{escape_attribute(ALT_NAMES.get(role, ""))}"/>'
            f'<w:charset w:val="86"/><w:family w:val="{family}"/><w:pitch w:val="{pitch}"/>{embed}</w:font>'
        )
    return f"{XML_HEAD}<w:fonts {DECLARATIONS}>{''.join(entries)}</w:fonts>".encode()
