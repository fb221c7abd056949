"""Edits to a document's parsed tree that the next `render()` of the same `weasyprint.HTML` picks up.

WeasyPrint keeps the parsed tree in the HTML object and builds its boxes from
it again on each render (cssselect2 makes new wrappers below the root), so
editing the tree is how jianbao lays a document out a second time with a
forced page break or a squeezed mark; no public hook exists.
"""

from __future__ import annotations

from typing import Any


def force_break_before(element: Any) -> None:
    """Make `element` start a new page at the next `render()` of the same `weasyprint.HTML`.

    WeasyPrint keeps the parsed tree in the HTML object and reads inline styles
    again on each render, so editing the element is enough (no public hook exists).
    """
    style = element.get("style", "")
    element.set("style", f"{style};break-before:page" if style else "break-before:page")


def _own_texts(element: Any) -> list[tuple[Any, str]]:
    """The text nodes directly in `element`: ("text", element) for its text, ("tail", child) for each child's tail."""
    return [(element, "text"), *((child, "tail") for child in element)]


def edit_text(element: Any, context: str, index: int, wrap_class: str | None, length: int = 1, style: str = "") -> bool:
    """Change `length` characters from `index` of `context` in `element`'s own text, for the next
    `render()` of the same `weasyprint.HTML`: wrap them in a span of class `wrap_class` (with
    inline `style`), or delete them (None).

    A laid-out TextBox keeps its element (`box.element`, the parsed tree's node) but not its
    place in the element's text, so `context` (the box's text) is looked up; it must occur
    exactly once. WeasyPrint builds its boxes from that tree again on each render (cssselect2
    makes new wrappers below the root), so editing it is enough. Returns False, changing
    nothing, when the context is not found once.
    """
    if element is None:
        return False  # an anonymous box's text (generated content) is in no element
    found = []
    for node, attr in _own_texts(element):
        text = getattr(node, attr) or ""
        start = text.find(context)
        while start >= 0:
            found.append((node, attr, start + index))
            start = text.find(context, start + 1)
    if len(found) != 1:
        return False
    node, attr, at = found[0]
    text = getattr(node, attr)
    if wrap_class is None:
        setattr(node, attr, text[:at] + text[at + length :])
        return True
    span = element.makeelement("span", {"class": wrap_class, **({"style": style} if style else {})})
    span.text, span.tail = text[at : at + length], text[at + length :]
    setattr(node, attr, text[:at])
    element.insert(0 if attr == "text" else list(element).index(node) + 1, span)
    return True


def move_after(parent: Any, element: Any, target: Any) -> None:
    """Move `element`, a child of `parent` in the parsed tree, to just after its sibling `target`.

    The text (tail) after `element` stays where it was; `element` takes `target`'s tail's place.
    """
    children = list(parent)
    position = children.index(element)
    before = children[position - 1] if position else None
    tail = element.tail
    parent.remove(element)
    if before is not None:
        before.tail = (before.tail or "") + (tail or "")
    else:
        parent.text = (parent.text or "") + (tail or "")
    element.tail, target.tail = target.tail, None
    parent.insert(list(parent).index(target) + 1, element)
