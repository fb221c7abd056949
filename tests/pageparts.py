"""A built PDF read once into the parts issue 22's checks look at (tests/pagecheck.py).

In: a PDF path. Out: a `Document` — per page its text lines (tests/typemeasure.py's
`TLine`: one size on one baseline, footnote calls inside their line), its rules and
everything drawn inside the 版心 as vertical extents; and, found from the page alone
(sizes, faces, positions, rules), the short texts that wrap: article titles,
subtitles, 本期要目 entries, table header cells, 报尾 rows and source lines, each a
`Block` of the character runs it was printed in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

import pdfplumber

from tests.pdftools import AREA_BOTTOM, AREA_LEFT, AREA_RIGHT, AREA_TOP, Rule, base_font, rules_of
from tests.typemeasure import GRID_LINES, PITCH, TLine, page_lines

Run = tuple[dict, ...]  # the characters of one printed line of a block, left to right
CAPTION = re.compile(r"^(续)?[表图]\d+")
LEADERS = re.compile(r"[.．·…\s]{3,}\d+$")  # a contents entry's dotted leader and page number
LABEL = re.compile(r"^([^：]{1,6})：")
COLOPHON = re.compile(r"^[报送发抄]\S{0,3}：")  # the first row of a 报尾


def run_text(run: Run) -> str:
    """The characters of a run, with a space where the page leaves one (between Latin words, between spans)."""
    text = ""
    for before, char in zip((None, *run), run, strict=False):
        if before is not None and char["x0"] - before["x1"] > 0.25 * char["size"]:
            text += " "
        text += char["text"]
    return text


def is_kai(line: TLine) -> bool:
    return any("WenKai" in font or "Kai" in font for font in line.fonts)


def is_sans(chars: Run | list[dict]) -> bool:
    return all("Sans" in base_font(c["fontname"]) for c in chars)


def centred(line: TLine) -> bool:
    return abs((line.x0 - AREA_LEFT) - (AREA_RIGHT - line.x1)) < 3 and line.x0 - AREA_LEFT > 3


@dataclass(frozen=True)
class Block:
    """A short text as printed: its kind (标题, 副标题, 要目, 表头, 报尾, 来源), page and lines."""

    kind: str
    page: int
    runs: tuple[Run, ...]

    @property
    def lines(self) -> list[str]:
        return [run_text(run) for run in self.runs]

    @property
    def text(self) -> str:
        return "".join(self.lines)


@dataclass(frozen=True)
class Row:
    """One 报尾 row (报/送/发, 责任编辑, 地址) between its rules, with the rules' left and right ends."""

    page: int
    lines: tuple[TLine, ...]
    left: float
    right: float
    top: float  # the rule above
    bottom: float  # the rule below

    @property
    def label(self) -> str:
        found = LABEL.match(self.lines[0].text)
        return found.group(1) if found else ""


@dataclass
class Page:
    number: int
    lines: list[TLine]
    rules: list[Rule]
    segments: list[tuple[float, float, float]]  # horizontal strokes (y, x0, x1): table borders, thin rules
    extents: list[tuple[float, float]] = field(default_factory=list)  # (top, bottom) of all ink in the 版心

    @property
    def grid(self) -> list[TLine]:
        """16 pt lines in the 版心."""
        return [line for line in self.lines if line.size == 16 and AREA_TOP < line.baseline < AREA_BOTTOM]

    def used_slots(self) -> int:
        """How many grid lines, from the top, the page's content reaches down to (footnotes included)."""
        if not self.extents:
            return 0
        lowest = max(bottom for _, bottom in self.extents)
        return min(GRID_LINES, max(0, round((lowest - AREA_TOP) / PITCH + 0.3)))


@dataclass
class Document:
    path: Path
    pages: list[Page]
    subtitles: tuple[str, ...] = ()  # the subtitles the content holds (a subtitle's second line looks like an author)

    @property
    def last(self) -> int:
        return len(self.pages)

    def page(self, number: int) -> Page:
        return self.pages[number - 1]

    def blocks(self) -> list[Block]:
        """Every short text that wraps, in page order."""
        return (
            titles(self)
            + subtitles(self)
            + toc_entries(self)
            + header_cells(self)
            + [Block("报尾", row.page, tuple(_run(line) for line in row.lines)) for row in colophon(self)]
            + source_lines(self)
        )


def _inside(top: float, bottom: float) -> bool:
    return bottom > AREA_TOP - 2 and top < AREA_BOTTOM + 2


def read(path: Path, subtitles: tuple[str, ...] = ()) -> Document:
    """Read every page of the PDF at `path`."""
    pages = []
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            strokes = [seg for seg in page.lines if abs(seg["top"] - seg["bottom"]) < 0.5]
            strokes += [rect for rect in page.rects if rect["height"] < 1.5]
            segments = [(seg["top"], seg["x0"], seg["x1"]) for seg in strokes if seg["x1"] - seg["x0"] > 5]
            extents = [(c["top"], c["bottom"]) for c in page.chars if c["text"].strip()]
            for kind in (page.rects, page.lines, page.curves, page.images):
                extents += [(o["top"], o["bottom"]) for o in kind]
            extents = [(t, b) for t, b in extents if _inside(t, b)]
            pages.append(Page(number, page_lines(page, number), rules_of(page), segments, extents))
    return Document(path, pages, subtitles)


# ---- The short texts that wrap -------------------------------------------------------------------


def _run(line: TLine) -> Run:
    return tuple(line.chars)


