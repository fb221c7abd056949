"""Chinese words: where a line may break between two words, and which stretches of text are one unit.

ICU's dictionary (through icu4py, a wheel with ICU inside, ≈ 35 ms and 8 MB,
imported on the first text that needs its words) cuts the text into words.
It splits words it lacks into single characters (赋/能, 新/增长/极, 工业/品,
制造/业): such a lone character binds to its neighbours, unless it is a
function word (的, 与, 和 …) or the unit would grow past `MAX_UNIT`. The text
marks units of its own, kept whole as well: a quoted or 《》 term of up to
eight characters (“工业品下乡”, 《数据二十条》), a Latin or digit run with the
Chinese word it is glued to (AI大模型, 5G基站, 2026年), and the terms of the
bulletin's `glossary:`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from jianbao.text.chars import is_han

# Single-character words: ICU's dictionary knows them as words, so a break next to them is fine.
FUNCTION_WORDS = frozenset("的与和及并以对为在把将从向于之等是有而或其此该各这也都就又再还不被让使给往至到由因")
# Lone characters that end the word before them (制造业, 示范区, 增长极, 工业品) rather than start the next.
SUFFIXES = frozenset("业区化性型率度者家员域网力们界品极级类式制权量值额点线面体系群链圈带院局委厅处所室馆园场站校社")
# Words a title line may well start with: conjunctions, prepositions and the verbs titles of this kind turn on.
LINE_OPENERS = (
    "与", "和", "及", "并", "以", "对", "为", "在", "把", "将", "从", "向", "推动", "促进", "加快",
    "赋能", "助力", "支撑", "打造", "建设", "关于", "深化", "构建", "提升", "培育", "激活",
)  # fmt: skip
# A word glued from lone characters never grows past this many characters (a title must still break).
MAX_UNIT = 6
# A quoted or 《》 term up to this many characters inside its marks stays on one line.
QUOTED_UNIT = 8
_QUOTED = re.compile(rf"[“‘《「『【]([^“”‘’《》「」『』【】]{{1,{QUOTED_UNIT}}})[”’》」』】]")
_LATIN_RUN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.+\-%]*")


@lru_cache(maxsize=4096)
def segments(text: str) -> tuple[str, ...]:
    """`text` cut into ICU's words (dictionary based for Chinese); every character alone without icu4py."""
    try:
        from icu4py.breakers import WordBreaker
    except ImportError:  # pragma: no cover - icu4py is a dependency
        return tuple(text)
    return tuple(text[start:end] for start, end in WordBreaker(text, "zh").segments())


def word_boundaries(text: str, glossary: Iterable[str] = ()) -> set[int]:
    """Offsets in `text` where a line may break between two words (0 and len(text) included)."""
    words = _bound_lone_characters(list(segments(text)))
    bounds, offset = {0, len(text)}, 0
    for word in words[:-1]:
        offset += len(word)
        bounds.add(offset)
    return bounds - unit_insides(text, glossary)


def _bound_lone_characters(words: list[str]) -> list[str]:
    """ICU's words with its lone characters (pieces of words it lacks) glued back: a run of them is one
    word (赋能, 提速增效); one alone joins the word after it (新增长, 大模型), or the word before when it
    reads as a suffix (增长极, 制造业, 工业品)."""
    runs: list[str] = []
    lone_run = False  # whether the last of `runs` is made of lone characters only
    for word in words:
        glued_to_digits = runs and runs[-1][-1:].isdigit() and runs[-1][-1:].isascii() and _lone(word)
        suffix = runs and not lone_run and _lone(word) and word in SUFFIXES and is_han(runs[-1][-1])
        if glued_to_digits or (suffix and _fits(runs[-1], word)):
            runs[-1] += word  # 2026年, 3月; 制造业 (a suffix never starts a run of lone characters)
            lone_run = False
        elif runs and lone_run and _lone(word) and _fits(runs[-1], word):
            runs[-1] += word
        else:
            runs.append(word)
            lone_run = _lone(word)
    merged: list[str] = []
    index = 0
    while index < len(runs):
        word = runs[index]
        after = runs[index + 1] if index + 1 < len(runs) else ""
        if _lone(word) and word in SUFFIXES and merged and is_han(merged[-1][-1]) and _fits(merged[-1], word):
            merged[-1] += word
        elif _lone(word) and after and is_han(after[0]) and _fits(word, after):
            merged.append(word + after)
            index += 1
        elif _lone(word) and merged and is_han(merged[-1][-1]) and _fits(merged[-1], word):
            merged[-1] += word
        else:
            merged.append(word)
        index += 1
    return merged


def _fits(before: str, after: str) -> bool:
    return len(before) + len(after) <= MAX_UNIT


def _lone(word: str) -> bool:
    """A one-character segment that is a piece of a word ICU's dictionary lacks (not a function word)."""
    return len(word) == 1 and is_han(word) and word not in FUNCTION_WORDS


def unit_insides(text: str, glossary: Iterable[str] = ()) -> set[int]:
    """Offsets inside the units the text marks itself (quoted terms, Latin runs with their word) and inside
    glossary terms: no line breaks there."""
    inside: set[int] = set()
    for match in _QUOTED.finditer(text):
        inside.update(range(match.start(1), match.end(1) + 1))
    for match in _LATIN_RUN.finditer(text):
        end = match.end()
        if end < len(text) and is_han(text[end]):
            end += len(_word_at(text, end))  # the Chinese word it is glued to: AI大模型, 5G基站, 2026年
        inside.update(range(match.start() + 1, end))
    for term in glossary:
        for match in re.finditer(re.escape(term), text) if term else ():
            inside.update(range(match.start() + 1, match.end()))
    return inside


def _word_at(text: str, start: int) -> str:
    """The (glued) word of `text` that starts at `start`."""
    offset = 0
    for word in _bound_lone_characters(list(segments(text))):
        if offset == start:
            return word
        if offset > start:
            break
        offset += len(word)
    return text[start : start + 1]
