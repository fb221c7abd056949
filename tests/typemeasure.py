"""Typesetting figures measured on a built PDF (issue 13): grid offsets, flush
right, gaps, lines per page, empty grid lines at page feet, title breaks,
table cell orphans and table starts, page-number position.

Every figure is taken from the PDF alone (pdfplumber), never from the HTML.
`python -m tests.typemeasure FILE.pdf…` prints them, for before/after notes.
"""

from __future__ import annotations

import statistics
import sys
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

import pdfplumber

from tests.pdftools import AREA_BOTTOM, AREA_LEFT, AREA_RIGHT, AREA_TOP, MM, PAGE_H, base_font

PITCH = 28.95
GRID_LINES = 22
CLOSING = "，。、；：？！）》」』”’"
BODY_FACE = "FandolFang"


@dataclass
class TLine:
    """The characters of one printed line: those of one size on one baseline,
    with smaller raised characters (footnote calls) that sit in it."""

    page: int
    baseline: float
    size: float
    chars: list[dict] = field(default_factory=list)
    spaces: list[dict] = field(default_factory=list)  # word spaces (between Latin words)

    @property
    def text(self) -> str:
        return "".join(c["text"] for c in self.chars)

    @property
    def x0(self) -> float:
        return self.chars[0]["x0"]

    @property
    def x1(self) -> float:
        return self.chars[-1]["x1"]

    @property
    def fonts(self) -> set[str]:
        return {base_font(c["fontname"]) for c in self.chars}

    @property
    def main_chars(self) -> list[dict]:
        return [c for c in self.chars if round(c["size"], 1) == self.size]


def _baseline(char: dict) -> float:
    return PAGE_H - char["matrix"][5]


def page_lines(page, number: int) -> list[TLine]:
    """The lines of one page, top to bottom (16 pt and other sizes alike)."""
    rows: dict[tuple[float, float], TLine] = {}
    small, spaces = [], []
    for char in page.chars:
        if not char["text"].strip():
            spaces.append(char)
            continue
        size = round(char["size"], 1)
        if size <= 10.5:
            small.append(char)
            continue
        key = (round(_baseline(char), 0), size)
        rows.setdefault(key, TLine(number, _baseline(char), size)).chars.append(char)
    lines = sorted(rows.values(), key=lambda line: (line.baseline, line.chars[0]["x0"]))
    for char in small:  # a raised call belongs to the line whose baseline is just below it
        host = [line for line in lines if 0 <= line.baseline - _baseline(char) <= 10 and line.size >= 14]
        if host:
            host[0].chars.append(char)
    for line in lines:
        line.chars.sort(key=lambda c: c["x0"])
    for char in spaces:
        key = (round(_baseline(char), 0), round(char["size"], 1))
        if key in rows:
            rows[key].spaces.append(char)
    # Lines of one size whose baselines differ by a rounding hair are one line.
    return lines


def all_lines(pdf: pdfplumber.PDF) -> list[TLine]:
    return [line for number, page in enumerate(pdf.pages, 1) for line in page_lines(page, number)]


def masthead_end(lines: list[TLine]) -> float:
    """The y below which page 1's body (contents, articles) starts: 8 grid lines."""
    return AREA_TOP + 8 * PITCH - 2


def grid_lines(lines: list[TLine]) -> list[TLine]:
    """The 16 pt lines in the 版心, the masthead left out."""
    return [
        line
        for line in lines
        if line.size == 16
        and AREA_TOP < line.baseline < AREA_BOTTOM
        and not (line.page == 1 and line.baseline < masthead_end(lines))
    ]


def _residue(value: float) -> float:
    return (value - AREA_TOP) % PITCH


def body_offset(lines: list[TLine]) -> float:
    """Where the body face's baseline sits in a grid line (pt below the line's top)."""
    found = [_residue(line.baseline) for line in grid_lines(lines) if line.fonts == {BODY_FACE}]
    return statistics.median(found)


