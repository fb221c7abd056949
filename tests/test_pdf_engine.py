"""What jianbao does around WeasyPrint to make each PDF cheaper, and that it changes nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest

from jianbao import pdf as pdf_module


def test_fontconfig_set_up_is_kept_until_a_licensed_font_changes(tmp_path: Path) -> None:
    """One Fontconfig set-up serves every PDF of a process (≈ 70 ms each), until an @font-face file changes."""
    font = tmp_path / "楷体.otf"
    font.write_bytes(b"one")
    html = f'<style>@font-face {{ font-family: "jianbao-kai"; src: url("{font.as_uri()}"); }}</style>'
    first = pdf_module.font_configuration(html)
    assert pdf_module.font_configuration(html) is first
    font.write_bytes(b"other")
    assert pdf_module.font_configuration(html) is not first


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
