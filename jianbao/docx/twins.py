"""The command setup.sh runs once: the TrueType twins (truetype.py) of the CFF faces the Word edition embeds.

python -m jianbao.docx.twins [folder]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from jianbao.docx.fonts import word_faces
from jianbao.docx.truetype import TWINS, is_cff, make_twin, twin_of, twin_path
from jianbao.pdf.fonts import resolve_fonts


def main(argv: list[str] | None = None) -> int:
    """Make the twins of the CFF faces the Word edition embeds by default (those already made are kept)."""
    parser = argparse.ArgumentParser(description="为 Word 版生成 TrueType 轮廓的字体副本（Word 只能使用这种嵌入字体）")
    parser.add_argument("folder", type=Path, nargs="?", default=TWINS, help=f"存放位置（默认 {TWINS}）")
    folder = parser.parse_args(argv).folder
    faces = word_faces(resolve_fonts(Path("/nonexistent")), twins=None).values()  # the free faces themselves
    for path, index in sorted({(f.path, f.index) for f in faces if f.path is not None}):
        if not is_cff(path, index) or twin_of(path, index, folder):
            continue
        target = twin_path(path, index, folder)
        for old in folder.glob(f"{path.stem}-{index}-*.ttf"):  # twins of an earlier version of the face
            old.unlink()
        print(f"==> 生成 Word 版嵌入用的 TrueType 字体：{target.name}（每个约半分钟，只需一次）", flush=True)
        make_twin(path, index, target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
