"""The content model: the frozen objects every later stage and every template receives.

Built once by the load stage (jianbao/load/content.py) from data its schemas
(jianbao/load/schema.py) accepted, and never changed afterwards: `Site`
holds the `Bulletin` and its `Issue`s, each `Issue` its `Article`s.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from pathlib import Path

from jianbao.tree import Node, to_html

# An issue id names its output folder: lowercase ASCII letters, digits and hyphens only.
ISSUE_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class DistributionLine:
    """One 报尾 block: `报：…。`"""

    label: str
    text: str


# 版心 width (156 mm) in points: the masthead title always fits on one line inside it.
TYPE_AREA_WIDTH_PT = 156 * 72 / 25.4
PITCH_PT = 28.95  # the body grid (layouts/print.css --pitch)
# Title length → (size in pt, letter-spacing in em). Longer titles: 36 pt without spacing, then
# whatever fits (see `Masthead.fit`).
TITLE_SIZES = {4: (56.0, 0.25), 5: (52.0, 0.2), 6: (48.0, 0.15), 7: (44.0, 0.1), 8: (42.0, 0.05), 9: (38.0, 0.05)}
TITLE_SIZE_LONG = 36.0
INK_HEIGHT = 0.95  # a CJK face's ink spans about 0.95 em: the line box may be a little smaller than the size
TITLE_SIZE_MIN = 28.0  # below this a title no longer reads as a masthead: `check` warns


@dataclass(frozen=True)
class TitleFit:
    """How the masthead title is set: size (pt), letter-spacing (em), grid lines it takes."""

    size: float
    spacing: float
    lines: int
    shrunk_from: float | None = None  # the size asked for in bulletin.yaml when it did not fit


@dataclass(frozen=True)
class Masthead:
    """bulletin.yaml `masthead:` — how the 报头 is set (all optional)."""

    size: float | None = None  # title size in pt; None: from the title's length
    font: str = ""  # a font family for the title; "": the 小标宋 role
    organizer_word: str = "主办"  # printed after the last organizer: 主办, 编印, 编…
    image: str = ""  # a calligraphy image in layouts/ printed instead of the title text

    def fit(self, title: str) -> TitleFit:
        """The title's size and spacing: as set, or from its length; always one line in the 版心."""
        count = max(1, len(title))
        size, spacing = TITLE_SIZES.get(max(count, 4), (TITLE_SIZE_LONG, 0.0))
        if self.size is not None:
            size, spacing = self.size, (0.25 if count <= 4 else 0.1 if count <= 7 else 0.0)
        wanted = size
        # Width: the glyphs, the spacing after each and the equal padding before the first.
        while (count + (count + 1) * spacing) * size > TYPE_AREA_WIDTH_PT and spacing > 0:
            spacing = round(max(0.0, spacing - 0.05), 2)
        size = min(size, TYPE_AREA_WIDTH_PT / (count + (count + 1) * spacing))
        size = float(int(size * 2) / 2)  # half points, rounded down
        lines = max(2, math.ceil(size * INK_HEIGHT / PITCH_PT))
        return TitleFit(size, spacing, lines, wanted if self.size is not None and size < wanted else None)


@dataclass(frozen=True)
class Bulletin:
    """The periodical as printed on one issue (bulletin.yaml with overrides applied)."""

    title: str
    tagline: str
    organizers: tuple[str, ...]
    marks: tuple[str, ...]
    editor: str
    phone: str
    fax: str
    address: str
    copies: int | None
    distribution: tuple[DistributionLine, ...]
    base_url: str
    masthead: Masthead = Masthead()
    glossary: tuple[str, ...] = ()  # terms a line never breaks inside

    @property
    def title_fit(self) -> TitleFit:
        """The masthead title's size, spacing and height (layouts/_masthead.html)."""
        return self.masthead.fit(self.title)

    @property
    def has_colophon(self) -> bool:
        """Whether the 报尾 has anything to print."""
        return bool(self.distribution or self.editor or self.phone or self.address or self.copies)


@dataclass(frozen=True)
class Heading:
    """A numbered body heading, for bookmarks and the web page's outline."""

    level: int  # 1 = 一、 … 4 = （1）
    text: str
    anchor: str


@dataclass(frozen=True)
class ArticleBody:
    """What the Markdown stage makes of an article body: its tree, its headings, the images it asks for
    (with their lines in the file) and its warnings (line, message)."""

    tree: Node
    headings: tuple[Heading, ...]
    images: tuple[tuple[int, str], ...]
    warnings: tuple[tuple[int, str], ...]

    @property
    def html(self) -> str:
        """The tree as HTML text."""
        return to_html(self.tree)


@dataclass(frozen=True)
class Article:
    """One article: its front matter and its body as a sanitized tree (jianbao/tree.py)."""

    slug: str
    source_path: Path
    title: str
    subtitle: str
    author: str
    note: str
    source: str
    body: Node
    headings: tuple[Heading, ...]
    images: tuple[str, ...] = ()  # image files relative to the issue folder, for the web copy
    lint_ignore: tuple[str, ...] = ()  # `check` rules silenced for this article

    @property
    def body_html(self) -> str:
        """The body as HTML text (the sanitizer's serialisation of the tree)."""
        return to_html(self.body)


@dataclass(frozen=True)
class Issue:
    """One numbered issue with its articles, ready to render."""

    id: str
    folder: Path
    number: int
    total: int
    date: dt.date
    draft: bool
    toc: bool
    bulletin: Bulletin
    articles: tuple[Article, ...]
    lint_ignore: tuple[str, ...] = ()  # `check` rules silenced for this issue

    @property
    def numbers_text(self) -> str:
        """`第8期（总第144期）`"""
        return f"第{self.number}期（总第{self.total}期）"

    @property
    def date_text(self) -> str:
        """`2025年6月3日`"""
        return f"{self.date.year}年{self.date.month}月{self.date.day}日"

    @property
    def full_title(self) -> str:
        """`领导学习 2025年第8期（总第144期）`, the PDF's document title."""
        return f"{self.bulletin.title} {self.date.year}年{self.numbers_text}"

    @property
    def pdf_name(self) -> str:
        return f"{self.id}.pdf"


@dataclass(frozen=True)
class Site:
    """Everything that was loaded: the bulletin and its issues, oldest first."""

    bulletin: Bulletin
    issues: tuple[Issue, ...]
