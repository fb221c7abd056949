"""Recall and precision of the site's search box, measured the way a reader meets it, in Chromium.

`article_texts` reads every article of the built pages as Chromium shows it (innerText, so what CSS hides
is not there); `draw_words` picks words from that text as a reader would type them (2–6 Chinese characters
from a run of them, a Latin word, a number); `expected` says which articles hold each word (a whole token
for Latin words and numbers, as the search promises); `search_all` types every word into the search box of
an open page and collects every result it lists, scrolling through them all. Used by
tests/test_web_search.py and benchmarks/search.py.
"""

from __future__ import annotations

import random
import re
from typing import Any

# A run of Chinese characters; a Latin word or a number (85.6%, 2,388 and 5G are one token each).
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]{2,}")
_TOKEN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9]+(?:[.,][0-9]+)*%?(?![A-Za-z0-9])")
_FULL_WIDTH = str.maketrans({chr(c): chr(c - 0xFEE0) for c in [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B)]})
_FULL_WIDTH.update({chr(c): chr(c - 0xFEE0) for c in range(0xFF41, 0xFF5B)})

Texts = dict[str, str]  # "<issue>/index.html#<article>" → the article's text as shown


def article_texts(page: Any, site_url: str, issue_ids: list[str]) -> Texts:
    """Every article's innerText on the issue pages, keyed by its address below the site."""
    texts: Texts = {}
    for issue_id in issue_ids:
        page.goto(f"{site_url}{issue_id}/index.html")
        page.add_style_tag(content=".visually-hidden { display: none !important; }")  # seen by no one
        for article_id, text in page.evaluate(
            "[...document.querySelectorAll('main article[id]')].map(a => [a.id, a.innerText])"
        ):
            texts[f"{issue_id}/index.html#{article_id}"] = text
    return texts


def draw_words(texts: Texts, count: int, seed: int = 26) -> list[str]:
    """`count` different words from the texts, in a random order: Latin words and numbers (a tenth at
    most), the Chinese words ICU's dictionary cuts (2 characters or more), then, to make up the count,
    Chinese strings of 2 to 6 characters cut at random places, across words."""
    from icu4py.breakers import WordBreaker

    rng = random.Random(seed)
    tokens = sorted({token for text in texts.values() for token in _TOKEN.findall(text) if len(token) >= 2})
    runs = sorted({run for text in texts.values() for run in _HAN_RUN.findall(text)})
    words = sorted({run[a:b] for run in runs for a, b in WordBreaker(run, "zh").segments() if b - a >= 2})
    rng.shuffle(words)
    chosen = dict.fromkeys([*tokens[: count // 10], *words][:count])
    for _ in range(count * 50):
        if len(chosen) >= count or not runs:
            break
        run = rng.choice(runs)
        length = rng.randint(2, min(6, len(run)))
        start = rng.randint(0, len(run) - length)
        chosen.setdefault(run[start : start + length])
    drawn = list(chosen)
    rng.shuffle(drawn)
    return drawn


def holds(text: str, word: str) -> bool:
    """Whether `text` holds `word` as the search promises: Chinese anywhere, a Latin word or a number
    only where no letter or digit (nor a decimal point between digits) touches it."""
    text, word = text.translate(_FULL_WIDTH).lower(), word.translate(_FULL_WIDTH).lower()
    pattern = re.escape(word)
    if re.match(r"[a-z0-9]", word):
        pattern = r"(?<![a-z0-9])" + (r"(?<![0-9][.,])" if word[0].isdigit() else "") + pattern
    if re.search(r"[a-z0-9]$", word):
        pattern += r"(?![a-z0-9])" + (r"(?![.,][0-9])" if word[-1].isdigit() else "")
    return re.search(pattern, text) is not None


def expected(texts: Texts, words: list[str]) -> dict[str, set[str]]:
    """For each word, the articles that hold it."""
    return {word: {address for address, text in texts.items() if holds(text, word)} for word in words}


# Types each word, waits for its complete list, shows every result (the "more" button) and reads the links.
_SEARCH_ALL = """async (words) => {
    const box = document.querySelector('.search');
    const input = box.querySelector('input'), form = box.querySelector('form');
    const list = box.querySelector('.search-results');
    // (A list without data-total is an older search box's, complete once it names the query.)
    const done = (word) => list.dataset.query === word &&
        (list.hasAttribute('data-complete') || !list.hasAttribute('data-total'));
    const found = {};
    for (const word of words) {
        input.value = word;
        form.requestSubmit();
        for (let waited = 0; !done(word); waited++) {
            if (waited > 6000) throw new Error('no results for ' + word);
            await new Promise(r => setTimeout(r, 5));
        }
        let more;
        while ((more = list.querySelector('.search-more-button'))) more.click();
        const links = [...list.querySelectorAll('.search-result-link')].map(a => {
            const url = new URL(a.href);
            return url.pathname + url.hash;
        });
        found[word] = {total: Number(list.dataset.total ?? links.length), links};
    }
    return found;
}"""


def search_all(page: Any, words: list[str]) -> dict[str, dict[str, Any]]:
    """What the search box of the open page lists for each word: {"total": n, "links": [path#article …]}."""
    return page.evaluate(_SEARCH_ALL, words)


def misses(found: dict[str, dict[str, Any]], wanted: dict[str, set[str]], sub_path: str) -> dict[str, Any]:
    """Per word, the articles the search missed, those it listed wrongly, and a total that disagrees."""
    problems: dict[str, Any] = {}
    for word, addresses in wanted.items():
        listed = [link.removeprefix(sub_path) for link in found[word]["links"]]
        missed, extra = addresses - set(listed), set(listed) - addresses
        if missed or extra or len(listed) != len(set(listed)) or found[word]["total"] != len(addresses):
            problems[word] = {"missed": sorted(missed), "extra": sorted(extra), "total": found[word]["total"]}
    return problems
