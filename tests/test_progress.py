"""The progress bar: only on a terminal, only for more than a few PDFs, never with -q."""

from __future__ import annotations

import io

import pytest

from jianbao.cli.progress import FEW, progress_bar


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_bar_on_a_terminal_for_many_pdfs(monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    with progress_bar(quiet=False) as progress:
        assert progress is not None
        for done in range(FEW + 3):
            progress(done, FEW + 2)
    assert "生成 PDF" in terminal.getvalue()
    assert f"0/{FEW + 2}" in terminal.getvalue()


def test_no_bar_for_a_few_pdfs(monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    with progress_bar(quiet=False) as progress:
        assert progress is not None
        for done in range(FEW + 1):
            progress(done, FEW)
    assert terminal.getvalue() == ""


@pytest.mark.parametrize(("quiet", "stream"), [(True, Terminal()), (False, io.StringIO())])
def test_no_bar_when_quiet_or_piped(monkeypatch: pytest.MonkeyPatch, quiet: bool, stream: io.StringIO) -> None:
    monkeypatch.setattr("sys.stderr", stream)
    with progress_bar(quiet=quiet) as progress:
        assert progress is None
