"""Chinese words: where ICU's dictionary puts word boundaries, and the small words that bind or open a line.

Loaded lazily: icu4py (a wheel with ICU inside, ≈ 35 ms and 8 MB) is imported
on the first text that needs its words.
"""

from __future__ import annotations

from itertools import pairwise

from jianbao.text.chars import is_han

# Single-character words: ICU's dictionary knows them as words, so a break next to them is fine.
FUNCTION_WORDS = frozenset("的与和及并以对为在把将从向于之等")
# Characters ICU leaves alone that bind to the word before (制造业, 示范区) or after (跨域).
SUFFIXES = frozenset("业区化性型率度者家员域网力们界")
PREFIXES = frozenset("跨双多超非反副总准")
# Words a title line may well start with: conjunctions, prepositions and the verbs titles of this kind turn on.
LINE_OPENERS = (
    "与", "和", "及", "并", "以", "对", "为", "在", "把", "将", "从", "向", "推动", "促进", "加快",
    "赋能", "助力", "支撑", "打造", "建设", "关于", "深化", "构建", "提升", "培育", "激活",
)  # fmt: skip


def segments(text: str) -> list[str]:
    """`text` cut into ICU's words (dictionary based for Chinese); every character alone without icu4py."""
    try:
        from icu4py.breakers import WordBreaker
    except ImportError:  # pragma: no cover - icu4py is a dependency
        return list(text)
    return [text[start:end] for start, end in WordBreaker(text, "zh").segments()]


def word_boundaries(text: str) -> set[int]:
    """Offsets in `text` where a line may break between two words.

    ICU's dictionary splits words it lacks into single characters (发/力, 县/域,
    制造/业/数/智/化, 示范/区): no break between two such characters (unless one
    is a function word: 的, 与, 和 …), nor before a suffix-like one (业, 区, 化 …)
    or after a prefix-like one (跨, 双 …).
    """
    words = segments(text)
    bounds, offset = {0, len(text)}, 0
    for word, after in pairwise(words):
        offset += len(word)
        lone, lone_after = _lone_character(word), _lone_character(after)
        if (lone and lone_after) or (lone_after and after in SUFFIXES) or (lone and word in PREFIXES):
            continue
        bounds.add(offset)
    return bounds


def _lone_character(word: str) -> bool:
    """A one-character segment that is a piece of a word ICU's dictionary lacks."""
    return len(word) == 1 and is_han(word) and word not in FUNCTION_WORDS
