"""tests/pagecheck.py proved on hand-made pages: each check finds what it should and passes a correct page.

Each page is laid out by WeasyPrint from positioned lines (16 pt grid lines of the
版心, 14 pt table and 报尾 rows), so a test decides exactly where every line breaks
and how wide every mark is drawn (a negative margin squeezes a mark to half width).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from jianbao.pdf.engine import write_pdf
from tests import pagecheck
from tests.conftest import ROOT
from tests.pageparts import Document, read
from tests.typemeasure import PITCH

pytestmark = pytest.mark.slow  # lays out PDFs

FANG, HEI, KAI, SONG = "FandolFang", "Noto Sans CJK SC", "LXGW WenKai", "Noto Serif CJK SC"
HALF = '<span style="margin-right:-8pt">{}</span>'  # a 16 pt mark drawn at half width
STYLE = f"""
@page {{ size: A4; margin: 37mm 26mm 35mm 28mm; }}
body {{ margin: 0; font: 16pt/{PITCH}pt {FANG}; }}
.page {{ position: relative; height: 225mm; break-after: page; }}
.page:last-child {{ break-after: auto; }}
.l {{ position: absolute; left: 0; white-space: pre; }}
.c {{ right: 0; text-align: center; }}
.r {{ right: 0; text-align: right; }}
table {{ border-collapse: collapse; font: 14pt/20pt {FANG}; width: 100%; }}
th {{ font-family: "{HEI}"; font-weight: normal; }}
th, td {{ border: 0.5pt solid black; padding: 3pt; }}
"""


def line(slot: float, text: str, size: int = 16, font: str = FANG, left: float = 0, where: str = "") -> str:
    """A line whose box starts at grid line `slot` (0 is the 版心's first)."""
    style = f"top:{slot * PITCH}pt; left:{left}pt; font-size:{size}pt; font-family:'{font}'"
    if size == 22:
        style += "; font-weight:bold"
    return f'<div class="l {where}" style="{style}">{text}</div>'


def body(slots: range, skip: tuple[int, ...] = ()) -> str:
    """Full lines of body text in `slots`."""
    return "".join(line(s, "全面推进城市更新行动持续提升城市品质和治理水平") for s in slots if s not in skip)


def pages(tmp_path: Path, *html: str, subtitles: tuple[str, ...] = ()) -> Document:
    """Lay out one page per `html` and read the PDF back."""
    sheets = "".join(f'<div class="page">{page}</div>' for page in html)
    source = f'<!DOCTYPE html><html lang="zh-CN"><head><style>{STYLE}</style></head><body>{sheets}</body></html>'
    tmp_path.mkdir(parents=True, exist_ok=True)
    path = tmp_path / "pages.pdf"
    path.write_bytes(write_pdf(source, ROOT, [ROOT]))
    return read(path, subtitles)


def texts(found: list[pagecheck.Violation]) -> list[str]:
    return [str(v) for v in found]


# ---- Requirement 1 -----------------------------------------------------------------------------


def test_titles_broken_inside_a_word_short_and_unbalanced_are_caught(tmp_path: Path) -> None:
    bad = line(0, "AI大模型赋能政务服务的实践探索与风险防", 22, SONG, where="c") + line(1, "范", 22, SONG, where="c")
    good = line(4, "AI大模型赋能基层政务服务", 22, SONG, where="c") + line(
        5, "的实践探索与风险防范研究", 22, SONG, where="c"
    )
    subtitle = line(7, "——兼谈公共数据授权运营中的收益分配机制和数据安全的应用", 16, KAI, where="c")
    subtitle += line(8, "边界", 16, KAI, where="c") + line(9, "市发展研究院", 16, KAI, where="c")
    glued = line(12, "2026年我市5G", 22, SONG, where="c") + line(13, "基站建设与低空经济培育", 22, SONG, where="c")
    doc = pages(
        tmp_path,
        bad + good + subtitle + glued,
        subtitles=("——兼谈公共数据授权运营中的收益分配机制和数据安全的应用边界",),
    )
    words = pagecheck.split_words(doc, ["5G基站"])
    assert [v.figure for v in words] == ["防|范", "5G|基站"]
    assert [v.figure for v in pagecheck.short_title_lines(doc)] == ["范", "边界"]
    assert [v.text.split()[0] for v in pagecheck.unbalanced_titles(doc)] == ["标题", "副标题"]


def test_contents_entries_are_read_up_to_their_page_number(tmp_path: Path) -> None:
    toc = line(8, "本期要目", font=HEI, where="c")
    toc += line(9, "AI大模型赋能基层政务服务的实践探索与风险防范研", left=32)
    toc += line(10, "究" + "." * 50 + "1", left=32)
    toc += line(11, "落实《数据二十条》加快释放公共数据要素价值" + "." * 20 + "2", left=32)
    doc = pages(tmp_path, toc)
    assert [v.figure for v in pagecheck.split_words(doc, [])] == ["研|究"]
    assert [v.figure for v in pagecheck.short_title_lines(doc)] == ["究"]


# ---- Requirement 2 -----------------------------------------------------------------------------


def colophon(top: float, indent: float, names: list[str], hang: float = 28) -> str:
    """A 报尾 at `top` (pt): 报 rows (one per entry of `names`) and an address row, between rules; the rows start
    `indent` pt in from the rules and continue `hang` pt further in (28: after the colon)."""
    rows = "<br>".join(names)
    return (
        f'<div style="position:absolute; top:{top}pt; left:0; right:0; font:14pt/20pt {FANG}; '
        'border-top:1pt solid black; border-bottom:1pt solid black">'
        f'<p style="margin:0; padding:2pt 14pt 2pt {indent + hang}pt; text-indent:-{hang}pt">报：{rows}</p>'
        f'<p style="margin:0; padding:2pt 14pt 2pt {indent}pt; border-top:0.7pt solid black">地址：江州市人民中路</p>'
        "</div>"
    )


def test_colophon_rows_flush_misaligned_or_split_are_caught(tmp_path: Path) -> None:
    bad = colophon(300, 0, ["市委书记、市长、市委副书", "记、市中级人民法院院长。"])
    good = colophon(300, 14, ["市委书记、市长、市委副书记、", "市中级人民法院院长。"])
    doc_bad, doc_good = (
        pages(tmp_path / "bad", body(range(0, 8)) + bad),
        pages(tmp_path / "good", body(range(0, 8)) + good),
    )
    names = ["市委书记", "市长", "市委副书记", "市中级人民法院院长"]
    assert [v.figure for v in pagecheck.colophon_names(doc_bad, names)] == ["市委副书|记"]
    assert pagecheck.colophon_names(doc_good, names) == []
    assert [v.figure for v in pagecheck.colophon_indents(doc_bad)] == [0.0, 0.0]
    assert pagecheck.colophon_indents(doc_good) == []
    assert pagecheck.colophon_hanging(doc_bad) == [] and pagecheck.colophon_hanging(doc_good) == []
    shifted = colophon(300, 14, ["市委书记、市长、市委副书记、", "市中级人民法院院长。"], hang=14)
    assert [v.figure for v in pagecheck.colophon_hanging(pages(tmp_path / "shifted", shifted))] == [-14.0]


def test_a_colophon_alone_after_a_page_with_room_is_caught(tmp_path: Path) -> None:
    alone = colophon(400, 14, ["市委书记。"])
    short = pages(tmp_path / "short", body(range(0, 18)), alone)
    full = pages(tmp_path / "full", body(range(0, 22)), alone)
    assert [v.figure for v in pagecheck.colophon_alone(short)] == [4]
    assert pagecheck.colophon_alone(full) == []
    with_text = pages(tmp_path / "text", body(range(0, 18)), body(range(0, 3)) + alone)
    assert pagecheck.colophon_alone(with_text) == []


def test_a_footnote_below_the_colophon_is_caught(tmp_path: Path) -> None:
    note = line(21, "①全年目标为完成市级重大项目投资。", 12)
    below = pages(tmp_path / "below", body(range(0, 8)) + colophon(450, 14, ["市委书记。"]) + note)
    above = pages(
        tmp_path / "above", body(range(0, 8)) + line(9, "①全年目标。", 12) + colophon(450, 14, ["市委书记。"])
    )
    assert len(pagecheck.notes_below_colophon(below)) == 1
    assert pagecheck.notes_below_colophon(above) == []


# ---- Requirement 3 -----------------------------------------------------------------------------


def test_punctuation_holes_and_squeezed_marks_are_caught(tmp_path: Path) -> None:
    lines = [
        "企业负责人提出，“不是不想投资”后来说",  # a ，“ pair at 2 em
        f"企业负责人提出{HALF.format('，')}“不是不想投资”后来说",  # the pair at 1.5 em
        f"市场还在不在{HALF.format('？')}”这种情绪需要稳定",  # ？ at half width
        f"市场还在不在？{HALF.format('”')}这种情绪需要稳定",  # ？ full, ” half
        f"智能问答{HALF.format('、')}材料预审和工单分派工作",  # a mid-line 、 at half width
        f"试点已经完成{HALF.format('。')}”下一步推广到全市",  # 。 first of a pair: may be half
    ]
    doc = pages(tmp_path, "".join(line(slot, text) for slot, text in enumerate(lines)))
    assert [(v.text, v.figure) for v in pagecheck.pair_holes(doc)] == [("人提出，“不是", 2.0)]
    assert [v.figure for v in pagecheck.squeezed_question_marks(doc)] == [0.5]
    assert [v.text for v in pagecheck.squeezed_midline_marks(doc)] == ["能问答、材料预"]


# ---- Requirement 4 -----------------------------------------------------------------------------


def test_blank_stretches_over_six_lines_are_caught_but_not_on_the_last_page(tmp_path: Path) -> None:
    doc = pages(
        tmp_path, body(range(22), skip=tuple(range(5, 12))), body(range(22), skip=tuple(range(5, 11))), body(range(3))
    )
    assert [(v.page, v.figure) for v in pagecheck.blank_stretches(doc)] == [(1, 7)]


def table(caption: str, rows: int, header: str = "<th>区县</th><th>社会消费品<br>零售总额</th>") -> str:
    head = f"<p style=\"margin:0; font:14pt/20pt '{HEI}'; text-align:center\">{caption}</p>" if caption else ""
    body_rows = "".join(f"<tr><td>江北区</td><td>{100 + n}.5</td></tr>" for n in range(rows))
    grid = f"<table><tr>{header}</tr>{body_rows}</table>"
    return f'<div style="position:absolute; top:0; left:0; right:0">{head}{grid}</div>'


def test_continued_tables_without_xubiao_or_with_one_row_are_caught(tmp_path: Path) -> None:
    doc = pages(tmp_path, table("表1　各区县指标", 3), table("", 1), table("续表1", 2))
    assert [(v.page, v.figure) for v in pagecheck.continued_tables(doc)] == [(2, "续表"), (2, 1)]


# ---- Requirements 5, 6 and 7 -------------------------------------------------------------------


def test_header_cells_with_a_character_alone_are_caught(tmp_path: Path) -> None:
    header = (
        "<th>区县</th><th>社会消费<br>品零售总<br>额</th><th>上市公司数<br>（家）</th><th>社会消费品<br>零售总额</th>"
    )
    doc = pages(tmp_path, table("表1　各区县指标", 3, header))
    assert [v.text for v in pagecheck.header_cell_orphans(doc)] == ["社会消费|品零售总|额"]


def test_lone_last_lines_of_paragraphs_and_sources_are_caught(tmp_path: Path) -> None:
    call = '<span style="font-size:9pt; vertical-align:6pt">②</span>'
    html = line(0, "这是一段话的第一行文字要排满整个版心的宽度才可以", left=32) + line(1, "论。")
    html += line(3, "这是一段话的第一行文字要排满整个版心的宽度才可以", left=32) + line(4, f"条{call}。")
    html += line(6, "这是一段话的第一行文字要排满整个版心的宽度才可以", left=32) + line(7, "结论。")
    html += line(9, "（来源：市工业和信息化局与市统计局根据前三季度监测数据", where="r") + line(10, "整理）", where="r")
    html += line(12, "（来源：市数据局提供）", where="r")
    doc = pages(tmp_path, html)
    assert [v.text for v in pagecheck.lonely_last_lines(doc)] == [
        "论。",
        "条②。",
        "（来源：市工业和信息化局与市统计局根据前三季度监测数据|整理）",
    ]


def test_pages_short_of_22_lines_are_reported_with_their_count(tmp_path: Path) -> None:
    doc = pages(tmp_path, body(range(22)), body(range(19)), body(range(22)), body(range(4)))
    assert [(v.page, v.figure) for v in pagecheck.short_pages(doc)] == [(2, 19)]
