"""HTML fragment ⇄ a frozen element tree: how an article's body travels from Markdown to the page.

The Markdown stage parses each article once into a tree of `Node`s (tag,
attributes, children that are nodes or text, and the article file's line the
block came from). Every later stage — the web page, the print HTML, the Word
edition, `check` — reads or transforms that tree and never reparses HTML text.
`to_html` serialises a tree the way html5ever (the sanitizer's engine) does
(but for `<` `>` in attribute values, escaped too), so a tree made from
sanitized HTML prints back as it came.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from html.parser import HTMLParser

# Elements that never have content or an end tag.
VOID_TAGS = frozenset({"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"})
# Elements whose text is written as it is (a page's stylesheet and scripts).
RAW_TEXT_TAGS = frozenset({"style", "script"})


@dataclass(frozen=True, slots=True)
class Node:
    """One element: its tag, its attributes in source order, its children (nodes and text) and its source line."""

    tag: str
    attrs: tuple[tuple[str, str | None], ...] = ()  # None: a boolean attribute, written bare
    children: tuple[Node | str, ...] = ()
    line: int = 0  # line in the article file the block starts on; 0 when it has none of its own

    def get(self, name: str, default: str | None = None) -> str | None:
        """The value of attribute `name`."""
        for key, value in self.attrs:
            if key == name:
                return value
        return default

    def has(self, name: str) -> bool:
        """Whether attribute `name` is set (a bare boolean attribute such as `hidden` has no value)."""
        return any(key == name for key, _ in self.attrs)

    @property
    def classes(self) -> tuple[str, ...]:
        """The words of the class attribute."""
        return tuple((self.get("class") or "").split())

    def text(self) -> str:
        """All the text inside, in document order."""
        return "".join(child if isinstance(child, str) else child.text() for child in self.children)

    def iter(self, tag: str | None = None) -> Iterator[Node]:
        """This node and every node below it, in document order (only `tag` ones if given)."""
        if tag is None or self.tag == tag:
            yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.iter(tag)

    def elements(self) -> tuple[Node, ...]:
        """The children that are elements."""
        return tuple(child for child in self.children if isinstance(child, Node))

    def with_attr(self, name: str, value: str) -> Node:
        """A copy with attribute `name` set (appended when new)."""
        if any(key == name for key, _ in self.attrs):
            return replace(self, attrs=tuple((key, value if key == name else old) for key, old in self.attrs))
        return replace(self, attrs=(*self.attrs, (name, value)))

    def without_attr(self, name: str) -> Node:
        """A copy without attribute `name`."""
        return replace(self, attrs=tuple((key, value) for key, value in self.attrs if key != name))

    def with_children(self, children: tuple[Node | str, ...] | list[Node | str]) -> Node:
        """A copy with other children."""
        return replace(self, children=tuple(children))


def element(tag: str, *children: Node | str, **attrs: str | None) -> Node:
    """`element("p", "text", id="x")`; `class_` stands for `class`, `data_x` for `data-x`, None for a bare
    (boolean) attribute."""
    pairs = tuple((name.rstrip("_").replace("_", "-"), value) for name, value in attrs.items())
    return Node(tag, pairs, tuple(children))


def fragment(*children: Node | str) -> Node:
    """A root with no tag of its own: serialises as its children only."""
    return Node("", (), tuple(children))


# ---- Transformations ------------------------------------------------------------------


def map_text(node: Node, change: Callable[[str, tuple[Node, ...]], list[Node | str] | str]) -> Node:
    """A copy of `node` whose every text child went through `change(text, ancestors)` (which may
    return text, or a list of text and nodes to put in its place)."""

    def walk(current: Node, ancestors: tuple[Node, ...]) -> Node:
        inside = (*ancestors, current)
        children: list[Node | str] = []
        for child in current.children:
            if isinstance(child, str):
                changed = change(child, inside)
                children.extend([changed] if isinstance(changed, str) else changed)
            else:
                children.append(walk(child, inside))
        return current.with_children(_merge_text(children))

    return walk(node, ())


def map_nodes(node: Node, change: Callable[[Node], Node | list[Node | str]]) -> Node:
    """A copy of `node` whose descendants (bottom up) went through `change`, which may
    return one node or a list of nodes and text to put in its place."""
    children: list[Node | str] = []
    for child in node.children:
        if isinstance(child, str):
            children.append(child)
            continue
        changed = change(map_nodes(child, change))
        children.extend([changed] if isinstance(changed, Node) else changed)
    return node.with_children(_merge_text(children))


def _merge_text(children: list[Node | str]) -> list[Node | str]:
    """Adjacent text children joined, empty ones dropped."""
    merged: list[Node | str] = []
    for child in children:
        if isinstance(child, str):
            if not child:
                continue
            if merged and isinstance(merged[-1], str):
                merged[-1] += child
                continue
        merged.append(child)
    return merged


# ---- HTML text ⇄ tree -------------------------------------------------------------------


class _TreeBuilder(HTMLParser):
    """Builds nodes from well-formed HTML (the sanitizer's output)."""

    def __init__(self, line_attribute: str | None) -> None:
        super().__init__(convert_charrefs=True)
        self.line_attribute = line_attribute
        self.stack: list[tuple[str, list[tuple[str, str | None]], list[Node | str], int]] = [("", [], [], 0)]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        pairs: list[tuple[str, str | None]] = []
        line = 0
        for name, value in attrs:
            if name == self.line_attribute:
                line = int(value) if value and value.isdigit() else 0
            else:
                pairs.append((name, value))
        if tag in VOID_TAGS:
            self.stack[-1][2].append(Node(tag, tuple(pairs), (), line))
        else:
            self.stack.append((tag, pairs, [], line))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID_TAGS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID_TAGS or all(open_tag != tag for open_tag, *_ in self.stack[1:]):
            return  # a stray end tag: the sanitizer never writes one
        while True:
            name, attrs, children, line = self.stack.pop()
            self.stack[-1][2].append(Node(name, tuple(attrs), tuple(_merge_text(children)), line))
            if name == tag:
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1][2].append(data)

    def close_all(self) -> Node:
        self.close()
        while len(self.stack) > 1:
            name, attrs, children, line = self.stack.pop()
            self.stack[-1][2].append(Node(name, tuple(attrs), tuple(_merge_text(children)), line))
        return fragment(*_merge_text(self.stack[0][2]))


