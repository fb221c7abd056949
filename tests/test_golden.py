"""Golden HTML: the sample content's web pages, checked in under tests/golden/.

After an intended change, refresh and review the diff:

    .venv/bin/python -m pytest tests/test_golden.py --update-golden
    git diff tests/golden/
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

GOLDEN = Path(__file__).parent / "golden"
PAGE_SUFFIXES = {".html", ".xml"}
# PDF sizes depend on the installed fonts' versions, not on our templates.
_SIZE = re.compile(r"\d+(?:\.\d+)? (?:KB|MB)")
_LENGTH = re.compile(r'length="\d+"')  # the feed's enclosure lengths, in bytes


def normalise(text: str) -> str:
    return _LENGTH.sub('length="<bytes>"', _SIZE.sub("<size>", text))


def page_files(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): normalise(path.read_text(encoding="utf-8"))
        for path in sorted(root.rglob("*"))
        if path.suffix in PAGE_SUFFIXES and "pagefind" not in path.parts
    }


def test_web_pages_match_golden(sample_build: Path, update_golden: bool) -> None:
    built = page_files(sample_build / "output")
    if update_golden:
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for name, text in built.items():
            (GOLDEN / name).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / name).write_text(text, encoding="utf-8")
    expected = page_files(GOLDEN)
    assert sorted(built) == sorted(expected), "set of pages changed (refresh with --update-golden)"
    for name, text in expected.items():
        assert built[name] == text, f"{name} differs from tests/golden/{name} (refresh with --update-golden)"
