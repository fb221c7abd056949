"""A print PDF and its document info → the issue's OFD edition (bytes), in the render worker.

The render worker calls `make_ofd(pdf, edition)`; the build makes the
`Edition` (plain values the worker can take) with `edition_of(issue)`. It reads the PDF's pages
(pages.py), resolves border paths into the rectangles they ink (shapes.py),
prepares the embedded fonts (fonts.py) and writes the package (package.py).
A problem it can name is a BuildError; the PDF is never affected by it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from jianbao.ofd.drawn import Item, Layout, Page, Shape
from jianbao.ofd.fonts import font_file
from jianbao.ofd.package import Edition, write_package
from jianbao.ofd.pages import read_layout
from jianbao.ofd.shapes import resolved

if TYPE_CHECKING:
    from jianbao.model import Issue

OFD_SUFFIX = ".ofd"


def ofd_name(issue_id: str) -> str:
    """`2025-08.ofd`, beside `2025-08.pdf`."""
    return f"{issue_id}{OFD_SUFFIX}"


def edition_of(issue: Issue) -> Edition:
    """The OFD's document info for an issue: the same title, author, subject and keywords as the PDF's,
    the issue date, and 期号/总期号 (and, once signed off, 签发人/签发日期) as custom data. The DocID is the
    same for every build of the issue."""
    from jianbao import __version__

    bulletin = issue.bulletin
    titles = tuple(article.title for article in issue.articles)
    key = f"{bulletin.title}\n{issue.id}\n{issue.total}".encode()
    return Edition(
        doc_id=hashlib.md5(key, usedforsecurity=False).hexdigest(),
        title=issue.full_title,
        author="、".join(bulletin.organizers),
        subject="；".join(titles),
        keywords=(bulletin.title, issue.numbers_text, *titles),
        date=issue.date,
        creator_version=__version__,
        custom=(
            ("期号", str(issue.number)),
            ("总期号", str(issue.total)),
            ("日期", issue.date_text),
            *approval_of(issue),
        ),
    )


def approval_of(issue: Issue) -> tuple[tuple[str, str], ...]:
    """The approval record as custom data, as the PDF's document info has it: 签发人 and 签发日期 once signed off."""
    approval = issue.approval
    signed = (("签发人", approval.signer),) if approval.signer else ()
    return signed + ((("签发日期", approval.date.isoformat()),) if approval.signer and approval.date else ())


@dataclass(frozen=True)
class OfdJob:
    """The OFD edition as a render worker's job (jianbao/pdf/workers.py EditionJob): made from the PDF."""

    info: Edition
    suffix: str = OFD_SUFFIX

    def make(self, pdf: bytes) -> bytes:
        return make_ofd(pdf, self.info)


def make_ofd(pdf: bytes, edition: Edition) -> bytes:
    """The OFD package showing the pages of `pdf`, with `edition`'s document info."""
    layout = simplified(read_layout(pdf))
    fonts = [font_file(font) for font in layout.fonts]
    return write_package(layout, fonts, edition)


def simplified(layout: Layout) -> Layout:
    """The layout with every rectangle-only path drawn as the rectangles it inks."""
    return replace(layout, pages=tuple(_simplified_page(page) for page in layout.pages))


def _simplified_page(page: Page) -> Page:
    items: list[Item] = []
    for item in page.items:
        if isinstance(item, Shape):
            shape = resolved(item)
            if shape is not None:
                items.append(shape)
        else:
            items.append(item)
    return replace(page, items=tuple(items))
