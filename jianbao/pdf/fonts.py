"""Font set-up: which face prints each element, and what is missing.

Each typographic role (仿宋 body, 黑体, 楷体, 小标宋 title, 宋体 page
numbers) has a stack: licensed fonts found in `fonts/` first, then the free
defaults, ending in Noto so a rare character never prints as a box. The
result is a block of CSS custom properties plus @font-face rules that the
print layout reads.
"""

from __future__ import annotations

import ctypes
import io
import re
import shutil
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import BinaryIO

from jianbao.errors import Problem, display_path
from jianbao.load import safety

SETUP_HINT = "请运行 bash scripts/setup.sh 安装"

# role → (Chinese name, default families in order). The last entry is the safety net. The
# "GB2312" faces are the same design as the full Noto ones, made compact by scripts/setup.sh
# (scripts/compact_fonts.py): the full face prints only what GB 2312 lacks.
ROLES: dict[str, tuple[str, tuple[str, ...]]] = {
    "fang": ("仿宋", ("FandolFang", "Noto Serif CJK SC")),
    "hei": ("黑体", ("Noto Sans CJK SC GB2312", "Noto Sans CJK SC")),
    "kai": ("楷体", ("LXGW WenKai", "FandolKai", "Noto Serif CJK SC")),
    "title": ("小标宋", ("Noto Serif CJK SC GB2312", "Noto Serif CJK SC")),
    "song": ("宋体", ("Liberation Serif", "Noto Serif CJK SC")),
}
FALLBACK = ("Noto Serif CJK SC", "Noto Sans CJK SC")
# LXGW WenKai draws “”‘’ as narrow Latin quotes: in 楷体 text they print in this face (jianbao/pdf/typeset.py).
KAI_QUOTE_FACE = "FandolKai"

# Licensed font file names or family names → role (checked in this order).
# fs_gb2312 / kt_gb2312 / fzxbsjw are the file names the GB2312 fonts and 方正小标宋 usually ship with.
_USER_ROLE_PATTERNS = (
    ("title", re.compile(r"小标宋|xiaobiaosong|xbs", re.I)),
    ("fang", re.compile(r"仿宋|fangsong|fang_?gb|simfang|fs_?gb", re.I)),
    ("kai", re.compile(r"楷|kaiti|kai_?gb|simkai|kt_?gb", re.I)),
    ("hei", re.compile(r"黑|heiti|simhei|ht_?gb", re.I)),
    ("song", re.compile(r"宋|songti|simsun|song", re.I)),
)
# What to call a file so it is recognised, per role (for `check`).
EXPECTED_NAMES = {
    "title": "小标宋.ttf、FZXBSJW.ttf",
    "fang": "仿宋_GB2312.ttf、FS_GB2312.ttf、simfang.ttf",
    "kai": "楷体_GB2312.ttf、KT_GB2312.ttf、simkai.ttf",
    "hei": "黑体.ttf、simhei.ttf",
    "song": "宋体.ttf、simsun.ttc",
}
FONT_SUFFIXES = {".ttf", ".otf", ".ttc", ".woff", ".woff2"}


@dataclass(frozen=True)
class UserFont:
    """A licensed font file from fonts/ and the role it takes."""

    path: Path
    role: str

    @property
    def family(self) -> str:
        return f"jianbao-{self.role}"


@dataclass(frozen=True)
class FontSetup:
    """The stacks in effect and what the user should hear about."""

    stacks: dict[str, tuple[str, ...]]
    user_fonts: tuple[UserFont, ...]
    missing: tuple[str, ...]  # default families not installed
    refused: tuple[tuple[Path, str], ...] = ()  # fonts/ files left out of the stacks, and why

    def problems(self) -> list[Problem]:
        """One error per refused font file (`check` fails on them; the build prints without them)."""
        return [Problem(display_path(path), 0, why) for path, why in self.refused]

    def css(self) -> str:
        """@font-face rules and `--font-<role>` custom properties for print.css."""
        rules = [
            f'@font-face {{ font-family: "{font.family}"; src: url("{font.path.resolve().as_uri()}"); }}'
            for font in self.user_fonts
        ]
        stacks = {**self.stacks, "kai-quote": (KAI_QUOTE_FACE, *self.stacks["kai"])}
        props = "; ".join(f"--font-{role}: {', '.join(_quote(f) for f in stack)}" for role, stack in stacks.items())
        rules.append(f":root {{ {props} }}")
        return "\n".join(rules)

    def fingerprint(self) -> str:
        """The installed files (path and version) of every family in the stacks, for the build cache."""
        families = {family for stack in self.stacks.values() for family in stack}
        return "\n".join(line for line in fontconfig_lines() if families & set(_families_of(line)))

    def describe(self) -> list[str]:
        """One line per role: which face prints it (for `check`)."""
        lines = []
        for role, (name, defaults) in ROLES.items():
            stack = self.stacks[role]
            user = next((f for f in self.user_fonts if f.role == role), None)
            used = user.path.name if user else next((f for f in defaults if f not in self.missing), stack[-1])
            lines.append(f"{name}：{used}")
        return lines