def grid_offsets(lines: list[TLine]) -> list[tuple[TLine, float]]:
    """Each 16 pt line with its baseline's distance from the nearest grid baseline."""
    target = body_offset(lines)
    result = []
    for line in grid_lines(lines):
        off = _residue(line.baseline) - target
        off = (off + PITCH / 2) % PITCH - PITCH / 2
        result.append((line, off))
    return result


def right_edge_error(line: TLine) -> float:
    """Distance of the line's last glyph edge from the 版心's right edge (a closing
    mark at a line end may be half-width, so its left half counts)."""
    chars = line.main_chars
    last = chars[-1]
    full = last["x1"] - AREA_RIGHT
    if last["text"] in CLOSING:
        return min(full, last["x0"] + last["size"] / 2 - AREA_RIGHT, key=abs)
    return full


def non_final_lines(lines: list[TLine]) -> list[TLine]:
    """16 pt lines followed by a continuation line (one starting at the 版心's left edge)."""
    grid = grid_lines(lines)
    result = []
    for line, after in pairwise(grid):
        if abs(after.main_chars[0]["x0"] - AREA_LEFT) < 1 and after.page - line.page <= 1:
            result.append(line)
    return result


def usual_gap(lines: list[TLine]) -> float:
    """The gap between two characters of unstretched 16 pt text (letter-spacing −0.013 em)."""
    gaps = [b["x0"] - a["x1"] for line in lines for a, b in pairwise(line.main_chars)]
    return statistics.median(gaps)


def extra_gaps(line: TLine, usual: float) -> float:
    """The largest gap between two characters of `line` beyond `usual`."""
    chars = line.main_chars
    gaps = [b["x0"] - a["x1"] for a, b in pairwise(chars)]
    if not gaps:
        return 0.0
    # A raised call or a word space sits in a gap of its own: measure the gap less its width
    # (a space's own advance: a stretch given to it shows as a gap).
    calls = [c for c in line.chars if round(c["size"], 1) != line.size]
    calls += line.spaces
    extras = []
    for a, b, gap in zip(chars, chars[1:], gaps, strict=False):
        inside = sum(c["x1"] - c["x0"] for c in calls if a["x1"] - 1 <= c["x0"] and c["x1"] <= b["x0"] + 1)
        extras.append(gap - inside - usual)
    return max(extras)


def pages_of(pdf: pdfplumber.PDF) -> int:
    return len(pdf.pages)


def article_last_pages(lines: list[TLine], page_count: int) -> set[int]:
    """Pages an article ends on: the issue's last page and each page before one that opens with a title."""
    ends = {page_count}
    for page in range(2, page_count + 1):
        first = next((line for line in lines if line.page == page and AREA_TOP < line.baseline < AREA_BOTTOM), None)
        if first is not None and first.size == 22:
            ends.add(page - 1)
    # A page where a title starts below the top ends the article before it.
    return ends


def used_slots(pdf: pdfplumber.PDF, page_number: int) -> int:
    """How many grid lines, from the top, a page's flow and footnotes reach down to."""
    page = pdf.pages[page_number - 1]
    bottoms = [c["bottom"] for c in page.chars if c["bottom"] < AREA_BOTTOM + 2 and c["top"] > AREA_TOP - 2]
    bottoms += [r["bottom"] for r in page.rects if AREA_TOP - 2 < r["bottom"] < AREA_BOTTOM + 2]
    if not bottoms:
        return 0
    lowest = max(bottoms)
    return min(GRID_LINES, max(0, round((lowest - AREA_TOP) / PITCH + 0.3)))


def empty_at_feet(pdf: pdfplumber.PDF, lines: list[TLine]) -> dict[int, int]:
    """Empty grid lines at the foot of each page that is not an article's last."""
    last = article_last_pages(lines, len(pdf.pages))
    return {n: GRID_LINES - used_slots(pdf, n) for n in range(1, len(pdf.pages) + 1) if n not in last}


