"""What laying an issue out gives besides its PDF: the page report, as plain values a worker can send."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ShortPage:
    """A page that ends `empty` grid lines above the 版心's foot, and why."""

    page: int  # 1-based
    empty: int
    reason: str
    # What the next page starts with that could not start here: figure, table, title, heading, paragraph,
    # footnote, colophon (the 报尾, or the last lines it takes along), empty (nothing follows)
    kind: str = ""

    def __str__(self) -> str:
        return f"第 {self.page} 页末尾空 {self.empty} 行：{self.reason}"


@dataclass(frozen=True)
class Printed:
    """A laid-out issue: its PDF, and the pages that end short with the rule that made each short."""

    pdf: bytes
    short_pages: tuple[ShortPage, ...] = ()
    pages: int = 0
    room: tuple[int, ...] = ()  # the empty grid lines at the foot of each page (pagereport.page_room)
