"""What jianbao does around WeasyPrint to make each PDF cheaper, and that it changes nothing else."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest

from jianbao.pdf import engine as pdf_module
from tests.bodypdf import body_pdf

pytestmark = pytest.mark.slow  # builds PDFs


def test_fontconfig_set_up_is_kept_until_a_licensed_font_changes(tmp_path: Path) -> None:
    """One Fontconfig set-up serves every PDF of a process, until a licensed (@font-face) file changes."""
    font = tmp_path / "楷体.otf"
    font.write_bytes(b"one")
    first = pdf_module.font_configuration([font])
    assert pdf_module.font_configuration([font]) is first
    font.write_bytes(b"other")
    assert pdf_module.font_configuration([font]) is not first


def test_array_types_are_made_without_parsing_c(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """cffi would parse each new `hb_codepoint_t[N]` (~3 ms, several per PDF); the same type is made directly."""
    pdf_module.write_pdf("<p>字</p>", tmp_path, [tmp_path])
    from weasyprint.text.ffi import ffi

    item = ffi.typeof("hb_codepoint_t")
    parsed: list[str] = []
    parse = ffi._parser.parse_type
    monkeypatch.setattr(ffi._parser, "parse_type", lambda cdecl: parsed.append(cdecl) or parse(cdecl))
    made = ffi.typeof("hb_codepoint_t[54321]")
    assert parsed == []
    assert (made.kind, made.length, made.item) == ("array", 54321, item)
    assert ffi.typeof("hb_codepoint_t [54321]") is made  # what cffi's parser makes of it: the very same type
    assert parsed == ["hb_codepoint_t [54321]"]
    assert len(ffi.new("hb_codepoint_t[3]", [1, 2, 3])) == 3


def test_heiti_prints_from_the_compact_face_and_a_rarer_character_from_the_full_one(tmp_path: Path) -> None:
    """黑体 comes from the GB 2312 face scripts/setup.sh makes of Noto Sans CJK SC (PDFs half the size,
    ~60 ms less each); a character beyond GB 2312 (堃, common in names) from the full face of the same design."""
    pdf = body_pdf("正文提到**王堃同志**的讲话。\n", tmp_path / "a.pdf")
    with pdfplumber.open(pdf) as document:
        chars = [c for c in document.pages[0].chars if c["text"] in "王堃同正"]
    fonts = {c["text"]: c["fontname"].split("+", 1)[1] for c in chars}
    assert fonts == {
        "王": "Noto-Sans-CJK-SC-GB2312",
        "堃": "Noto-Sans-CJK-SC",
        "同": "Noto-Sans-CJK-SC-GB2312",
        "正": "FandolFang",
    }
    sizes = {c["text"]: round(c["size"], 1) for c in chars}
    assert sizes["王"] == sizes["堃"] == 16.0