def body_slots(lines: list[TLine], page: int) -> int:
    """Grid lines of a page holding 16 pt text."""
    return len({round((line.baseline - AREA_TOP) / PITCH - 0.5) for line in grid_lines(lines) if line.page == page})


def titles(lines: list[TLine]) -> list[list[TLine]]:
    """Article titles (22 pt), as their lines."""
    result: list[list[TLine]] = []
    previous = None
    for line in lines:
        if line.size != 22:
            continue
        if previous is not None and previous.page == line.page and abs(line.baseline - previous.baseline - PITCH) < 1:
            result[-1].append(line)
        else:
            result.append([line])
        previous = line
    return result


def title_breaks(title: list[TLine]) -> tuple[str, list[int]]:
    """A title's text and the character offsets where its lines break."""
    text, breaks = "", []
    for line in title:
        text += line.text
        breaks.append(len(text))
    return text, breaks[:-1]


def table_cell_orphans(lines: list[TLine]) -> list[tuple[int, str]]:
    """Table cells (14 pt 仿宋/黑体 text in 20 pt lines) whose last line is one character."""
    found = []
    cells = [line for line in lines if line.size == 14 and AREA_TOP < line.baseline < AREA_BOTTOM]
    clusters: list[tuple[TLine, list[dict]]] = []
    for line in cells:
        run: list[dict] = []
        for char in line.chars:
            if run and char["x0"] - run[-1]["x1"] > 5:
                clusters.append((line, run))
                run = []
            run.append(char)
        if run:
            clusters.append((line, run))
    for line, run in clusters:
        text = "".join(c["text"] for c in run)
        if len(text) != 1 or text in "—-0123456789":
            continue
        above = [
            (other, r)
            for other, r in clusters
            if other.page == line.page
            and abs(line.baseline - other.baseline - 20) < 0.6
            and r[0]["x0"] < run[-1]["x1"]
            and run[0]["x0"] < r[-1]["x1"]
        ]
        if above:
            found.append((line.page, "".join(c["text"] for c in above[0][1]) + "|" + text))
    return found


def table_starts(pdf: pdfplumber.PDF, lines: list[TLine]) -> list[tuple[int, str, int]]:
    """For each table caption (表N …): its page and how many rows (header included) follow it there."""
    result = []
    for caption in lines:
        if caption.size != 14 or not caption.text.startswith("表") or not caption.text[1:2].isdigit():
            continue
        below = sorted(
            line.baseline
            for line in lines
            if line.page == caption.page and line.size == 14 and caption.baseline < line.baseline < AREA_BOTTOM
        )
        rows, previous = 0, None
        for baseline in below:
            if previous is None or baseline - previous > 21:
                rows += 1
            previous = baseline
        result.append((caption.page, caption.text[:3], rows))
    return result


def lonely_page_tops(lines: list[TLine]) -> list[tuple[int, str]]:
    """Pages (after the first) whose first 16 pt line is a source line, or a
    paragraph's last line when the paragraph is the article's last."""
    found = []
    pages = sorted({line.page for line in lines})
    for page in pages[1:]:
        flow = [line for line in grid_lines(lines) if line.page == page]
        if not flow:
            continue
        first = flow[0]
        source = first.text.startswith("（来源")
        closing = (len(flow) == 1 or flow[1].text.startswith("（来源")) and abs(first.x0 - AREA_LEFT) < 1
        if source or closing:
            found.append((page, first.text))
    return found


def dash_ink_below_area(pdf: pdfplumber.PDF) -> list[float]:
    """Per page, mm from the 版心's bottom to the top of the page number's dash ink."""
    from fontTools.ttLib import TTFont

    result = []
    for page in pdf.pages:
        dashes = [c for c in page.chars if c["text"] == "—" and c["top"] > AREA_BOTTOM]
        if not dashes:
            continue
        dash = dashes[0]
        top = ink_top(dash, TTFont)
        result.append((top - AREA_BOTTOM) / MM)
    return result


