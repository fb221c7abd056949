"""The content model: the frozen objects every later stage and every template receives.

Built once by the load stage (jianbao/load/content.py) from data its schemas
(jianbao/load/schema.py) accepted, and never changed afterwards: `Site`
holds the `Bulletin` and its `Issue`s, each `Issue` its `Article`s.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

# An issue id names its output folder: lowercase ASCII letters, digits and hyphens only.
ISSUE_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class DistributionLine:
    """One 报尾 block: `报：…。`"""

    label: str
    text: str


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
class Article:
    """One article: its front matter and its body as a sanitized HTML fragment."""

    slug: str
    source_path: Path
    title: str
    subtitle: str
    author: str
    note: str
    source: str
    body_html: str
    headings: tuple[Heading, ...]
    images: tuple[str, ...] = ()  # image files relative to the issue folder, for the web copy
    lint_ignore: tuple[str, ...] = ()  # `check` rules silenced for this article

    @property
    def title_words(self) -> tuple[str, ...]:
        """The title cut between words (ICU), for `<wbr>` on the web page; one piece when short."""
        from jianbao.markup.richtext import title_words

        return title_words(self.title)


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
