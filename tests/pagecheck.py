"""Issue 22's requirements measured on a built PDF, one function per requirement.

In: a `Document` (tests/pageparts.py reads the PDF with pdfplumber) and, where a
rule needs it, the words that must stay whole. Out: the list of `Violation`s
(page, text, figure) — empty when the pages keep the rule, so a test asserts it
empty and a note counts it. Nothing is taken from the HTML or from jianbao's own
code: word boundaries come from ICU directly (icu4py), the rest from positions.

`python -m tests.pagecheck [--content DIR] FILE.pdf…` prints the counts and examples.
"""

from __future__ import annotations

import re
import statistics
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from tests.pageparts import COLOPHON, Block, Document, colophon, header_cells, read, source_lines, table_parts
from tests.pagewords import breaks_inside, corpus_words
from tests.pdftools import AREA_BOTTOM, AREA_LEFT, AREA_TOP
from tests.typemeasure import GRID_LINES, PITCH

MARKS = "，。、；：？！）》」』”’〕】（《「『“‘〔【"  # full-width marks that take half their width or all of it
MIDLINE = "，、。；："
HOLE = 1.5  # em: the most a pair of adjacent marks may take
SQUEEZED_MIDLINE = 0.75  # em: a mid-line ，、。；： narrower than this reads as a half-width mark
FULL = 0.9  # em: ？ and ！ narrower than this collide with what follows
MAX_BLANK = 6  # grid lines
UNIT = re.compile(r"^（[^（）]+）$")  # （亿元）, （%）: a unit on a line of its own is no lone character
COUNTED = re.compile(r"[\u3400-\u9fffA-Za-z0-9]")  # what counts as a character (not calls ①, not punctuation)


@dataclass(frozen=True)
class Violation:
    page: int
    text: str
    figure: object

    def __str__(self) -> str:
        return f"p{self.page} {self.text} ({self.figure})"


# ---- Requirement 1: words kept whole, short and unbalanced title lines ----------------------------


def _excerpt(block: Block, cut: str) -> str:
    """The block's text around a bad break, for a message."""
    joined = "|".join(block.lines)
    at = joined.find(cut)
    return joined if len(joined) <= 40 or at < 0 else "…" + joined[max(0, at - 10) : at + len(cut) + 10] + "…"


def split_words(doc: Document, words: Iterable[str], kinds: str = "标题副标题要目表头来源") -> list[Violation]:
    """Req. 1, 5: titles, subtitles, contents entries, header cells and source lines broken inside a word."""
    words = tuple(words)
    return [
        Violation(block.page, f"{block.kind} {_excerpt(block, cut)}", cut)
        for block in doc.blocks()
        if block.kind in kinds
        for cut in breaks_inside(block, words)
    ]


def counted(text: str) -> int:
    return len(COUNTED.findall(text))


def short_title_lines(doc: Document) -> list[Violation]:
    """Req. 1: title, subtitle and contents-entry lines holding one or two characters."""
    return [
        Violation(block.page, f"{block.kind} {'|'.join(block.lines)}", line)
        for block in doc.blocks()
        if block.kind in ("标题", "副标题", "要目") and len(block.runs) > 1
        for line in block.lines
        if counted(line) <= 2
    ]


def unbalanced_titles(doc: Document, least: float = 0.6) -> list[Violation]:
    """Req. 1: titles and subtitles whose shortest line is under `least` of the longest (GB/T 9704: 排列对称,
    长短适宜, with no number): 0.6 lets a 28-character title keep its quoted terms whole (17 | 11 characters)."""
    found = []
    for block in doc.blocks():
        if block.kind not in ("标题", "副标题") or len(block.runs) < 2:
            continue
        widths = [run[-1]["x1"] - run[0]["x0"] for run in block.runs]
        if min(widths) < least * max(widths):
            found.append(
                Violation(block.page, f"{block.kind} {'|'.join(block.lines)}", round(min(widths) / max(widths), 2))
            )
    return found


