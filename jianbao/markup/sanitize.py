"""HTML an article may contain → only the allowed tags and attributes (the allowlist, applied twice).

Raw HTML in Markdown goes through nh3 (an html5ever-based allowlist sanitizer)
before the body becomes a tree: no scripts, no styles, no event attributes,
links only to an anchor or a full URL. `check_tree` applies the same
allowlist to a tree read back from a cache, so a cache is never trusted more
than the content it was made from.
"""

from __future__ import annotations

import re

import nh3

from jianbao.markup.images import SHARE
from jianbao.markup.lines import LINE_ATTRIBUTE
from jianbao.tree import Node

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "hr", "h3", "h4", "h5", "h6", "strong", "b", "em", "i", "u", "s", "del", "sub", "sup",
        "code", "pre", "blockquote", "ul", "ol", "li", "a", "img", "figure", "figcaption",
        "table", "thead", "tbody", "tr", "th", "td", "caption", "div", "span",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "*": {"id", "class", LINE_ATTRIBUTE},
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width"},  # width: a share of the 版心 (images.py), checked below
    "th": {"align", "colspan", "rowspan"},
    "td": {"align", "colspan", "rowspan"},
    "ol": {"start"},
}
# What the sanitizer itself adds: `rel="noopener noreferrer"` on every link.
_ADDED_ATTRIBUTES = {"a": {"rel"}}
_LINK_TARGET = re.compile(r"^(?:#|https?://|mailto:)", re.IGNORECASE)
_NOT_A_URL = re.compile(r"^[^:/?#]*(?:[/?#]|$)")  # a relative path, a query or an anchor


def _keep_attribute(tag: str, name: str, value: str) -> str | None:
    """Links go to an anchor or a full URL (a relative path would become a file: link in the PDF); an image's
    width is a share of the 版心 as images.py writes it (`50%`), never a raw value."""
    if tag == "a" and name == "href" and not _LINK_TARGET.match(value.strip()):
        return None
    if tag == "img" and name == "width" and not SHARE.match(value):
        return None
    return value


def sanitize(html: str) -> str:
    """Keep only the tags and attributes an article may use; no scripts, no styles."""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        strip_comments=True,
        attribute_filter=_keep_attribute,
    )


def check_tree(node: Node | str) -> bool:
    """Whether a tree holds only what `sanitize` lets through (for trees read back from a cache)."""
    if isinstance(node, str):
        return True
    if node.tag and node.tag not in ALLOWED_TAGS:
        return False
    allowed = ALLOWED_ATTRIBUTES["*"] | ALLOWED_ATTRIBUTES.get(node.tag, set()) | _ADDED_ATTRIBUTES.get(node.tag, set())
    for name, value in node.attrs:
        if name not in allowed:
            return False
        if name == "href" and not _LINK_TARGET.match((value or "").strip()):
            return False
        if name == "src" and not _NOT_A_URL.match(value or ""):
            return False  # an image is a file of the issue's, never a URL (re-confined by the loader)
        if name == "width" and not SHARE.match(value or ""):
            return False
    return all(check_tree(child) for child in node.children)
