"""A face to embed (file, characters, the name it will carry) → the bytes the .docx keeps: subset, renamed,
obfuscated. Runs in a render worker (WordDraft.render); fonts.py plans what to embed.

Each subset gets a family name of its own (`FandolFang R jb1A2B3C`, from the face and the characters),
as a PDF tags its subsets: LibreOffice keeps the first embedded font of a name for the rest of its
session, so two issues opened one after the other would otherwise share the first one's characters
and draw the second's others as boxes. The obfuscation is ECMA-376 Part 1 §17.8.1's.
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path

from jianbao.docx import harfbuzz
from jianbao.errors import BuildError

FONT_TYPE = "application/vnd.openxmlformats-officedocument.obfuscatedFont"


@dataclass(frozen=True)
class EmbeddedFont:
    """One face as the .docx will carry it."""

    roles: tuple[str, ...]  # the roles that print in it
    face: str  # the face's own family name
    path: Path  # the file to subset (a TrueType twin when there is one)
    index: int
    bold: bool  # embedded as w:embedBold
    characters: str  # what the document shows in it
    name: str  # the subset's family name
    key: str  # {GUID} for the obfuscation
    part: str  # word/fonts/fontN.odttf
    rel_id: str


def plan(
    roles: tuple[str, ...], face: str, path: Path, index: int, bold: bool, characters: str, number: int
) -> EmbeddedFont:
    """What to embed for a face; its name and key come from the face and the characters (same in, same out)."""
    size = path.stat().st_size if path.exists() else 0
    digest = hashlib.sha256(f"{path.name}|{index}|{size}|{characters}".encode()).hexdigest().upper()
    name = f"{face} jb{digest[:6]}"
    key = f"{{{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}}}"
    return EmbeddedFont(
        roles, face, path, index, bold, characters, name, key, f"word/fonts/font{number}.odttf", f"rIdFont{number}"
    )


def font_bytes(font: EmbeddedFont) -> bytes:
    """The subset, renamed and obfuscated (a `BuildError` if the face cannot be subset)."""
    subset = harfbuzz.subset_font(font.path, font.index, font.characters)
    if subset is None:
        raise BuildError(f"无法从 {font.path} 截取嵌入字体（需要 libharfbuzz-subset0，请运行 bash scripts/setup.sh）")
    return obfuscate(renamed(subset, font.name), font.key)


def renamed(data: bytes, family: str) -> bytes:
    """The font with `family` as its family name (and names made from it), other tables untouched."""
    from fontTools.ttLib import TTFont

    tag = family.rsplit(" ", 1)[-1]
    with TTFont(io.BytesIO(data), lazy=True, recalcBBoxes=False, recalcTimestamp=False) as font:
        names = font["name"]
        style = names.getDebugName(2) or "Regular"
        postscript = re.sub(r"[^A-Za-z0-9-]", "", names.getDebugName(6) or family)[:50] + tag
        names.names = [record for record in names.names if record.nameID not in (1, 3, 4, 6, 16, 17)]
        for name_id, value in (
            (1, family),
            (2, style),
            (3, f"{postscript};{tag}"),
            (4, f"{family} {style}"),
            (6, postscript),
        ):
            names.setName(value, name_id, 3, 1, 0x409)
        out = io.BytesIO()
        font.save(out)
    return out.getvalue()


def obfuscate(data: bytes, key: str) -> bytes:
    """ECMA-376's font obfuscation: the first 32 bytes XOR the key's 16 bytes, taken from its end."""
    guid = bytes.fromhex(re.sub(r"[{}-]", "", key))[::-1]
    head = bytes(byte ^ guid[i % 16] for i, byte in enumerate(data[:32]))
    return head + data[32:]
