"""A footnote prints on the page of its call even where WeasyPrint 70 would
move it to the next page to save a paragraph from an orphan line
(https://github.com/Kozea/WeasyPrint/issues/2432; jianbao/pdf/footnotes.py).

The page is filled line by line on the 22-line grid: with the note's line taken
off the page, the paragraph after the call's (or its headings) cannot keep a
line on it, so the page must end with the call's paragraph."""

from __future__ import annotations

from pathlib import Path

import pytest
from weasyprint import HTML

from jianbao.pdf import engine as pdf_module
from jianbao.pdf.footnotes import misplaced_call_page
from jianbao.pdf.typeset import typeset_document
from tests.bodypdf import ROOT, body_html, body_pdf, full_lines
from tests.pdftools import lines_of, open_pdf

pytestmark = pytest.mark.slow  # builds PDFs


def source(before: int, headings: bool) -> str:
    """`before` lines of text, a one-line paragraph with a note, then long paragraphs."""
    parts = [full_lines(before, "测"), "注" * 20 + "释[^1]。"]
    parts += ["## 标题", "### 小标题"] if headings else []
    parts += [full_lines(5, "段"), full_lines(10, "后"), "[^1]: 一条注释，一行。"]
    return "\n\n".join(parts)


# (lines before the call's paragraph, headings after it, how page 2 must start)
CASES = {
    # WeasyPrint moves the headings and paragraph over whole but leaves the note reported.
    "headings-moved": (18, True, "一、标题"),
    # WeasyPrint splits the paragraph 1 + 4 lines (a first line may stand alone), making room by
    # moving the note.
    "paragraph-split": (20, False, "段段"),
}


@pytest.mark.parametrize(("before", "headings"), [case[:2] for case in CASES.values()], ids=list(CASES))
def test_weasyprint_alone_prints_the_note_a_page_late(before: int, headings: bool) -> None:
    document = HTML(string=typeset_document(body_html(source(before, headings))), base_url=ROOT.as_uri() + "/").render()
    assert misplaced_call_page(document) == 0  # so the test below exercises the workaround


@pytest.mark.parametrize(("before", "headings", "next_page_starts"), list(CASES.values()), ids=list(CASES))
def test_note_stays_on_the_page_of_its_call(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, before: int, headings: bool, next_page_starts: str
) -> None:
    relayouts: list[bool] = []
    force = pdf_module.force_break_for_misplaced_note

    def counted(document: object) -> bool:
        relayouts.append(force(document))
        return relayouts[-1]

    monkeypatch.setattr(pdf_module, "force_break_for_misplaced_note", counted)
    with open_pdf(body_pdf(source(before, headings), tmp_path / "notes.pdf")) as document:
        lines = lines_of(document)
    call = next(line for line in lines if line.text == "①")
    note = next(line for line in lines if line.text.startswith("①一条注释"))
    assert note.page == call.page == 1
    body = [line for line in lines if line.size == 16]
    last = max((line for line in body if line.page == 1), key=lambda line: line.top)
    assert last.text.startswith("注" * 20)  # the page ends with the call's paragraph
    first = min((line for line in body if line.page == 2), key=lambda line: line.top)
    assert first.text.startswith(next_page_starts)
    assert relayouts == [True, False]  # one forced break, then every note is in place