def _quote(family: str) -> str:
    return f'"{family}"'


def classify_font(path: Path) -> str | None:
    """Guess a licensed font's role from its file name."""
    for role, pattern in _USER_ROLE_PATTERNS:
        if pattern.search(path.stem):
            return role
    return None


def find_user_fonts(fonts_dir: Path) -> tuple[UserFont, ...]:
    """Licensed fonts in fonts/, at most one per role (first by name wins)."""
    if not fonts_dir.is_dir():
        return ()
    found: dict[str, UserFont] = {}
    for path in sorted(fonts_dir.iterdir()):
        # Never a link out of fonts/: nothing is read outside the content, layouts and fonts folders.
        if path.suffix.lower() in FONT_SUFFIXES and path.is_file() and safety.inside(path, fonts_dir):
            role = classify_font(path)
            if role and role not in found:
                found[role] = UserFont(path, role)
    return tuple(found.values())


def unused_font_files(fonts_dir: Path) -> list[str]:
    """One line per file in fonts/ that no role uses, saying why and which names are recognised."""
    if not fonts_dir.is_dir():
        return []
    used = {font.path for font in find_user_fonts(fonts_dir)}
    expected = "；".join(f"{ROLES[role][0]}：{names}" for role, names in EXPECTED_NAMES.items())
    lines = []
    for path in sorted(fonts_dir.iterdir()):
        if path in used or path.name.startswith(".") or not path.is_file():
            continue
        if path.suffix.lower() not in FONT_SUFFIXES:
            why = f"不是字体文件（字体应为 {'、'.join(sorted(FONT_SUFFIXES))}）"
        elif role := classify_font(path):
            why = f"已有另一个{ROLES[role][0]}字体，只用按文件名排在前面的那个"
        else:
            why = f"从文件名认不出是哪种字体，请按用途改名（{expected}）"
        lines.append(f"fonts/{path.name} 未使用：{why}")
    return lines


@dataclass(frozen=True)
class InstalledFace:
    """One face fontconfig knows."""

    families: tuple[str, ...]
    style: str
    file: str
    index: int  # in a collection (.ttc/.otc)
    version: str


# --- CID-keyed OpenType (CFF) fonts -----------------------------------------------------------
# WeasyPrint embeds an OpenType/CFF face as a CIDFontType0 font and writes each glyph's *index*
# as its CID. A renderer that follows the PDF spec (Ghostscript, MuPDF) finds the glyph of a CID
# through the CFF charset, poppler and PDFium by index. The two agree only when glyph i has CID i
# (an "identity" charset); otherwise Ghostscript draws boxes or other glyphs and MuPDF nothing.
# Subsetting a CID-keyed font with fontTools, and many shipped CID-keyed fonts (Fandol: from glyph
# 8,896 on), break that. `make_cids_identity` renumbers the CIDs; glyphs, cmap, layout tables and
# metrics stay as they are (all of them address glyphs by index).

FIX_HINT = "请运行 python scripts/compact_fonts.py --identity 字体文件 改正（原文件另存为 .orig）"


def _cid_charset(path: Path, font_number: int = 0) -> list[str] | None:
    """The CFF charset (glyph names `cidNNNNN`) of a CID-keyed OpenType font; None if it is not one."""
    from fontTools.ttLib import TTFont

    with TTFont(path, fontNumber=font_number, lazy=True) as font:
        if "CFF " not in font:
            return None
        top = font["CFF "].cff.topDictIndex[0]
        if not hasattr(top, "ROS"):
            return None
        return list(top.charset)


def non_identity_glyphs(charset: list[str]) -> int:
    """How many glyphs have a CID other than their index."""
    return sum(1 for gid, name in enumerate(charset) if gid and name != f"cid{gid:05d}")


@cache
def _cid_problem(path: Path, size: int, mtime: int) -> str | None:
    try:
        charset = _cid_charset(path)
    except Exception as error:  # fontTools raises many kinds on a damaged or unknown file
        return f"无法读取这个字体文件（{type(error).__name__}: {error}），未使用"
    if charset is None:
        return None
    wrong = non_identity_glyphs(charset)
    if not wrong:
        return None
    return (
        f"这是 CID 字体，其中 {wrong} 个字形的 CID 与字形序号不一致，"
        f"用 Ghostscript、MuPDF 打印时这些字会变成方框或空白，未使用；{FIX_HINT}"
    )


