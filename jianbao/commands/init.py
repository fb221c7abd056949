"""`init DIR`: a new bulletin's project folder — a commented bulletin.yaml, an empty issues/, the layouts.

Refuses a folder that already holds files. Says what to set next and how to
start at 第N期（总第M期）.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from jianbao.cli.console import EXIT_OK, say
from jianbao.errors import UsageError, display_path

ROOT = Path(__file__).resolve().parent.parent.parent  # the checkout holding build.py and layouts/

BULLETIN_TEMPLATE = """\
# 刊物设置：每期共用；单期可在它的 issue.yaml 里覆盖任何一项（例如 copies: 80）。
# 改完运行 python build.py check 检查。冒号、逗号、方括号都用半角（英文）符号，冒号后面加一个空格。

title: 工作简报                     # 刊名（必填），印在报头；字号按字数自动选定，见 README“报头”
organizers:                         # 主办单位（必填），每行一个，印为“…… 主办”
  - 某某单位办公室
# tagline: 内部刊物                 # 刊名上方的一行字（可选）
marks: [内部资料, 注意保存]          # 报头左上角的标注（可选，不要就删掉这一行）
# masthead:                         # 报头设置（都可选）
#   size: 56                        #   刊名字号（pt）
#   organizer_word: 编印            #   主办单位后面的字，默认“主办”
#   image: 题字.png                 #   题字图片，放在 layouts/ 里
editor: 张三                        # 责任编辑（印在报尾）
phone: "0000-00000000"              # 联系电话（加引号，免得当成数字）
# fax: "0000-00000000"
# address: 某某市某某路 1 号
copies: 50                          # 印数
distribution:                       # 报尾的报送范围：报、送、发，名单用半角逗号分隔
  报: [某某领导]
  送: [某某部门]
# base_url: http://内网地址/简报/    # 网站地址（订阅源 feed.xml 用；不写则用相对链接）
"""

GITIGNORE = "/output/\n/fonts/\n/.cache/\n"


def create_project(folder: Path) -> list[Path]:
    """Write the new project; refuse a folder that is not empty."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise UsageError(f"{display_path(folder)} 已存在且不是空文件夹，不会覆盖（请换一个新文件夹名）")
    content = folder / "content"
    (content / "issues").mkdir(parents=True)
    (content / "bulletin.yaml").write_text(BULLETIN_TEMPLATE, encoding="utf-8")
    written = [content / "bulletin.yaml", content / "issues"]
    layouts = ROOT / "layouts"
    if layouts.is_dir():
        shutil.copytree(layouts, folder / "layouts")
        written.append(folder / "layouts")
    (folder / ".gitignore").write_text(GITIGNORE, encoding="utf-8")
    return written


def run(args: argparse.Namespace) -> int:
    """`init DIR`: write the project and say what to do next."""
    folder = args.folder
    for path in create_project(folder):
        say(f"已建立 {display_path(path)}", quiet=args.quiet)
    build = ROOT / "build.py"
    say(
        "下一步：\n"
        f"  1. 打开 {display_path(folder / 'content' / 'bulletin.yaml')}，改成自己的刊名、主办单位、报送范围等；\n"
        f"  2. cd {folder}\n"
        f"  3. python {build} new --number 12 --total 86\n"
        "     （把 12、86 换成下一期的期号和总期号；从第1期开始就省去这两项）\n"
        f"  4. python {build} serve --open   边写边预览",
        quiet=args.quiet,
    )
    return EXIT_OK
