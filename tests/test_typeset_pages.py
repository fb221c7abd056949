"""Issue 22 ("Typesetting, third pass") measured on its own corpus, one test per requirement.

The corpus (tests/fixtures/typeset/content: a periodical of its own with a 42-name
报尾) is built once per session; tests/pagecheck.py measures each requirement from
the PDFs. Where today's pages still break a rule the test is marked xfail (strict)
with the count measured on main when it was written: the fix makes it XPASS, which
fails the suite until the mark is removed.

    A 2026-18  four articles, long titles with glued Latin/digit runs and quoted terms, subtitles, 本期要目
    B 2026-19  16 pages: two wide tables, a long table over four pages, a PNG and an SVG figure,
               twelve footnotes, source lines, list items, punctuation pairs
    C 2026-20  shaped like the reference issue: one article, 一、 and （一） headings, plain paragraphs
    D 2026-21  one article whose last page is nearly full: the 报尾 risks a page of its own
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from jianbao.recipe import build
from tests import pagecheck, pagewords
from tests.conftest import ROOT, options_for
from tests.pageparts import Document, read

pytestmark = pytest.mark.slow  # builds PDFs

CORPUS = ROOT / "tests" / "fixtures" / "typeset"
A, B, C, D = "2026-18", "2026-19", "2026-20", "2026-21"
ISSUES = (A, B, C, D)


class Corpus:
    """The built corpus: each issue's measured PDF and the words that must stay whole in it."""

    def __init__(self, output: Path):
        self.docs: dict[str, Document] = {}
        self.words: dict[str, list[str]] = {}  # words.yaml's units, the 报尾's names, phone, fax, （传真）
        self.glossary: dict[str, list[str]] = {}  # the above and words.yaml's glossary
        for issue in ISSUES:
            self.words[issue], subtitles = pagewords.corpus_words(CORPUS / "content", issue, glossary=False)
            self.glossary[issue], _ = pagewords.corpus_words(CORPUS / "content", issue)
            self.docs[issue] = read(output / issue / f"{issue}.pdf", subtitles)

    def found(self, check: Callable[..., list[pagecheck.Violation]], issues=ISSUES, words: str = "") -> list[str]:
        """Every violation `check` finds in `issues` (given the word list named `words`), as 'issue p3 text'."""
        result = []
        for issue in issues:
            args = [getattr(self, words)[issue]] if words else []
            result += [f"{issue} {v}" for v in check(self.docs[issue], *args)]
        return result


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    """The corpus built once (PDFs and pages; no search index)."""
    project = tmp_path_factory.mktemp("typeset")
    shutil.copytree(CORPUS / "content", project / "content")
    shutil.copytree(ROOT / "layouts", project / "layouts")
    build(options_for(project, index=False))
    return Corpus(project / "output")


