"""`publish DEST`: the built site (the output folder) → a web folder, without the build cache, in one swap.

DEST is typically the intranet web server's folder or a mounted share. The
new copy is assembled beside DEST and swapped into place (write/swap.py), so
readers see the old site or the new one, never half of each. A DEST that
holds files jianbao did not publish is refused: the list of what it
published is kept in DEST/.jianbao-published. Which issues go is decided by
jianbao/release.py: signed-off ones only, never from a folder holding drafts.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from jianbao.cli.console import EXIT_OK, say, shout
from jianbao.errors import UsageError, display_path
from jianbao.files import remove_tree
from jianbao.invocation import command
from jianbao.write.swap import swap_into_place

MARKER = ".jianbao-published"  # one published file per line, relative to DEST


def site_files(output: Path) -> list[str]:
    """The files of the built site: everything but hidden files (the build cache, temporaries)."""
    return sorted(
        path.relative_to(output).as_posix()
        for path in output.rglob("*")
        if path.is_file() and not any(part.startswith(".") for part in path.relative_to(output).parts)
    )


def foreign_files(dest: Path) -> list[str]:
    """Files in `dest` that no earlier publish wrote."""
    if not dest.is_dir():
        return []
    marker = dest / MARKER
    ours = set(marker.read_text(encoding="utf-8").splitlines()) if marker.is_file() else set()
    present = (p.relative_to(dest).as_posix() for p in dest.rglob("*") if p.is_file() or p.is_symlink())
    return sorted(name for name in present if name != MARKER and name not in ours)


def require_site(output: Path) -> None:
    """UsageError unless `output` holds a built site."""
    if not (output / "index.html").is_file():
        raise UsageError(f"{output.absolute()} 里还没有生成好的网站，请先运行 {command('build')}（或用 --output 指定）")


def publish_site(output: Path, dest: Path, keeps: Callable[[str], bool] = lambda name: True) -> int:
    """Copy the site in `output` (the files `keeps` accepts) to `dest` (see the module docstring); the number of
    files published."""
    require_site(output)
    source, target = output.resolve(), dest.resolve()
    if target == source or target.is_relative_to(source) or source.is_relative_to(target):
        raise UsageError(f"发布位置 {dest} 与输出文件夹 {output} 重叠，请换一个文件夹")
    if target.exists() and not target.is_dir():
        raise UsageError(f"发布位置 {dest} 是一个文件，不是文件夹")
    if foreign := foreign_files(target):
        shown = "、".join(foreign[:3]) + (f" 等 {len(foreign)} 个" if len(foreign) > 3 else "")
        raise UsageError(f"{dest} 里有不是 jianbao 发布的文件（{shown}），不会覆盖；请换一个空文件夹，或先移走这些文件")
    target.parent.mkdir(parents=True, exist_ok=True)
    files = [name for name in site_files(source) if keeps(name)]
    new = Path(tempfile.mkdtemp(prefix=f".{target.name}.publishing-", dir=target.parent))
    try:
        for name in files:
            (new / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source / name, new / name)
        (new / MARKER).write_text("".join(f"{name}\n" for name in files), encoding="utf-8")
        new.chmod(0o755)  # mkdtemp makes it private; a web server must read it
        swap_into_place(new, target)
    except OSError as exc:
        raise UsageError(f"无法发布到 {dest}（{exc.strerror or exc}）；原来的内容保持不变") from exc
    finally:
        remove_tree(new)  # the old site after the swap, or the half copy after a failure
    return len(files)


def run(args: argparse.Namespace) -> int:
    """`publish DEST`: the signed-off issues of the output folder (jianbao/release.py), and the site around them."""
    from jianbao.markup import load_content
    from jianbao.release import release_of

    require_site(args.output)
    site, _ = load_content(args.content, strict=False)
    release = release_of(args.output, site, args.content)
    count = publish_site(args.output, args.dest, release.keeps)
    say(
        f"已发布 {count} 个文件到 {display_path(args.dest)}（{len(release.published)} 期，不含生成缓存）",
        quiet=args.quiet,
    )
    for name, why in release.withheld.items():
        how = command("approve", name, "--by", "姓名")
        shout(f"未发布：{name}（{why}；签发后重新生成再发布：{how}）", "yellow")
    return EXIT_OK
