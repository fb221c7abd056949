"""Markup: an article's Markdown → its tree (jianbao/tree.py), the one the web page, the print HTML, the
Word edition and `check` all read.

article    Markdown → ArticleBody: the sanitized tree, headings, images asked for, warnings
lines      each block's line in the article file, on the tree
headings   heading numbers (一、（一）1.（1）), Chinese line joins
images     image widths asked for ({width=50%}, <img width>) as a share of the 版心; raw <img> made elements
richtext   figures, tables (captions as people type them), footnotes, list markers
sanitize   the HTML allowlist (nh3), and the same allowlist for trees read back from a cache
memo       parsed issues kept between runs, beside the output folder, checked like fresh content

`load_content` is the first phase of every build and of `check`: the load stage reads and checks the
files, handing each article body to this stage.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from jianbao.errors import Problem
from jianbao.load.content import Memo, load_site
from jianbao.markup.article import issue_converter
from jianbao.model import Article, Site

if TYPE_CHECKING:
    from jianbao.digests import TreeDigests


def load_content(
    content: Path,
    *,
    strict: bool = False,
    memo: Memo | None = None,
    digests: TreeDigests | None = None,
    loaded: list[tuple[Article, frozenset[str]]] | None = None,
) -> tuple[Site, list[Problem]]:
    """Load and check everything under `content` into the model, article bodies as trees
    (`load_site` with this stage's converter); raise `ContentError` on any error."""
    return load_site(content, issue_converter, strict=strict, memo=memo, digests=digests, loaded=loaded)
