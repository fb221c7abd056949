"""What must stay whole when a short text wraps (issue 22, requirement 1), for tests/pagecheck.py.

In: a block's text, or the corpus folder. Out: the spans no line may break inside —
ICU's words (icu4py, asked directly, not through jianbao), a quoted or 《》 term of
up to 8 characters, a Latin/digit run with the word after it, and the words a
corpus lists: tests/fixtures/typeset/words.yaml (`units`, `glossary`) and each name,
number and （传真） of the 报尾.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import yaml

from tests.pageparts import Block


def icu_words(text: str) -> list[tuple[int, int]]:
    """Spans of the words of two or more characters ICU's dictionary finds in `text`."""
    from icu4py.breakers import WordBreaker

    return [(start, end) for start, end in WordBreaker(text, "zh").segments() if end - start > 1]


def protected(text: str, words: Iterable[str]) -> list[tuple[int, int]]:
    """Spans no line may break inside: ICU's words, the listed words, a quoted or 《》 term of up to 8
    characters, and a Latin/digit run with the word after it (AI大, 2026年, ESG报告)."""
    spans = icu_words(text)
    for word in words:
        spans += [(m.start(), m.end()) for m in re.finditer(re.escape(word), text)]
    spans += [(m.start(), m.end()) for m in re.finditer(r"“[^“”]{1,8}”|《[^《》]{1,8}》|‘[^‘’]{1,8}’", text)]
    for m in re.finditer(r"[A-Za-z0-9][A-Za-z0-9.%\-]*", text):
        after = next((end for start, end in icu_words(text) if start == m.end()), m.end())
        if m.end() < len(text) and re.match(r"[\u3400-\u9fff]", text[m.end()]):
            after = max(after, m.end() + 1)
        spans.append((m.start(), after))
    return spans


def breaks_inside(block: Block, words: Iterable[str]) -> list[str]:
    """The line breaks of `block` that fall inside a protected span, as 'before|after' around the break."""
    text, bad, offset = block.text, [], 0
    spans = protected(text, words)
    for line in block.lines[:-1]:
        offset += len(line)
        if text[offset - 1 : offset].isascii() and text[offset : offset + 1].isascii():
            continue  # two Latin words (or numbers): the line broke at the space between them, which lines lose
        inside = [(s, e) for s, e in spans if s < offset < e]
        if inside:
            start, end = min(s for s, _ in inside), max(e for _, e in inside)
            bad.append(text[start:offset] + "|" + text[offset:end])
    return bad


def corpus_words(content: Path, issue: str, glossary: bool = True) -> tuple[list[str], tuple[str, ...]]:
    """The words that must stay whole in `issue` (the `units` and, with `glossary`, the `glossary` of
    words.yaml beside `content`; the 报尾's names, phone, fax and （传真）) and the subtitles its articles hold."""
    listing = content.parent / "words.yaml"
    listed = yaml.safe_load(listing.read_text(encoding="utf-8")) if listing.exists() else {}
    bulletin = yaml.safe_load((content / "bulletin.yaml").read_text(encoding="utf-8"))
    settings = {**bulletin, **yaml.safe_load((content / "issues" / issue / "issue.yaml").read_text(encoding="utf-8"))}
    words = list(listed.get("units", [])) + (list(listed.get("glossary", [])) if glossary else [])
    words += colophon_words(settings)
    subtitles = []
    for article in sorted((content / "issues" / issue).glob("*.md")):
        front = yaml.safe_load(article.read_text(encoding="utf-8").split("---")[1]) or {}
        if front.get("subtitle"):
            subtitles.append(re.sub(r"\s+", "", front["subtitle"]))
    return words, tuple(subtitles)


def colophon_words(settings: dict) -> list[str]:
    """Each name of the 报尾's distribution, the phone and fax numbers and （传真）."""
    words = []
    for names in settings.get("distribution", {}).values():
        for group in [names] if isinstance(names, str) else names:
            words += [group] if isinstance(group, str) else group
    return words + [str(settings[key]) for key in ("phone", "fax") if settings.get(key)] + ["（传真）"]