def parse_fragment(html: str, line_attribute: str | None = None) -> Node:
    """Well-formed HTML → a fragment root; `line_attribute` (if given) becomes each node's `line`."""
    builder = _TreeBuilder(line_attribute)
    builder.feed(html)
    return builder.close_all()


def escape_text(text: str) -> str:
    """Escape text as html5ever does."""
    return text.replace("&", "&amp;").replace("\u00a0", "&nbsp;").replace("<", "&lt;").replace(">", "&gt;")


def escape_attribute(value: str) -> str:
    """Escape an attribute value (inside double quotes) as html5ever does, and `<` `>` too (no text scan
    of a page ever finds a tag inside an attribute)."""
    return escape_text(value).replace('"', "&quot;")


def to_html(node: Node | str) -> str:
    """The tree as HTML text (a fragment root: its children only)."""
    if isinstance(node, str):
        return escape_text(node)
    if node.tag in RAW_TEXT_TAGS:
        inner = "".join(child if isinstance(child, str) else to_html(child) for child in node.children)
    else:
        inner = "".join(to_html(child) for child in node.children)
    if not node.tag:
        return inner
    attrs = "".join(
        f" {name}" if value is None else f' {name}="{escape_attribute(value)}"' for name, value in node.attrs
    )
    if node.tag in VOID_TAGS:
        return f"<{node.tag}{attrs}>"
    return f"<{node.tag}{attrs}>{inner}</{node.tag}>"
