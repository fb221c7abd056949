"""Character classes of Chinese text: which characters are Han, full-width or punctuation, and the marks
the line rules (GB/T 15834, CLREQ) name. The only module that writes out CJK code-point ranges."""

from __future__ import annotations

import unicodedata

# Han ideographs: CJK Unified Ideographs and Extension A (the BMP's), and the supplementary planes' extensions.
HAN_BMP = "\u3400-\u4dbf\u4e00-\u9fff"
# A character class (for regular expressions) of Han ideographs in the BMP: what line rules and
# spacing rules look at.
HAN = f"[{HAN_BMP}]"
# CJK symbols and punctuation, compatibility ideographs, full-width forms and the marks Chinese text
# shares with Western typography: everything next to which a Latin word sits without a space.
CJK_TEXT = f"\u3000-\u303f{HAN_BMP}\uf900-\ufaff\uff00-\uffef“”‘’—…·"

WJ = "\u2060"  # WORD JOINER: forbids a line break, prints nothing
ZWSP = "\u200b"  # ZERO WIDTH SPACE: allows a line break, prints nothing
SPACES = " \t\u3000\u00a0"  # what a paste leaves between characters: spaces, tabs, 全角空格, no-break spaces

# GB/T 15834 line rules: never at the start / the end of a line.
NO_START = "，。、；：？！）》」』”’…—%％·〕】］｝〉"
NO_END = "（《「『“‘〔【［｛〈"
CLOSING_MARKS = "，。、；：？！）》」』”’〕】］｝〉"
OPENING_MARKS = NO_END
FULL_WIDTH_MARKS = CLOSING_MARKS + OPENING_MARKS
# Marks that end a sentence or a paragraph.
ENDINGS = frozenset("。！？…”’）》】」』：；—")

# Paired marks, and their names (quoting a quote mark in a message is unreadable).
PAIRS = {"“": "”", "‘": "’", "（": "）", "《": "》", "【": "】", "「": "」", "『": "』"}
CLOSERS = {close: open_ for open_, close in PAIRS.items()}
CURLY_QUOTES = {"“": "”", "‘": "’"}  # what a Chinese input method types for `"` and `'`
MARK_NAMES = {
    "“": "左双引号",
    "”": "右双引号",
    "‘": "左单引号",
    "’": "右单引号",
    "（": "左括号",
    "）": "右括号",
    "《": "左书名号",
    "》": "右书名号",
    "【": "左方头括号",
    "】": "右方头括号",
    "「": "左直角引号",
    "」": "右直角引号",
    "『": "左双直角引号",
    "』": "右双直角引号",
}
# Half-width marks a Chinese sentence should have in full width.
# What a file name may not hold on the office's shares and downloads (Windows' list; full-width marks are fine).
FILE_NAME_UNSAFE = frozenset('/\\:*?"<>|')
FULL_WIDTH_OF = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}


_ASCII_FORMS = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}  # ！… ～ → ! … ~


def ascii_forms(text: str) -> str:
    """Full-width forms of ASCII as ASCII, one character for one (`｛width＝50％｝` → `{width=50%}`): what a
    Chinese input method types for Markdown's own signs."""
    return text.translate(_ASCII_FORMS)


def is_han(char: str) -> bool:
    """A Han ideograph (any plane)."""
    if not char:
        return False
    code = ord(char)
    return 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0x20000 <= code <= 0x3FFFF


def is_wide(char: str) -> bool:
    """A full-width (East Asian wide) character."""
    return bool(char) and unicodedata.east_asian_width(char) in "WF"


def is_chinese(char: str) -> bool:
    """A Han character or full-width punctuation (what a Chinese sentence is made of)."""
    if not char:
        return False
    code = ord(char)
    return is_han(char) or 0x3000 <= code <= 0x303F or 0xFF00 <= code <= 0xFFEF or char in "“”‘’…—·"


def is_sentence_char(char: str) -> bool:
    """A Chinese character that is neither a space nor a paired mark (the text of a sentence itself)."""
    return is_chinese(char) and char not in SPACES and char not in CLOSERS and char not in PAIRS


def display_width(text: str) -> int:
    """Terminal columns: two for a wide character, one otherwise."""
    return sum(2 if is_wide(char) else 1 for char in text)


def advance_ems(char: str) -> float:
    """A character's advance in ems when no font is at hand: half for ASCII, full otherwise."""
    return 0.5 if ord(char) < 0x2000 and char not in "—…·" else 1.0