# ---- 报尾 --------------------------------------------------------------------------------------


def colophon_names(doc: Document, words: Iterable[str]) -> list[Violation]:
    """Req. 2: 报尾 rows broken inside a name, a phone number or （传真）."""
    return split_words(doc, words, kinds="报尾")


def colophon_indents(doc: Document) -> list[Violation]:
    """Req. 2: 报尾 rows not one character (of the row's own size) in from the rules, left and right."""
    found = []
    for row in colophon(doc):
        first = row.lines[0]
        indent = first.x0 - row.left
        if abs(indent - first.size) > 1:
            found.append(Violation(row.page, f"左 {first.text[:12]}", round(indent, 1)))
        for line in row.lines:
            gap = row.right - line.x1
            if gap < line.size - 1:
                found.append(Violation(row.page, f"右 {line.text[-12:]}", round(gap, 1)))
    return found


def colophon_hanging(doc: Document) -> list[Violation]:
    """Req. 2: 报/送/发 continuation lines not aligned after the colon."""
    found = []
    for row in colophon(doc):
        first = row.lines[0]
        if not COLOPHON.match(first.text) or len(row.lines) < 2:
            continue
        colon = first.text.index("：")
        expected = first.chars[colon + 1]["x0"]
        for line in row.lines[1:]:
            if abs(line.x0 - expected) > 1:
                found.append(Violation(row.page, f"{row.label}： {line.text[:10]}", round(line.x0 - expected, 1)))
    return found


def colophon_alone(doc: Document, room: int = 2) -> list[Violation]:
    """Req. 2: a 报尾 alone on its page (no body line above it) while the page before has `room` empty grid lines."""
    found = []
    for row in colophon(doc)[:1]:
        page = doc.page(row.page)
        body = [line for line in page.grid if line.baseline < row.top]
        if body or row.page == 1:
            continue
        empty = GRID_LINES - doc.page(row.page - 1).used_slots()
        if empty >= room:
            found.append(Violation(row.page, f"报尾独占一页，上一页末尾空 {empty} 行", empty))
    return found


def notes_below_colophon(doc: Document) -> list[Violation]:
    """Req. 2: footnotes (text under 14 pt) printed below the 报尾's bottom rule."""
    rows = colophon(doc)
    if not rows:
        return []
    bottom, page = rows[-1].bottom, doc.page(rows[-1].page)
    return [
        Violation(page.number, line.text[:20], round(line.baseline - bottom, 1))
        for line in page.lines
        if line.size < 14 and line.baseline > bottom and line.baseline < AREA_BOTTOM + 2
    ]


# ---- Punctuation -------------------------------------------------------------------------------


def _runs(chars: tuple[dict, ...] | list[dict]) -> list[list[dict]]:
    """A line's characters cut where the page leaves more than half an em between two glyph boxes (table cells
    side by side, the spans of a 报尾 row)."""
    runs: list[list[dict]] = []
    for char in chars:
        if runs and char["x0"] - runs[-1][-1]["x1"] > 0.5 * char["size"]:
            runs.append([])
        if not runs:
            runs.append([])
        runs[-1].append(char)
    return runs


def _is_han(char: dict) -> bool:
    return "\u3400" <= char["text"] <= "\u9fff"


def _advances(doc: Document) -> Iterable[tuple[int, list[dict], list[float]]]:
    """Per run of characters in lines of 14 pt and up in the 版心: page, characters, and each character's advance
    (to the next character) in em, less the run's tracking (letter-spacing and justification)."""
    for page in doc.pages:
        for line in page.lines:
            if line.size < 14 or not AREA_TOP < line.baseline < AREA_BOTTOM:
                continue
            for chars in _runs(line.chars):
                steps = [b["x0"] - a["x0"] for a, b in pairwise(chars)]
                han = [s for s, a, b in zip(steps, chars, chars[1:], strict=False) if _is_han(a) and _is_han(b)]
                track = statistics.median(han) - line.size if han else 0.0
                yield page.number, chars, [(s - track) / line.size for s in steps]