def cid_problem(path: Path) -> str | None:
    """Why `path` would print differently in different renderers, or None when it is safe."""
    state = path.stat()
    return _cid_problem(path.resolve(), state.st_size, state.st_mtime_ns)


def make_cids_identity(source: Path | BinaryIO, target: Path, font_number: int = 0) -> int:
    """Write `source` to `target` with glyph i as CID i; returns how many glyphs were renumbered.

    Only the CFF charset changes: the charstrings keep their order (and their FDSelect),
    every other table is copied byte for byte. ~1 s for a 10,000-glyph face.
    """
    from fontTools.ttLib import TTFont

    with TTFont(source, fontNumber=font_number, lazy=True, recalcBBoxes=False, recalcTimestamp=False) as font:
        top = font["CFF "].cff.topDictIndex[0]
        order = font.getGlyphOrder()
        identity = [".notdef", *(f"cid{gid:05d}" for gid in range(1, len(order)))]
        renamed = non_identity_glyphs(order)
        rename = dict(zip(order, identity, strict=True))
        strings = top.CharStrings
        strings.charStrings = {rename[name]: value for name, value in strings.charStrings.items()}
        top.charset = identity
        font.setGlyphOrder(identity)
        saved = io.BytesIO()  # (fontTools refuses to save a lazily read font over its own file)
        font.save(saved)
    target.write_bytes(saved.getvalue())
    return renamed


@cache
def installed_faces() -> tuple[InstalledFace, ...]:
    """Every installed face, from one `fc-list` run (empty if fc-list is unavailable)."""
    if not shutil.which("fc-list"):
        return ()
    result = subprocess.run(
        ["fc-list", "--format", "%{family}|%{style[0]}|%{index}|%{file}|%{fontversion}\n"],
        capture_output=True,
        text=True,
        check=False,
    )
    faces = []
    for line in sorted(result.stdout.splitlines()):
        parts = line.split("|")
        if len(parts) == 5:
            families, style, index, file, version = parts
            names = tuple(name.strip() for name in families.split(","))
            faces.append(InstalledFace(names, style, file, int(index or 0), version))
    return tuple(faces)


def fontconfig_lines() -> tuple[str, ...]:
    """`families|file|version` of every installed face (what the build cache's key records)."""
    return tuple(f"{','.join(face.families)}|{face.file}|{face.version}" for face in installed_faces())


def _families_of(line: str) -> list[str]:
    return [name.strip() for name in line.split("|", 1)[0].split(",")]


@cache
def installed_families() -> frozenset[str]:
    """Font families fontconfig knows (empty if fc-list is unavailable)."""
    return frozenset(name for face in installed_faces() for name in face.families)


@cache
def font_file(family: str, bold: bool = False) -> tuple[str, int] | None:
    """The file (and collection index) fontconfig uses for `family`, Regular (or Bold) preferred."""
    wanted = "Bold" if bold else "Regular"
    faces = sorted((f for f in installed_faces() if family in f.families), key=lambda f: (f.style != wanted, f.file))
    return (faces[0].file, faces[0].index) if faces else None


def resolve_fonts(fonts_dir: Path) -> FontSetup:
    """Build each role's stack: licensed font, then the defaults, then Noto."""
    found = find_user_fonts(fonts_dir)
    problems = {font.path: cid_problem(font.path) for font in found}
    user_fonts = tuple(font for font in found if not problems[font.path])
    refused = tuple((path, why) for path, why in problems.items() if why)
    installed = installed_families()
    stacks = {}
    missing: list[str] = []
    for role, (_, defaults) in ROLES.items():
        user = [f.family for f in user_fonts if f.role == role]
        stacks[role] = tuple(dict.fromkeys([*user, *defaults, *FALLBACK]))
        missing.extend(f for f in defaults if installed and f not in installed)
    return FontSetup(stacks, user_fonts, tuple(dict.fromkeys(missing)), refused)


@cache
def has_harfbuzz_subset() -> bool:
    """WeasyPrint subsets fonts ~40× faster with libharfbuzz-subset (asked with one dlopen)."""
    try:
        ctypes.CDLL("libharfbuzz-subset.so.0")
    except OSError:
        return False
    return True


def environment_warnings(setup: FontSetup) -> list[str]:
    """One line per missing piece, each saying how to fix it."""
    warnings = [f"{display_path(path)}：{why}" for path, why in setup.refused]
    if setup.missing:
        warnings.append(f"缺少默认字体 {'、'.join(setup.missing)}，将用 Noto 字体代替；{SETUP_HINT}")
    if not has_harfbuzz_subset():
        warnings.append(
            f"缺少 libharfbuzz-subset0，生成 PDF 会慢约 40 倍；{SETUP_HINT}（apt-get install libharfbuzz-subset0）"
        )
    return warnings
