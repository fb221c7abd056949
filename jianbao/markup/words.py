"""Chinese text → its words and its mixed-text spacing, shared by the web page (Markdown stage),
the print HTML (jianbao/pdf/prepare.py) and the model's title words.

Kept apart from the Markdown extension so that the render workers, which only
prepare print HTML, never import Python-Markdown.
"""

from __future__ import annotations

import re
from itertools import pairwise

# Mixed-text spacing (README, 中西文混排): digits and Latin words sit directly
# against Chinese characters, so the source's spaces between them go, on the web
# page as in the PDF (jianbao/pdf/prepare.py applies the same rule to the print HTML).
_CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef“”‘’—…·"
_HALF = "A-Za-z0-9"
_MIXED_SPACE = re.compile(rf"(?<=[{_CJK}])[ \u00a0]+(?=[{_HALF}])|(?<=[{_HALF}%])[ \u00a0]+(?=[{_CJK}])")


def drop_mixed_spaces(text: str) -> str:
    """超过 30 家 → 超过30家; spaces between two Latin words stay."""
    return _MIXED_SPACE.sub("", text)


# ---- Title break opportunities (the PDF's balanced lines, the web page's <wbr>) ----

# Single-character words: ICU's dictionary knows them as words, so a break next to them is fine.
_FUNCTION_WORDS = frozenset("的与和及并以对为在把将从向于之等")
# Characters ICU leaves alone that bind to the word before (制造业, 示范区) or after (跨域).
_SUFFIXES = frozenset("业区化性型率度者家员域网力们界")
_PREFIXES = frozenset("跨双多超非反副总准")


def word_boundaries(text: str) -> set[int]:
    """Offsets in `text` where a line may break between two words.

    ICU's word segmentation (dictionary based for Chinese) through icu4py,
    imported on the first title that needs breaking (≈ 35 ms, 8 MB). ICU's
    dictionary splits words it lacks into single characters (发/力, 县/域,
    制造/业/数/智/化, 示范/区): no break between two such characters (unless
    one is a function word: 的, 与, 和 …), nor before a suffix-like one (业, 区,
    化 …) or after a prefix-like one (跨, 双 …). Without icu4py every offset counts.
    """
    try:
        from icu4py.breakers import WordBreaker
    except ImportError:  # pragma: no cover - icu4py is a dependency
        return set(range(len(text) + 1))
    words = [text[start:end] for start, end in WordBreaker(text, "zh").segments()]
    bounds, offset = {0, len(text)}, 0
    for word, after in pairwise(words):
        offset += len(word)
        lone, lone_after = _lone_character(word), _lone_character(after)
        if (lone and lone_after) or (lone_after and after in _SUFFIXES) or (lone and word in _PREFIXES):
            continue
        bounds.add(offset)
    return bounds


def _lone_character(word: str) -> bool:
    """A one-character segment that is a piece of a word ICU's dictionary lacks."""
    return len(word) == 1 and "\u3400" <= word <= "\u9fff" and word not in _FUNCTION_WORDS


# A title longer than this (in characters) may wrap on a phone: it gets <wbr> between words.
WEB_TITLE_WRAP = 12


def title_words(title: str) -> tuple[str, ...]:
    """The title (mixed-text spaces dropped) cut at its word boundaries, for `<wbr>`s on the web page."""
    from jianbao.pdf.prepare import can_break  # the PDF's line rules (that module imports this one)

    title = drop_mixed_spaces(title)
    if len(title) <= WEB_TITLE_WRAP:
        return (title,)
    cuts = sorted(b for b in word_boundaries(title) if b in (0, len(title)) or can_break(title, b))
    return tuple(title[start:end] for start, end in pairwise(cuts))
