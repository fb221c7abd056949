"""WeasyPrint's laid-out box tree, as jianbao reads and moves it after layout.

WeasyPrint 70's boxes (weasyprint/formatting_structure/boxes.py) are not part of
its public API; jianbao/pdf/justify.py, footnotes.py and engine.py use the classes
re-exported here and only these attributes and methods of them: `children`,
`element`, `element_tag`, `style`, `text`, `position_x`, `position_y`, `width`,
`height`, `margin_top`, `translate`, `descendants`, `margin_width`, `content_box_x`,
`content_box_y`, `border_box_y`, `border_height`, `is_in_normal_flow`, and a row
group's `is_header` — each
exercised by a canary in tests/test_internals.py.
"""

from __future__ import annotations

from typing import Any

from weasyprint.formatting_structure.boxes import (
    BlockContainerBox,
    BlockLevelBox,
    Box,
    FootnoteAreaBox,
    InlineBox,
    LineBox,
    ReplacedBox,
    TableBox,
    TableRowBox,
    TableRowGroupBox,
    TextBox,
)

__all__ = [
    "BlockContainerBox",
    "BlockLevelBox",
    "Box",
    "FootnoteAreaBox",
    "InlineBox",
    "LineBox",
    "ReplacedBox",
    "TableBox",
    "TableRowBox",
    "TableRowGroupBox",
    "TextBox",
]


def page_box(page: Any) -> Any:
    """The laid-out box tree of a `weasyprint.Page` (private `_page_box`: the public Page has no boxes)."""
    return page._page_box


def drop_characters(box: Any, char: str) -> None:
    """Take `char` out of a laid-out TextBox: from its text and from its Pango layout's
    (`pango_layout.text`, which is what WeasyPrint draws), without a new layout."""
    box.text = box.text.replace(char, "")
    box.pango_layout.text = box.pango_layout.text.replace(char, "")


def set_letter_spacing(box: Any, spacing: float) -> None:
    """Draw a laid-out TextBox with another letter spacing (px); its style dict is shared, so it is copied."""
    style = box.style.copy()
    style["letter_spacing"] = spacing
    box.style = style


def drop_word_justification(box: Any) -> float:
    """Draw a laid-out TextBox's spaces at their own width again; return the width taken off.

    WeasyPrint 70's `text-align: justify` puts a line's whole slack into its spaces
    (layout/inline.py, `add_word_spacing`: `box.justification_spacing`, which the
    box's Pango layout adds to each space when it is drawn). In a line of Chinese
    with one Latin word space that is one wide hole; justify.py spreads the slack
    over every gap instead.
    """
    spacing = getattr(box, "justification_spacing", 0)
    if not spacing:
        return 0.0
    removed = spacing * (box.text.count(" ") + box.text.count("\u00a0"))
    box.justification_spacing = 0
    box.pango_layout.justification_spacing = 0
    box.width -= removed
    return float(removed)


def drawn_spacing(units: int, font_size: float) -> float:
    """The spacing (px) drawn after each full-width glyph for a letter spacing
    of `units`/1024 px at `font_size` px.

    Pango adds the spacing to each glyph's advance and half of it to its x
    offset; WeasyPrint 70 (pdf/stream.py, show_text) writes the advance to the
    PDF as a whole number of thousandths of an em (truncated) plus the offset
    as a fraction. Doing the same arithmetic here makes every gap of a
    stretched line equal and puts its last glyph on the edge, instead of
    drifting by up to 1/1000 em a character.
    """
    glyph = round(font_size * 1024)  # a 1000-unit glyph, in Pango units
    offset = int(units / 2) / font_size  # WeasyPrint's offset, in thousandths of an em
    kerning = 1000 + offset - (glyph + units) * 1000 / 1024 / font_size
    return (offset - int(kerning)) * font_size / 1000


def flow_root(page: Any) -> Any:
    """The page's root element box: the body text, not the page margins or the footnote area."""
    return page_box(page).children[0]


def in_flow(box: Any) -> list[Any]:
    """The in-flow block-level children of a box."""
    return [c for c in getattr(box, "children", ()) if isinstance(c, BlockLevelBox) and c.is_in_normal_flow()]


def footnote_area(page: Any) -> Any | None:
    """A laid-out page's footnote area when it holds a footnote, else None.

    WeasyPrint 70 (layout/page.py, make_page) makes the page's children
    `[root box, footnote area, note area]`; the area sits at the page bottom.
    """
    for child in page_box(page).children:
        if isinstance(child, FootnoteAreaBox) and child.children:
            return child
    return None


def paint_in_tree_order(box: Any) -> None:
    """Have a laid-out box, and its positioned descendants, painted in document order.

    WeasyPrint 70 paints positioned boxes (stacking.py, `_dispatch`: any
    `position` but static) after the page's in-flow content, so a masthead
    laid out with `position: relative` / `absolute` came last in the page's
    content stream: text extraction, copy-paste and untagged readers gave the
    article before the masthead. Layout is done (positions are final), so the
    boxes are marked static on copies of their styles; only painting reads it.
    """
    from weasyprint.layout.absolute import AbsolutePlaceholder

    stack: list[tuple[Any, Any]] = [(box, None)]
    while stack:
        current, parent = stack.pop()
        if isinstance(current, AbsolutePlaceholder):
            current = current._box
        # A positioned box inside a line stays positioned: WeasyPrint paints lines' children as inline.
        in_line = isinstance(parent, LineBox) or (parent is not None and not isinstance(parent, BlockLevelBox))
        positioned = current.style["position"] in ("relative", "absolute") and current.style["z_index"] == "auto"
        if positioned and not (in_line and isinstance(current, BlockLevelBox)):
            style = current.style.copy()
            style["position"] = "static"
            current.style = style
        stack.extend((child, current) for child in getattr(current, "children", ()))