_INK: dict[str, float] = {}


def ink_top(char: dict, ttfont) -> float:
    """The top of a dash's ink, from its font's glyph bounds (found through fontconfig)."""
    import subprocess

    name = base_font(char["fontname"])
    if name not in _INK:
        family = name.split("-")[0] + " " + name.split("-")[1] if "-" in name else name
        path = subprocess.run(
            ["fc-match", "-f", "%{file}", family], capture_output=True, text=True, check=True
        ).stdout.strip()
        font = ttfont(path)
        glyph = font.getBestCmap()[ord("—")]
        glyf = font["glyf"][glyph]
        _INK[name] = glyf.yMax / font["head"].unitsPerEm
    return _baseline(char) - _INK[name] * char["size"]


def figures(path: Path) -> dict[str, object]:
    """Every figure of one PDF, for a before/after note."""
    try:
        from jianbao.text.words import word_boundaries
    except ImportError:  # before the segmenter existed

        def word_boundaries(text: str) -> set[int]:
            return set(range(len(text) + 1))

    with pdfplumber.open(path) as pdf:
        lines = all_lines(pdf)
        offsets = grid_offsets(lines)
        off_grid = [(line, off) for line, off in offsets if abs(off) > 0.5]
        flush = [right_edge_error(line) for line in non_final_lines(lines)]
        usual = usual_gap(grid_lines(lines))
        gaps = [extra_gaps(line, usual) for line in non_final_lines(lines)]
        ragged = [
            (line.page, line.text[-10:], round(right_edge_error(line), 1))
            for line in non_final_lines(lines)
            if abs(right_edge_error(line)) > 0.5
        ]
        spread = [
            (line.page, line.text[:10], round(extra_gaps(line, usual), 1))
            for line in non_final_lines(lines)
            if extra_gaps(line, usual) > 1
        ]
        spread_count = len(spread)
        feet = empty_at_feet(pdf, lines)
        count = len(pdf.pages)
        last = article_last_pages(lines, count)
        full = {n: body_slots(lines, n) for n in range(2, count + 1) if n not in last}
        inside = []
        for title in titles(lines):
            text, breaks = title_breaks(title)
            bounds = word_boundaries(text)
            inside += [text[:b] + "|" + text[b:] for b in breaks if b not in bounds]
        return {
            "pages": count,
            "16pt lines": len(offsets),
            "off grid >0.5pt": f"{len(off_grid)} ({100 * len(off_grid) / max(1, len(offsets)):.1f}%)",
            "max grid offset pt": round(max((abs(o) for _, o in offsets), default=0), 2),
            "off-grid examples": [(line.page, line.text[:12], round(off, 1)) for line, off in off_grid[:6]],
            "non-final lines": len(flush),
            "not flush >0.5pt": sum(abs(e) > 0.5 for e in flush),
            "worst flush pt": round(max(flush, key=abs, default=0), 2),
            "ragged lines": ragged,
            "spread lines": spread[:8],
            "lines extra gap >1pt": f"{spread_count} ({100 * spread_count / max(1, len(gaps)):.1f}%)",
            "max extra gap pt": round(max(gaps, default=0), 2),
            "body slots per full page": full,
            "empty grid lines at feet (non-last pages)": {k: v for k, v in feet.items() if v},
            "first title on page": titles(lines)[0][0].page if titles(lines) else None,
            "title lines": ["|".join(line.text for line in title) for title in titles(lines)],
            "title breaks inside words": inside,
            "table cell orphans": table_cell_orphans(lines),
            "table starts (page, table, rows there)": table_starts(pdf, lines),
            "lonely lines at page tops": lonely_page_tops(lines),
            "page-number dash ink below 版心 mm": sorted({round(v, 2) for v in dash_ink_below_area(pdf)}),
        }


if __name__ == "__main__":
    for name in sys.argv[1:]:
        print(name)
        for key, value in figures(Path(name)).items():
            print(f"  {key}: {value}")