def test_corpus_passes_a_strict_check() -> None:
    """The corpus is valid content: numbers, totals and dates that `check --strict` accepts, no text warning."""
    done = subprocess.run(
        [sys.executable, "build.py", "check", "--strict", "--content", str(CORPUS / "content")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 条警告，没有错误" in done.stdout + done.stderr


def test_corpus_has_the_shapes_it_promises(corpus: Corpus) -> None:
    pages = {issue: doc.last for issue, doc in corpus.docs.items()}
    assert pages[B] >= 15 and 4 <= pages[C] <= 6, pages
    names = pagewords.colophon_words(yaml.safe_load((CORPUS / "content" / "bulletin.yaml").read_text(encoding="utf-8")))
    assert len(names) - 3 >= 40  # the 报尾's names, less phone, fax and （传真）


# ---- Requirement 1: words kept whole in short texts, balanced titles ------------------------------


@pytest.mark.xfail(
    strict=True,
    reason=(
        "issue 22: 8 breaks inside a word on main — A 3 (p4 title “农产品|进城”, p1 要目 研|究, "
        "路|径), B 5 header cells (p4 规模以|上, 零售总|额, 固定资|产投资)"
    ),
)
def test_short_texts_break_between_words(corpus: Corpus) -> None:
    assert corpus.found(pagecheck.split_words, words="words") == []


@pytest.mark.xfail(
    strict=True,
    reason=(
        "issue 22: glossary terms split on main (A p6 title 低空|经济); copy words.yaml's glossary "
        "into bulletin.yaml once it takes glossary:"
    ),
)
def test_glossary_terms_stay_whole(corpus: Corpus) -> None:
    found = [
        f"{issue} {v}"
        for issue, doc in corpus.docs.items()
        for v in pagecheck.glossary_only(doc, corpus.words[issue], corpus.glossary[issue])
    ]
    assert found == []


@pytest.mark.xfail(
    strict=True,
    reason=(
        "issue 22: 3 title lines of one or two characters on main (A p5 subtitle …应用|边界, p1 "
        "要目 …研|究, …情况|分析)"
    ),
)
def test_no_title_line_of_one_or_two_characters(corpus: Corpus) -> None:
    assert corpus.found(pagecheck.short_title_lines) == []


@pytest.mark.xfail(
    strict=True,
    reason="issue 22: 1 subtitle out of balance on main (A p5 …的应用|边界: 0.07 of the first line)",
)
def test_titles_and_subtitles_are_balanced(corpus: Corpus) -> None:
    assert corpus.found(pagecheck.unbalanced_titles) == []


# ---- Requirement 2: the 报尾 --------------------------------------------------------------------


@pytest.mark.xfail(
    strict=True,
    reason="issue 22: 36 names split on main, 9 in each 报尾 (市委副书|记, 市|人民检察院检察长, （传|真）)",
)
def test_colophon_breaks_between_names(corpus: Corpus) -> None:
    assert corpus.found(pagecheck.colophon_names, words="words") == []


@pytest.mark.xfail(
    strict=True,
    reason="issue 22: 12 报/送/发 rows flush against the rule on main (3 an issue, indent 0.0 pt instead of 14)",
)
def test_colophon_rows_are_indented_one_character(corpus: Corpus) -> None:
    assert corpus.found(pagecheck.colophon_indents) == []


def test_colophon_continuations_align_after_the_colon(corpus: Corpus) -> None:
    assert corpus.found(pagecheck.colophon_hanging) == []


@pytest.mark.xfail(
    strict=True,
    reason="issue 22: 2 报尾 alone on the last page on main (A p8, D p4; 3 empty lines on the page before)",
)
def test_colophon_never_stands_alone_when_the_page_before_has_room(corpus: Corpus) -> None:
    assert corpus.found(pagecheck.colophon_alone) == []


@pytest.mark.xfail(
    strict=True,
    reason="issue 22: 1 footnote below the 报尾 on main (B p16 ④, 24 pt below its rule)",
)
def test_no_footnote_below_the_colophon(corpus: Corpus) -> None:
    assert corpus.found(pagecheck.notes_below_colophon) == []


# ---- Requirement 3: punctuation ----------------------------------------------------------------


@pytest.mark.xfail(
    strict=True,
    reason="issue 22: 1 ，“ pair of 2.0 em on main (B p10, before a bold quote)",
)
def test_adjacent_marks_take_at_most_one_and_a_half_em(corpus: Corpus) -> None:
    assert corpus.found(pagecheck.pair_holes) == []


@pytest.mark.xfail(
    strict=True,
    reason="issue 22: 6 ？ at 0.5 em on main (A p4 种吗？”; B p3 在不在？”, p5 怎么发？”)",
)
def test_question_and_exclamation_marks_keep_their_full_width(corpus: Corpus) -> None:
    assert corpus.found(pagecheck.squeezed_question_marks) == []


@pytest.mark.xfail(
    strict=True,
    reason="issue 22: 13 mid-line ，、 at 0.5 em on main (A 3, B 8, D 2: p3 坐得上、坐得好)",
)
def test_no_midline_mark_is_squeezed_to_half_width(corpus: Corpus) -> None:
    assert corpus.found(pagecheck.squeezed_midline_marks) == []


# ---- Requirement 4: blank stretches and continued tables ---------------------------------------


@pytest.mark.xfail(
    strict=True,
    reason="issue 22: 2 blank stretches on main (B p8: 9 lines, 图2 moved on; A p3: 8 lines)",
)
def test_no_blank_stretch_of_more_than_six_lines(corpus: Corpus) -> None:
    assert corpus.found(pagecheck.blank_stretches) == []


@pytest.mark.xfail(
    strict=True,
    reason="issue 22: 4 table parts continued without 续表N on main (B p8 表2, p13–15 表3)",
)
def test_continued_tables_carry_xubiao_and_two_rows(corpus: Corpus) -> None:
    assert corpus.found(pagecheck.continued_tables) == []


# ---- Requirements 5 and 6: one character alone -------------------------------------------------


@pytest.mark.xfail(
    strict=True,
    reason="issue 22: 1 header cell leaves a character alone on main (B p4 社会消费|品零售总|额)",
)
def test_header_cells_leave_no_character_alone(corpus: Corpus) -> None:
    assert corpus.found(pagecheck.header_cell_orphans) == []


@pytest.mark.xfail(
    strict=True,
    reason="issue 22: 3 lone last lines on main (B p6 力。, p10 槛③。; A p7 …数据|整理）)",
)
def test_no_paragraph_or_source_line_ends_with_a_lone_character(corpus: Corpus) -> None:
    assert corpus.found(pagecheck.lonely_last_lines) == []


# ---- Requirement 7: lines per page -------------------------------------------------------------


@pytest.mark.xfail(
    strict=True,
    reason="issue 22: the plain issue C holds 20 lines on p3 and on p4 on main",
)
def test_the_plain_issue_holds_22_lines_on_every_full_page(corpus: Corpus) -> None:
    assert corpus.found(pagecheck.short_pages, issues=(C,)) == []
