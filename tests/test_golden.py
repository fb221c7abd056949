"""Golden HTML: the sample content's web pages and print HTML, checked in under tests/golden/.

The print golden is the HTML WeasyPrint lays out (jianbao/pdf/typeset.py: the layout's page
with the article trees and the line rules; invisible characters written as `{U+2060}`-style
markers), so a change to the print templates or the typesetting shows up as a reviewable diff;
the PDF itself is measured, never compared.

After an intended change, refresh and review the diff:

    .venv/bin/python -m pytest tests/test_golden.py --update-golden
    git diff tests/golden/
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

GOLDEN = Path(__file__).parent / "golden"
PAGE_SUFFIXES = {".html", ".xml"}
# PDF sizes depend on the installed fonts' versions, not on our templates.
_SIZE = re.compile(r"\d+(?:\.\d+)? (?:KB|MB)")
_LENGTH = re.compile(r'length="\d+"')  # the feed's enclosure lengths, in bytes


# Characters no `git diff` shows (the print HTML's word joiners and zero-width spaces, a no-break
# space) are written as visible markers, so a change to them is a reviewable diff.
_INVISIBLE = re.compile("[\u00a0\u00ad\u200b-\u200d\u2060\ufeff]")


def visible(text: str) -> str:
    """`注意保\u2060存` → `注意保{U+2060}存`."""
    return _INVISIBLE.sub(lambda m: f"{{U+{ord(m.group(0)):04X}}}", text)


def normalise(text: str) -> str:
    return visible(_LENGTH.sub('length="<bytes>"', _SIZE.sub("<size>", text)))


def page_files(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): normalise(path.read_text(encoding="utf-8"))
        for path in sorted(root.rglob("*"))
        if path.suffix in PAGE_SUFFIXES and "pagefind" not in path.parts and "print" not in path.parts
    }


def print_files(project: Path) -> dict[str, str]:
    """Each sample issue's print HTML as WeasyPrint receives it, with this machine's paths taken out."""
    from jianbao.markup import load_content
    from jianbao.pdf.fonts import resolve_fonts
    from jianbao.pdf.typeset import print_html
    from jianbao.site import pages

    site, _ = load_content(project / "content")
    env = pages.make_environment(project / "layouts")
    fonts = resolve_fonts(project / "fonts")
    layouts_url = (project / "layouts").resolve().as_uri() + "/"
    return {
        f"print/{issue.id}.html": visible(print_html(env, issue, fonts, layouts_url)).replace(layouts_url, "<layouts>/")
        for issue in site.issues
    }


def test_print_html_matches_golden(project: Path, update_golden: bool) -> None:
    built = print_files(project)
    if update_golden:
        shutil.rmtree(GOLDEN / "print", ignore_errors=True)
        for name, text in built.items():
            (GOLDEN / name).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / name).write_text(text, encoding="utf-8")
    expected = {f"print/{p.name}": p.read_text(encoding="utf-8") for p in sorted((GOLDEN / "print").glob("*.html"))}
    assert sorted(built) == sorted(expected), "set of print pages changed (refresh with --update-golden)"
    for name, text in expected.items():
        assert built[name] == text, f"{name} differs from tests/golden/{name} (refresh with --update-golden)"


@pytest.mark.slow  # builds the sample's PDFs
def test_web_pages_match_golden(sample_build: Path, update_golden: bool) -> None:
    built = page_files(sample_build / "output")
    if update_golden:
        for path in GOLDEN.rglob("*"):
            if path.is_file() and "print" not in path.relative_to(GOLDEN).parts:
                path.unlink()
        for name, text in built.items():
            (GOLDEN / name).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / name).write_text(text, encoding="utf-8")
    expected = page_files(GOLDEN)
    assert sorted(built) == sorted(expected), "set of pages changed (refresh with --update-golden)"
    for name, text in expected.items():
        assert built[name] == text, f"{name} differs from tests/golden/{name} (refresh with --update-golden)"
