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


# The file name of an issue's PDF (bulletin.yaml `pdf_name:`, without `.pdf`): these fields may be used.
PDF_NAME_FIELDS = ("title", "year", "month", "day", "number", "total", "id")


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
    pdf_name: str = ""  # the PDF's file name, e.g. "《{title}》{year}年第{number}期"; "": the issue id
    target_pages: int | None = None  # the pages an issue should not exceed (`check` says what to shorten)
    pages_per_sheet: int | None = None  # 4: printed on folded sheets, so a page count is best a multiple of 4

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


# An issue's approval, in order: 草稿 (being written: previews only), 送审 (submitted: printed with a
# 送审稿 mark for the person who signs it off), 签发 (signed off: may be published).
DRAFT, IN_REVIEW, SIGNED = "草稿", "送审", "签发"
STATUSES = (DRAFT, IN_REVIEW, SIGNED)


@dataclass(frozen=True)
class Approval:
    """Where an issue stands: its status ("" in an archive that does not use approval: published as
    built), and, once signed off, who signed it (签发人) and when (签发日期)."""

    status: str = ""
    signer: str = ""
    date: dt.date | None = None


@dataclass(frozen=True)
class Correction:
    """One 更正 of a published issue: when, what, and the article it concerns (its slug; "": the issue)."""

    date: dt.date
    text: str
    article: str = ""

    @property
    def date_text(self) -> str:
        """`2026年3月20日`"""
        return f"{self.date.year}年{self.date.month}月{self.date.day}日"


@dataclass(frozen=True)
class Issue:
    """One numbered issue with its articles, ready to render."""

    id: str
    folder: Path
    number: int
    total: int
    date: dt.date
    toc: bool
    bulletin: Bulletin
    articles: tuple[Article, ...]
    lint_ignore: tuple[str, ...] = ()  # `check` rules silenced for this issue
    approval: Approval = Approval()
    corrections: tuple[Correction, ...] = ()  # oldest first

    @property
    def status(self) -> str:
        """草稿, 送审, 签发, or "" (an archive without approval)."""
        return self.approval.status

    @property
    def draft(self) -> bool:
        """Being written: built only for previews, never published."""
        return self.status == DRAFT

    @property
    def in_review(self) -> bool:
        """Submitted and not yet signed off: built with a 送审稿 mark, never published."""
        return self.status == IN_REVIEW

    @property
    def publishable(self) -> bool:
        """Signed off, or in an archive that does not use approval (published as it is built)."""
        return self.status in (SIGNED, "")

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
    def modified(self) -> dt.date:
        """The date of the last correction, or the issue date."""
        return max([self.date, *(c.date for c in self.corrections)])

    @property
    def file_stem(self) -> str:
        """The name of the issue's PDF (and of its editions) without the suffix: bulletin.yaml `pdf_name:`."""
        pattern = self.bulletin.pdf_name
        if not pattern:
            return self.id
        day = self.date
        values = {"title": self.bulletin.title, "year": day.year, "month": day.month, "day": day.day}
        return pattern.format(**values, number=self.number, total=self.total, id=self.id)

    @property
    def pdf_name(self) -> str:
        """`2025-08.pdf`, or as `pdf_name:` says: `《城市治理动态参考》2026年第12期.pdf`."""
        return f"{self.file_stem}.pdf"

    def version_name(self, version: int) -> str:
        """The PDF as it stood before correction number `version` (1-based): `2025-08-v1.pdf`."""
        return f"{self.file_stem}-v{version}.pdf"


@dataclass(frozen=True)
class Site:
    """Everything that was loaded: the bulletin and its issues, oldest first."""

    bulletin: Bulletin
    issues: tuple[Issue, ...]
