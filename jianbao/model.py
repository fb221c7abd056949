"""The content model: typed schemas for the YAML files and the frozen objects
templates receive.

The schemas (`BulletinSchema`, `IssueSchema`, `FrontMatter`) check what
editors wrote; `content.py` maps their errors back to file and line. The
dataclasses (`Bulletin`, `Issue`, `Article`, `Heading`) are built once from
validated data and never change afterwards.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PositiveInt

ISSUE_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _parse_date(value: Any) -> Any:
    """Accept only YYYY-MM-DD text (an integer would otherwise be a Unix time)."""
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if not _ISO_DATE_RE.match(text):
        raise ValueError("date")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError("date") from None


# `check` rule codes (jianbao/lint.py); `lint: {ignore: [...]}` silences them per issue or article.
LintRule = Literal[
    "halfwidth-punct",
    "unpaired-mark",
    "repeated-punct",
    "paragraph-end",
    "heading-number",
    "cjk-space",
    "missing-glyph",
]
LINT_RULES: tuple[str, ...] = get_args(LintRule)
IsoDate = Annotated[dt.date, BeforeValidator(_parse_date)]
Text = Annotated[str, Field(min_length=1)]
# 报尾 entries: verbatim text, a list of names, or groups of names.
Recipients = str | list[Text] | list[list[Text]]


class _Schema(BaseModel):
    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        str_strip_whitespace=True,
        coerce_numbers_to_str=True,  # phone: 65519639 is text, not a number
    )


class LintSettings(_Schema):
    """`lint: {ignore: [rule, …]}` in issue.yaml or front matter."""

    ignore: list[LintRule] = []


class BulletinSchema(_Schema):
    """content/bulletin.yaml — the periodical (each key may be overridden per issue)."""

    title: Text
    tagline: str = ""
    organizers: list[Text] = Field(min_length=1)
    marks: list[Text] = []
    editor: str = ""
    phone: str = ""
    fax: str = ""
    address: str = ""
    copies: PositiveInt | None = None
    distribution: dict[str, Recipients] = {}
    base_url: str = "/"


class IssueSchema(_Schema):
    """content/issues/<id>/issue.yaml — numbers and date; other keys override the bulletin."""

    number: PositiveInt
    total: PositiveInt
    date: IsoDate
    articles: list[Text] | None = None
    draft: bool = False
    toc: bool = True
    lint: LintSettings = LintSettings()


class FrontMatter(_Schema):
    """The YAML block at the top of an article."""

    title: str = ""
    subtitle: str = ""
    note: str = ""
    source: str = ""
    author: str = ""
    lint: LintSettings = LintSettings()


# ---------------------------------------------------------------------------
# The frozen model handed to templates.


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