def titles(doc: Document) -> list[Block]:
    """Article titles: 22 pt lines one grid line apart."""
    found: list[Block] = []
    for page in doc.pages:
        previous = None
        for line in page.lines:
            if line.size != 22:
                continue
            if previous is not None and abs(line.baseline - previous.baseline - PITCH) < 1:
                found[-1] = Block("标题", page.number, (*found[-1].runs, _run(line)))
            else:
                found.append(Block("标题", page.number, (_run(line),)))
            previous = line
    return found


def subtitles(doc: Document) -> list[Block]:
    """Subtitles: a centred 楷体 line opening with ——, and the lines after it while they spell a known subtitle."""
    found = []
    for page in doc.pages:
        lines = [line for line in page.lines if line.size == 16]
        for index, line in enumerate(lines):
            if not (line.text.startswith("——") and is_kai(line)):
                continue
            runs, text = [_run(line)], line.text
            for after in lines[index + 1 :]:
                joined = text + after.text
                if not (is_kai(after) and any(known.startswith(joined) for known in doc.subtitles)):
                    break
                runs.append(_run(after))
                text = joined
            found.append(Block("副标题", page.number, tuple(runs)))
    return found


def toc_entries(doc: Document) -> list[Block]:
    """本期要目 entries on page 1: lines after the heading up to the one ending in a leader and a page number."""
    lines = doc.page(1).lines
    start = next((i for i, line in enumerate(lines) if line.text == "本期要目"), None)
    if start is None:
        return []
    found, runs = [], []
    for line in lines[start + 1 :]:
        if line.size != 16:
            break
        chars = list(line.chars)
        match = LEADERS.search(line.text)
        if match:
            chars = chars[: match.start()]
        runs.append(tuple(chars))
        if match:
            found.append(Block("要目", 1, tuple(runs)))
            runs = []
    return found


def _columns(chars: list[dict]) -> list[tuple[float, float]]:
    """Column extents: the union of the characters' horizontal extents, merged across small gaps."""
    spans = sorted((c["x0"], c["x1"]) for c in chars)
    merged: list[list[float]] = []
    for x0, x1 in spans:
        if merged and x0 - merged[-1][1] < 3:
            merged[-1][1] = max(merged[-1][1], x1)
        else:
            merged.append([x0, x1])
    return [(a, b) for a, b in merged]


def table_parts(page: Page) -> list[list[TLine]]:
    """The tables (or parts of tables) on a page: runs of 14 pt lines that are no caption, with a border near them
    (the 报尾, 14 pt between rules too, is left out: it opens with a label such as 报：)."""
    parts: list[list[TLine]] = []
    previous = None
    floor = min((line.baseline for line in page.lines if line.size == 14 and COLOPHON.match(line.text)), default=1e9)
    for line in page.lines:
        if not AREA_TOP < line.baseline < min(AREA_BOTTOM, floor - 5) or line.size < 13:
            previous = None
            continue
        if line.size != 14 or CAPTION.match(line.text):
            previous = None
            continue
        if previous is not None and line.baseline - previous.baseline < 30:
            parts[-1].append(line)
        else:
            parts.append([line])
        previous = line
    bordered = []
    for part in parts:
        top, bottom = part[0].baseline - 25, part[-1].baseline + 15
        if any(top <= y <= bottom for y, _, _ in page.segments):
            bordered.append(part)
    return bordered


def header_lines(part: list[TLine]) -> list[TLine]:
    """A table part's header: its 黑体 lines before the first 仿宋 one."""
    header = []
    for line in part:
        if not is_sans(line.chars):
            break
        header.append(line)
    return header


def header_cells(doc: Document) -> list[Block]:
    """Table header cells, each as the runs of its lines (columns found from the header's own characters)."""
    found = []
    for page in doc.pages:
        for part in table_parts(page):
            header = header_lines(part)
            chars = [c for line in header for c in line.chars]
            for x0, x1 in _columns(chars):
                runs = [tuple(c for c in line.chars if x0 - 0.5 <= c["x0"] and c["x1"] <= x1 + 0.5) for line in header]
                found.append(Block("表头", page.number, tuple(run for run in runs if run)))
    return found


def colophon(doc: Document) -> list[Row]:
    """The 报尾's rows: 14 pt lines between two rules, on a page holding a line that opens with 报：/送：/发：."""
    rows = []
    for page in doc.pages:
        starts = [line for line in page.lines if line.size == 14 and COLOPHON.match(line.text)]
        if not starts:
            continue
        rules = [rule for rule in page.rules if rule.top >= starts[0].baseline - 30 and rule.x1 - rule.x0 > 300]
        for above, below in pairwise(rules):
            lines = [line for line in page.lines if line.size == 14 and above.bottom < line.baseline < below.top]
            if lines:
                rows.append(Row(page.number, tuple(lines), above.x0, above.x1, above.top, below.bottom))
    return rows


def source_lines(doc: Document) -> list[Block]:
    """（来源：…） lines, with the lines that continue them up to the closing bracket."""
    found = []
    for page in doc.pages:
        lines = page.grid
        for index, line in enumerate(lines):
            if not line.text.startswith("（来源"):
                continue
            runs = [_run(line)]
            for after in lines[index + 1 : index + 4]:
                if runs and run_text(runs[-1]).endswith("）"):
                    break
                runs.append(_run(after))
            found.append(Block("来源", page.number, tuple(runs)))
    return found
