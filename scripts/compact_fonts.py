#!/usr/bin/env python3
"""Make the compact (GB 2312) faces of the Noto CJK fonts jianbao prints 黑体 and 小标宋 with.

    python scripts/compact_fonts.py OUTDIR                 make the compact faces in OUTDIR
    python scripts/compact_fonts.py --identity [--no-backup] FONT...   make CID-keyed fonts print alike everywhere
    python scripts/compact_fonts.py --version              the version setup.sh stamps its fonts with

Debian ships Noto Sans/Serif CJK as collections of every region's face, 65,535
glyphs and 19–27 MB each. WeasyPrint reads a used font file whole and subsets
it keeping glyph ids, so every PDF pays for those 65,535 slots: ~60 ms and
~180 KB a PDF (half its size). The compact faces hold the GB 2312 repertoire
(6,763 汉字 and its symbols, ~7,600 characters) in the same design under their
own family names ("… GB2312"); jianbao's font stacks name them first and the
full fonts next, so a character outside GB 2312 (e.g. 堃 in a name) still prints,
from the full face of the same design. Takes ~40 s; scripts/setup.sh runs it once.
The fonts are under the SIL Open Font License, which allows this modified version.

Both Noto CJK and the compact faces are CID-keyed CFF fonts. fontTools keeps the
original CIDs of the glyphs it keeps (up to 65,527 for ~14,000 glyphs), but
WeasyPrint writes glyph indexes as CIDs: Ghostscript then drew boxes and MuPDF
nothing. Version 2 renumbers every face so glyph i is CID i
(jianbao.pdf.fonts.make_cids_identity); `--identity` does the same, in place
(the original kept as FONT.orig), for Fandol and any licensed font in fonts/.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

from jianbao.pdf.fonts import _cid_charset, make_cids_identity, non_identity_glyphs

# Bumped whenever the faces this script makes change; scripts/setup.sh remakes fonts stamped older.
VERSION = 2

# (family and style of the full face, family of the compact one, file name)
FACES = (
    ("Noto Sans CJK SC", "Regular", "Noto Sans CJK SC GB2312", "NotoSansCJKsc-GB2312-Regular.otf"),
    ("Noto Serif CJK SC", "Bold", "Noto Serif CJK SC GB2312", "NotoSerifCJKsc-GB2312-Bold.otf"),
)
# Beyond GB 2312 itself: ASCII, CJK punctuation, full-width forms, general punctuation, enclosed numbers.
EXTRA_RANGES = ((0x20, 0x7E), (0xA0, 0xFF), (0x2000, 0x206F), (0x2460, 0x24FF), (0x3000, 0x303F), (0xFF00, 0xFFEF))


def gb2312() -> set[int]:
    """Every character GB 2312 encodes, and the extra ranges."""
    chars = {c for low, high in EXTRA_RANGES for c in range(low, high + 1)}
    for first in range(0xA1, 0xF8):
        for second in range(0xA1, 0xFF):
            try:
                chars.add(ord(bytes([first, second]).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    return chars


def locate(family: str, style: str) -> tuple[str, int]:
    """The file and collection index of an installed face, from fontconfig."""
    found = subprocess.run(
        ["fc-list", "--format", "%{file}|%{index}\n", f"{family}:style={style}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    if not found:
        raise SystemExit(f"没有找到字体 {family} {style}（请先安装 fonts-noto-cjk）")
    path, index = sorted(found)[0].rsplit("|", 1)
    return path, int(index)


def compact(source: tuple[str, int], family: str, style: str, target: Path) -> None:
    """Subset one face to GB 2312, every OpenType feature kept (halt, vert…), under a new family name."""
    font = TTFont(source[0], fontNumber=source[1])
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=gb2312())
    subsetter.subset(font)
    postscript = f"{family.replace(' ', '')}-{style}"
    names = {1: family, 3: f"jianbao:{postscript}", 4: f"{family} {style}", 6: postscript, 16: family}
    for record in font["name"].names:
        if record.nameID in names:
            record.string = names[record.nameID]
    if "CFF " in font:
        cff = font["CFF "].cff
        cff.fontNames = [postscript]
        top = cff.topDictIndex[0]
        top.FamilyName, top.FullName = family, f"{family} {style}"
    target.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    font.save(buffer)  # then renumbered from the saved bytes: every table but CFF stays as saved
    buffer.seek(0)
    make_cids_identity(buffer, target)


def identity_in_place(path: Path, backup: bool) -> str:
    """Renumber one font file's CIDs (atomically; the original kept as .orig if `backup`); says what was done.

    No backup in a system font folder: Fontconfig would find the .orig file and might print with it.
    """
    charset = _cid_charset(path)
    if charset is None or not non_identity_glyphs(charset):
        return f"{path}：无需改动"
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=path.suffix)
    os.close(handle)
    try:
        renamed = make_cids_identity(path, Path(temporary))
        original = path.with_name(path.name + ".orig")
        if backup and not original.exists():
            shutil.copy2(path, original)
        os.chmod(temporary, path.stat().st_mode & 0o777)
        os.replace(temporary, path)
    finally:
        Path(temporary).unlink(missing_ok=True)
    return f"{path}：已改正 {renamed} 个字形的 CID"


def main() -> int:
    if sys.argv[1:] == ["--version"]:
        print(VERSION)
        return 0
    if len(sys.argv) > 2 and sys.argv[1] == "--identity":
        names = [name for name in sys.argv[2:] if name != "--no-backup"]
        for name in names:
            print(identity_in_place(Path(name), backup="--no-backup" not in sys.argv))
        return 0
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    out = Path(sys.argv[1])
    for full, style, family, name in FACES:
        compact(locate(full, style), family, style, out / name)
        print(f"{out / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
