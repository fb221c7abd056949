"""The files `new` and `init` write for an editor to fill in, and which of their lines are placeholders.

The one place both the writers (jianbao/commands/new.py, init.py) and the
placeholder check (jianbao/check/placeholders.py) read: a line the editor has
left exactly as written here still holds placeholder text, which must never
be published. The files' comments name the command as `jianbao …`: they are
shared between colleagues' machines, where the terminal's hints
(jianbao/invocation.py) would name another path.
"""

from __future__ import annotations

# The article `new` writes: each placeholder is a whole line of text (a title, a heading, a paragraph).
TITLE_PLACEHOLDER = "文章标题（请修改）"
ARTICLE_PLACEHOLDERS = (
    TITLE_PLACEHOLDER,
    "正文第一段。段落之间空一行。",
    "一级标题（自动编号为“一、”）",
    "在这里写正文。",
    "二级标题（自动编号为“（一）”）",
)
ARTICLE_NAME = "01-article.md"


def article_template() -> str:
    """The article `new` writes."""
    title, first, heading, text, subheading = ARTICLE_PLACEHOLDERS
    return f"""\
---
title: {title}
# subtitle: ——副标题（可选）
# author: 作者（可选）
# note: 编者按（可选）
# source: 来源（可选，印在文末）
---

{first}

## {heading}

{text}

### {subheading}

{text}
"""


def issue_template(issue_id: str, number: int, total: int, date: str) -> str:
    """The issue.yaml `new` writes: a draft with the numbers it worked out."""
    return f"""\
# 第{number}期（总第{total}期）。期号由 jianbao new 算出，发布后请勿再改。
number: {number}
total: {total}
date: {date}
# 状态：草稿（只在预览里生成）→ 送审（生成带“送审稿”标记的 PDF 给领导审阅）→ 签发（才能发布）。
# 签发：jianbao approve {issue_id} --by 姓名（写上签发人和签发日期）
status: 草稿
"""


# bulletin.yaml lines `init` writes with a value the office must replace (compared without the comment).
BULLETIN_PLACEHOLDERS = (
    "  - 某某单位办公室",
    "editor: 张三",
    'phone: "0000-00000000"',
    "  报: [某某领导]",
    "  送: [某某部门]",
)


def bulletin_template() -> str:
    """The commented bulletin.yaml `init` writes."""
    organizer, editor, phone, above, beside = BULLETIN_PLACEHOLDERS
    return f"""\
# 刊物设置：每期共用；单期可在它的 issue.yaml 里覆盖任何一项（例如 copies: 80）。
# 改完运行 jianbao check 检查。冒号、逗号、方括号都用半角（英文）符号，冒号后面加一个空格。

title: 工作简报                     # 刊名（必填），印在报头；字号按字数自动选定，见 README“报头”
organizers:                         # 主办单位（必填），每行一个，印为“…… 主办”
{organizer}
# tagline: 内部刊物                 # 刊名上方的一行字（可选）
marks: [内部资料, 注意保存]          # 报头左上角的标注（可选，不要就删掉这一行）
# masthead:                         # 报头设置（都可选）
#   size: 56                        #   刊名字号（pt）
#   organizer_word: 编印            #   主办单位后面的字，默认“主办”（目录页、网页、PDF 都用它）
#   image: 题字.png                 #   题字图片，放在 layouts/ 里
{editor}                        # 责任编辑（印在报尾）
{phone}              # 联系电话（加引号，免得当成数字）
# fax: "0000-00000000"
# address: 某某市某某路 1 号
copies: 50                          # 印数
distribution:                       # 报尾的报送范围：报、送、发，名单用半角逗号分隔
{above}
{beside}
# base_url: http://内网地址/简报/    # 网站地址（订阅源 feed.xml 用；不写则用相对链接）
# pdf_name: "《{{title}}》{{year}}年第{{number}}期"   # PDF 文件名（默认用期的文件夹名，如 2026-12.pdf）
# target_pages: 8                   # 每期不超过几页：超出时 check 和生成时提示该压缩多少
# pages_per_sheet: 4                # 对折装订（一张纸 4 页）：页数不是 4 的倍数时提示
"""
