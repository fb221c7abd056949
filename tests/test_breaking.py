"""The line-breaking service (jianbao/text/): words kept whole, units the text marks, balanced titles, rows of
names, and the advice `check` gives when a title cannot be cut between words."""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise
from pathlib import Path

import pytest

from jianbao.text.breaking import (
    balanced_lines,
    break_points,
    keep_names,
    keep_words,
    name_lines,
    squeezed_marks,
    title_advice,
    title_words,
)
from jianbao.text.chars import WJ, ZWSP
from tests.conftest import MINIMAL_BULLETIN
from tests.test_hostile import run_cli


def pieces(text: str, glossary: tuple[str, ...] = ()) -> list[str]:
    """`text` cut at every place a line may break."""
    cuts = [0, *break_points(text, glossary), len(text)]
    return [text[a:b] for a, b in pairwise(cuts)]


@pytest.mark.parametrize(
    ("text", "whole"),
    [
        ("AI大模型赋能政务服务", ["AI大模型", "赋能"]),  # a Latin run with its word; lone characters glued back
        ("低空经济新增长极", ["新增长极"]),
        ("前三季度新建5G基站2140个", ["5G基站"]),
        ("2026年经济运行分析", ["2026年"]),
        ("畅通“工业品下乡”和“农产品进城”", ["“工业品下乡”", "“农产品进城”"]),  # quoted terms up to 8
        ("落实《数据二十条》加快释放", ["《数据二十条》"]),
        ("以工业互联网推动县域制造业数智化转型", ["制造业", "数智化"]),
        ("市人民检察院检察长、市中级人民法院院长", ["检察院", "检察长", "人民法院"]),
    ],
)
def test_words_and_units_stay_whole(text: str, whole: list[str]) -> None:
    found = pieces(text)
    for word in whole:
        start = text.index(word)
        assert not any(start < cut < start + len(word) for cut in break_points(text)), (word, found)


def test_a_glossary_term_stays_whole_and_only_with_the_glossary() -> None:
    text = "培育低空经济新增长极"
    assert any(3 < cut < 6 for cut in break_points(text))  # ICU cuts 低空|经济
    assert not any(2 < cut < 6 for cut in break_points(text, ("低空经济",)))


def test_a_line_never_starts_with_a_particle_or_a_closing_mark() -> None:
    text = "深化政务服务的实践探索，提升效能"
    for cut in break_points(text):
        assert text[cut] not in "的地得，。"


@pytest.mark.parametrize(
    ("title", "lines"),
    [
        ("以数据要素市场化配置改革赋能城市高质量发展", ["以数据要素市场化配置改革", "赋能城市高质量发展"]),
        # Two lines of 17 and 11 cannot be even: a third line evens them (梯形 / 菱形, GB/T 9704).
        (
            "畅通“工业品下乡”和“农产品进城”双向流通渠道的对策建议",
            ["畅通“工业品下乡”", "和“农产品进城”双向", "流通渠道的对策建议"],
        ),
        ("AI大模型赋能基层政务服务的实践探索与风险防范研究", ["AI大模型赋能基层政务服务的", "实践探索与风险防范研究"]),
    ],
)
def test_titles_are_balanced_between_words(title: str, lines: list[str]) -> None:
    assert balanced_lines(title, 20.1) == lines


def test_real_widths_count_latin_letters() -> None:
    """Counted as half an em each, "AI" lets this title fit one line; at the face's own widths it does not."""
    title = "AI大模型赋能政务服务的实践探索与风险防范"
    assert balanced_lines(title, 20.1) == [title]
    wide_latin = {"A": 0.75, "I": 0.43}
    lines = balanced_lines(title, 20.1, lambda char: wide_latin.get(char, 1.0))
    assert len(lines) == 2 and all(len(line) >= 3 for line in lines)


def test_no_title_line_of_one_or_two_characters() -> None:
    lines = balanced_lines("关于二〇二六年经济运行情况和下半年工作安排的汇报材料说明", 20)
    assert all(len(line) >= 3 for line in lines)


UNEVEN = "关于长江三角洲区域一体化发展示范区建设的实施意见"  # with the 17-character term kept whole
TERM = ("长江三角洲区域一体化发展示范区建设",)


def test_advice_for_a_title_with_no_even_cut_between_words() -> None:
    assert title_advice(UNEVEN, 20.1, glossary=TERM) is not None
    assert title_advice(UNEVEN, 20.1) is None  # without the glossary, ICU's words cut it evenly
    assert title_advice("以数据要素市场化配置改革赋能城市高质量发展", 20.1) is None


def test_short_texts_get_joiners_inside_words_and_breaks_between() -> None:
    text = keep_words("社会消费品零售总额")
    assert text.replace(WJ, "").replace(ZWSP, "") == "社会消费品零售总额"
    assert text.split(ZWSP) == [WJ.join("社会"), WJ.join("消费品"), WJ.join("零售"), WJ.join("总额")]
    assert ZWSP not in keep_words("改造\u2060覆盖率")  # a joiner already there keeps its place


def test_rows_of_names_break_only_after_a_name() -> None:
    row = keep_names("市委书记、市中级人民法院院长；市数据局。联系电话：0523-86123456 0523-86123457（传真）")
    parts = [part.replace(WJ, "") for part in row.replace(" ", ZWSP).split(ZWSP)]
    assert parts == [
        "市委书记、",
        "市中级人民法院院长；",
        "市数据局。联系电话：",
        "0523-86123456",
        "0523-86123457（传真）",
    ]


def test_rows_of_names_cut_into_lines_end_each_line_after_a_name() -> None:
    row = "市委书记、市长、市人大常委会主任、市政协主席、市委副书记。"
    assert name_lines(row, 12) == ["市委书记、市长、", "市人大常委会主任、", "市政协主席、市委副书记。"]
    assert name_lines(row, 40) == [row]
    assert name_lines("市中级人民法院院长", 4) == ["市中级人", "民法院院", "长"]  # longer than a line: cut anyway
    assert name_lines("电话 0523-86123456 0523-86123457", 10) == ["电话0523-86123456", "0523-86123457"]


@pytest.mark.parametrize(
    ("text", "halved"),
    [("。”", "。"), ("，“", "，"), ("吗？”他", "”"), ("对！）", "）"), ("。”）", "。”")],
)
def test_pairs_of_marks_take_one_and_a_half_em_and_centred_marks_keep_theirs(text: str, halved: str) -> None:
    assert "".join(text[i] for i in squeezed_marks(text)) == halved


def test_web_title_words() -> None:
    assert title_words("短标题") == ("短标题",)
    assert (
        "".join(title_words("以“人工智能+”行动推动制造业智能化改造提速增效"))
        == "以“人工智能+”行动推动制造业智能化改造提速增效"
    )
    # A leading word of one or two characters never ends a line alone: 以 stays with what it governs.
    assert title_words("以“人工智能+”行动推动制造业智能化改造提速增效")[:2] == ("以“人工智能+”", "行动")
    assert title_words("关于加快推进县域制造业数智化转型的对策研究")[0].startswith("关于加快")


@pytest.mark.slow
def test_check_names_a_title_that_cannot_be_set_evenly(minimal: Callable[..., Path]) -> None:
    article = f"---\ntitle: {UNEVEN}\n---\n\n正文。\n"
    project = minimal(bulletin=MINIMAL_BULLETIN + f"glossary: [{TERM[0]}]\n", article=article)
    code, _out, err = run_cli(project, "check")
    assert code == 0
    assert "01-article.md:2: 警告：标题无法在词与词之间排成长短相近的几行" in err and "[title-break]" in err