def _context(chars: list[dict], index: int) -> str:
    """The characters around `index`, for a message."""
    return "".join(c["text"] for c in chars[max(0, index - 3) : index + 4])


def pair_holes(doc: Document) -> list[Violation]:
    """Req. 3: two adjacent full-width marks (not at a line's end) taking more than 1.5 em together."""
    found = []
    for page, chars, ems in _advances(doc):
        for i in range(len(ems) - 1):
            if chars[i]["text"] in MARKS and chars[i + 1]["text"] in MARKS and ems[i] + ems[i + 1] > HOLE + 0.1:
                found.append(Violation(page, _context(chars, i), round(ems[i] + ems[i + 1], 2)))
    return found


def squeezed_question_marks(doc: Document) -> list[Violation]:
    """Req. 3: ？ or ！ drawn at less than a full em (so it collides with ” or ） after it)."""
    found = []
    for page, chars, ems in _advances(doc):
        for i, em in enumerate(ems):
            if chars[i]["text"] in "？！" and em < FULL:
                found.append(Violation(page, _context(chars, i), round(em, 2)))
    return found


def squeezed_midline_marks(doc: Document) -> list[Violation]:
    """Req. 3: a mid-line ，、。；： drawn at half width though no mark follows it (it is not the first of a pair)."""
    found = []
    for page, chars, ems in _advances(doc):
        for i, em in enumerate(ems):
            mark, after = chars[i]["text"], chars[i + 1]["text"]
            if mark in MIDLINE and after not in MARKS and em < SQUEEZED_MIDLINE:
                found.append(Violation(page, _context(chars, i), round(em, 2)))
    return found


# ---- Blank stretches and continued tables ------------------------------------------------------


