"""An output folder asked for → refused (UsageError) unless jianbao may write there.

jianbao writes only into an empty folder or one carrying its manifest, never
into or over the content, the layouts or some unrelated folder.
"""

from __future__ import annotations

import os
from pathlib import Path

from jianbao.errors import UsageError, display_path
from jianbao.write.manifest import holds_manifest


def guard_output(output: Path, inputs: list[Path]) -> None:
    """Refuse an output folder that would replace or sit inside the content, the layouts or some
    unrelated folder: jianbao writes only into an empty folder or one carrying its manifest."""
    target = Path(os.path.realpath(output))  # (never raises, not even on a symlink loop)
    if os.path.lexists(target) and not target.is_dir():
        raise UsageError(f"输出位置 {output} 是一个文件，不是文件夹")
    for folder in [Path.cwd(), *inputs]:
        real = Path(os.path.realpath(folder))
        if real == target or real.is_relative_to(target):
            raise UsageError(f"输出文件夹 {output} 包含内容或版式文件夹，不能用作输出（请换一个文件夹）")
    for folder in inputs:
        if target.is_relative_to(os.path.realpath(folder)):
            raise UsageError(
                f"输出文件夹 {output} 位于 {display_path(folder)} 之中，不能用作输出"
                "（输出会被当作内容反复读取；请换一个内容和版式文件夹以外的文件夹）"
            )
    if not target.is_dir():
        return
    if os.path.ismount(target):
        raise UsageError(
            f"输出文件夹 {output} 是一个挂载点，生成时无法整体替换它（请改用其中的一个子文件夹，如 {output / 'site'}）"
        )
    if holds_manifest(target):
        return  # ours: a build wrote it (and the manifest lists what it wrote)
    entries = sorted(entry.name for entry in target.iterdir())
    if entries:
        shown = "、".join(entries[:5]) + (f" 等 {len(entries)} 项" if len(entries) > 5 else "")
        raise UsageError(
            f"输出文件夹 {output} 里已有不是简报生成的文件（{shown}），为免删改它们，不会写入"
            "（请换一个空文件夹或新文件夹）"
        )
