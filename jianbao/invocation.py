"""How jianbao was started → the command a hint should print ("下一步：…"), so that pasting it works.

Plain `python` is often not the interpreter jianbao is installed in, and the
venv's `jianbao` is on PATH only while the venv is active. So a hint says
`jianbao` when that name on PATH is this very installation; else the console
script `pip install -e .` put beside this interpreter, by its absolute path;
else this interpreter and build.py, both by absolute paths.
"""

from __future__ import annotations

import re
import shlex
import shutil
import sys
from functools import cache
from pathlib import Path

BUILD_PY = Path(__file__).resolve().parent.parent / "build.py"
_PLAIN_WORD = re.compile(r"[\w@%+=:,./-]+")  # \w takes Chinese: 《》 or a space need quotes, 简报 does not


def shell_word(text: str) -> str:
    """`text` as one word of a shell command: quoted only when the shell would otherwise split or expand it."""
    return text if _PLAIN_WORD.fullmatch(text) else shlex.quote(text)


@cache
def program() -> str:
    """The command that runs this jianbao from any folder: `jianbao`, `/…/.venv/bin/jianbao` or
    `/…/.venv/bin/python /…/build.py`."""
    script = Path(sys.executable).with_name("jianbao")  # where pip puts the console script of this venv
    if script.is_file():
        found = shutil.which("jianbao")
        if found is not None and Path(found).resolve() == script.resolve():
            return "jianbao"
        return shell_word(str(script))
    return f"{shell_word(sys.executable)} {shell_word(str(BUILD_PY))}"


def command(*words: str) -> str:
    """A whole command to paste: `jianbao approve 2026-12 --by 姓名`."""
    return " ".join([program(), *words])