def blank_stretches(doc: Document) -> list[Violation]:
    """Req. 4: more than 6 empty grid lines in a row on any page but the issue's last."""
    found = []
    for page in doc.pages[:-1]:
        extents = sorted(page.extents)
        reach, gaps = AREA_TOP, []
        for top, bottom in extents:
            if top > reach:
                gaps.append((reach, top))
            reach = max(reach, bottom)
        gaps.append((reach, AREA_BOTTOM))
        for top, bottom in gaps:
            empty = int((bottom - top + 2) // PITCH)
            if empty > MAX_BLANK:
                slot = round((top - AREA_TOP) / PITCH)
                found.append(Violation(page.number, f"第 {slot + 1} 行起空白", empty))
    return found


def continued_tables(doc: Document, least: int = 2) -> list[Violation]:
    """Req. 4: a table part on a page without a 表N caption above it and without 续表N; a table part whose
    header is followed by fewer than `least` body rows."""
    found = []
    for page in doc.pages:
        for part in table_parts(page):
            above = [line for line in page.lines if line.baseline < part[0].baseline - 1 and line.size > 10.5]
            caption = above[-1].text if above and re.match(r"^(续)?表\d", above[-1].text) else ""
            if not caption:
                found.append(Violation(page.number, f"续表无“续表N” {part[0].text[:12]}", "续表"))
            header = [line for line in part if line.chars and all("Sans" in c["fontname"] for c in line.chars)]
            rows, previous = 0, None
            for line in part[len(header) :]:
                if previous is None or line.baseline - previous > 21:
                    rows += 1
                previous = line.baseline
            if header and rows < least:
                found.append(Violation(page.number, f"{caption or '续表'} 表头下只有 {rows} 行", rows))
    return found


# ---- One character alone -----------------------------------------------------------------------


def header_cell_orphans(doc: Document) -> list[Violation]:
    """Req. 5: table header cells with a line holding one character (a unit in brackets, （亿元）, may stand alone)."""
    return [
        Violation(block.page, "|".join(block.lines), line)
        for block in header_cells(doc)
        if len(block.runs) > 1
        for line in block.lines
        if counted(line) <= 1 and not UNIT.match(line)
    ]


def lonely_last_lines(doc: Document) -> list[Violation]:
    """Req. 6: paragraphs and list items (16 pt lines at the left edge that continue a line) whose last line holds
    one character, source lines whose last line holds one or two; footnote calls and punctuation don't count."""
    found = []
    for page in doc.pages:
        for line in page.grid:
            text = "".join(c["text"] for c in line.main_chars)
            if abs(line.x0 - AREA_LEFT) < 1 and counted(text) <= 1:
                found.append(Violation(page.number, line.text, counted(text)))
    for block in source_lines(doc):  # the issue's own example: a source line leaving 整理） alone
        if len(block.runs) > 1 and counted(block.lines[-1]) <= 2:
            found.append(Violation(block.page, "|".join(block.lines), block.lines[-1]))
    return found


# ---- Lines per page ----------------------------------------------------------------------------


def short_pages(doc: Document) -> list[Violation]:
    """Req. 7: pages (all but the issue's last) whose content reaches fewer than 22 grid lines down."""
    return [
        Violation(page.number, f"{page.used_slots()} 行", page.used_slots())
        for page in doc.pages[:-1]
        if page.used_slots() < GRID_LINES
    ]


# ---- The corpus's words and a report -----------------------------------------------------------


CHECKS: dict[str, Callable[..., list[Violation]]] = {
    "1 词被拆开（标题、副标题、要目、表头、来源）": split_words,
    "1 标题行只有一两个字": short_title_lines,
    "1 标题各行长短不匀": unbalanced_titles,
    "2 报尾名称被拆开": colophon_names,
    "2 报尾各行未左右各空一字": colophon_indents,
    "2 报尾转行未与冒号后对齐": colophon_hanging,
    "2 报尾独占一页": colophon_alone,
    "2 注释排在报尾下面": notes_below_colophon,
    "3 相邻标点合占超过1.5字": pair_holes,
    "3 ？！不足一字宽": squeezed_question_marks,
    "3 句中标点挤成半字": squeezed_midline_marks,
    "4 空白超过6行": blank_stretches,
    "4 续表无“续表N”或表头下不足两行": continued_tables,
    "5 表头单元格有一行只有一个字": header_cell_orphans,
    "6 段落、列表项、来源末行只有一个字": lonely_last_lines,
    "7 不足22行的页": short_pages,
}


GLOSSARY = "1 术语表里的词被拆开"


def glossary_only(doc: Document, words: list[str], glossary: list[str]) -> list[Violation]:
    """Req. 1: the breaks inside a glossary term (a `glossary` word not in `words`) that `words` alone allows."""
    plain = {(v.page, v.text) for v in split_words(doc, words)}
    return [v for v in split_words(doc, glossary) if (v.page, v.text) not in plain]


def measure(path: Path, content: Path | None = None) -> dict[str, list[Violation]]:
    """Every check of issue 22 on one PDF; the words that must stay whole come from `content` when the PDF is
    one of its issues (named by the issue id)."""
    issue = path.stem
    words: list[str] = []
    glossary: list[str] = []
    subtitles: tuple[str, ...] = ()
    if content is not None and (content / "issues" / issue).exists():
        words, subtitles = corpus_words(content, issue, glossary=False)
        glossary, _ = corpus_words(content, issue)
    doc = read(path, subtitles)
    found = {
        name: check(doc, words) if check in (split_words, colophon_names) else check(doc)
        for name, check in CHECKS.items()
    }
    found[GLOSSARY] = glossary_only(doc, words, glossary)
    return found


def main(argv: list[str]) -> None:
    content = Path("tests/fixtures/typeset/content")
    if argv[:1] == ["--content"]:
        content, argv = Path(argv[1]), argv[2:]
    for name in argv:
        print(name)
        for check, found in measure(Path(name), content).items():
            print(f"  {check}: {len(found)}" + ("  " + "；".join(str(v) for v in found[:5]) if found else ""))


if __name__ == "__main__":
    main(sys.argv[1:])
