"""Typed schemas of what editors write: bulletin.yaml, issue.yaml, an article's front matter.

pydantic checks the plain data `yamlfile` returns against these; `messages`
turns its errors into Chinese, and `content` builds the frozen model
(jianbao/model.py) from what passed.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PositiveInt

from jianbao.model import ISSUE_ID_RE  # noqa: F401  (re-exported: the id rule belongs to the model)

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


# `check` rule codes (jianbao/check/); `lint: {ignore: [...]}` silences them per issue or article.
LintRule = Literal[
    "halfwidth-punct",
    "unpaired-mark",
    "repeated-punct",
    "paragraph-end",
    "heading-number",
    "cjk-space",
    "missing-glyph",
    "title-break",
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


class MastheadSchema(_Schema):
    """`masthead: {size, font, organizer_word, image}` in bulletin.yaml."""

    size: Annotated[float, Field(ge=20, le=80)] | None = None
    font: Annotated[str, Field(pattern=r"^[\w ._-]*$")] = ""
    organizer_word: str = "主办"
    image: Annotated[str, Field(pattern=r"^\w[\w.-]*\.(png|jpg|jpeg|svg)$")] = ""


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
    masthead: MastheadSchema = MastheadSchema()
    # Terms a line never breaks inside (titles, the contents list, table cells, captions): names of the
    # office's own programmes and places ICU's dictionary does not know.
    glossary: list[Text] = []
    # The PDF's file name without `.pdf`, with {title} {year} {month} {day} {number} {total} {id}
    # (checked in content.py); "": the issue id, as before.
    pdf_name: str = ""
    target_pages: PositiveInt | None = None  # an issue longer than this gets a warning saying what to shorten
    pages_per_sheet: Literal[1, 2, 4] | None = None  # 2: both sides of a sheet; 4: folded sheets (booklets)


class CorrectionSchema(_Schema):
    """One item of `corrections:` in issue.yaml: when, what, and (optionally) the article's file name."""

    date: IsoDate
    text: Text
    article: str = ""


class IssueSchema(_Schema):
    """content/issues/<id>/issue.yaml — numbers and date; other keys override the bulletin."""

    number: PositiveInt
    total: PositiveInt
    date: IsoDate
    articles: list[Text] | None = None
    draft: bool = False  # the older spelling of `status: 草稿`
    toc: bool = True
    lint: LintSettings = LintSettings()
    status: Literal["草稿", "送审", "签发"] | None = None  # jianbao/model.py STATUSES
    # Who signed the issue off, and when: the keys are written in Chinese, as the office says them.
    签发人: str = ""
    签发日期: IsoDate | None = None
    corrections: list[CorrectionSchema] = []


class FrontMatter(_Schema):
    """The YAML block at the top of an article."""

    title: str = ""
    subtitle: str = ""
    note: str = ""
    source: str = ""
    author: str = ""
    lint: LintSettings = LintSettings()
