"""Reading a built PDF the way the tests need it: lines, fonts, colours, rules."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pdfplumber

MM = 72 / 25.4
PAGE_W, PAGE_H = 210 * MM, 297 * MM
AREA_LEFT, AREA_TOP = 28 * MM, 37 * MM
AREA_RIGHT, AREA_BOTTOM = AREA_LEFT + 156 * MM, AREA_TOP + 225 * MM
RED_CMYK = (0, 0.8, 0.8, 0)


@dataclass(frozen=True)
class Line:
    """Characters that share a baseline on one page."""

    page: int
    top: float
    bottom: float
    x0: float
    x1: float
    text: str
    fonts: frozenset[str]
    size: float
    chars: tuple[dict, ...]


def base_font(name: str) -> str:
    """'ABCDEF+FandolFang' → 'FandolFang'."""
    return name.split("+", 1)[-1]


def lines_of(pdf: pdfplumber.PDF) -> list[Line]:
    """Every text line of the document, in reading order."""
    result = []
    for number, page in enumerate(pdf.pages, 1):
        rows: dict[float, list[dict]] = {}
        for char in page.chars:
            key = round(char["bottom"], 0)
            rows.setdefault(key, []).append(char)
        for key in sorted(rows):
            chars = sorted(rows[key], key=lambda c: c["x0"])
            result.append(
                Line(
                    page=number,
                    top=min(c["top"] for c in chars),
                    bottom=max(c["bottom"] for c in chars),
                    x0=chars[0]["x0"],
                    x1=chars[-1]["x1"],
                    text="".join(c["text"] for c in chars),
                    fonts=frozenset(base_font(c["fontname"]) for c in chars),
                    size=round(max(c["size"] for c in chars), 1),
                    chars=tuple(chars),
                )
            )
    return result


def squash(text: str) -> str:
    """Text without whitespace, for comparing content regardless of line breaks."""
    return re.sub(r"\s+", "", text)


def open_pdf(path: Path) -> pdfplumber.PDF:
    return pdfplumber.open(path)


@dataclass(frozen=True)
class Rule:
    """A horizontal rule: WeasyPrint paints a border as an outer rectangle
    minus an inner one (even-odd fill), which pdfplumber reports as two rects."""

    x0: float
    x1: float
    top: float
    bottom: float
    color: tuple

    @property
    def thickness(self) -> float:
        return self.bottom - self.top


def _nested(inner: dict, outer: dict) -> bool:
    """Whether `inner` lies in `outer` (same left and right edges), within 0.05 pt: the two rects of one border
    may differ in the last digits of their edges."""
    return (
        inner["height"] < outer["height"] - 0.01
        and abs(inner["x0"] - outer["x0"]) < 0.05
        and abs(inner["x1"] - outer["x1"]) < 0.05
        and inner["top"] > outer["top"] - 0.05
        and inner["bottom"] < outer["bottom"] + 0.05
    )


def rules_of(page) -> list[Rule]:
    """Horizontal border bands on a page, top to bottom, without duplicates. A border is painted as one path of
    two sub-rectangles, so they come in a row; the bands between their edges are the rules."""
    rects = page.rects
    found: dict[tuple, Rule] = {}

    def add(outer: dict, top: float, bottom: float) -> None:
        if bottom - top > 0.1:
            colour = tuple(outer.get("non_stroking_color") or ())
            found[(round(top, 1), round(bottom, 1), round(outer["x0"], 1))] = Rule(
                outer["x0"], outer["x1"], top, bottom, colour
            )

    index = 0
    while index < len(rects):
        first, second = rects[index], rects[index + 1] if index + 1 < len(rects) else None
        if second is not None and (_nested(first, second) or _nested(second, first)):
            inner, outer = (first, second) if _nested(first, second) else (second, first)
            add(outer, outer["top"], inner["top"])
            add(outer, inner["bottom"], outer["bottom"])
            index += 2
            continue
        if first["height"] < 3:
            add(first, first["top"], first["bottom"])
        index += 1
    return sorted(found.values(), key=lambda rule: rule.top)
