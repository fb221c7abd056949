"""A text object's characters as PDFium reports them → the same with ligatures spread, and the ligatures' texts.

Characters one glyph draws (a ligature: "——" as one long dash, "fi") all
get that glyph's origin from PDFium. OFD draws each character with its own
glyph unless a CGTransform says otherwise, and readers that ignore
CGTransform (ofd.js) would stack them: they are spread evenly over the
cluster's advance, and the first one notes how many characters its glyph
draws (`Glyph.joined`), for the CGTransform (package.py, xmlwrite.py).
"""

from __future__ import annotations

from jianbao.ofd.drawn import Glyph


def spread(glyphs: list[Glyph], ends: list[float]) -> list[Glyph]:
    """Characters one glyph draws (a ligature: "——" as one long dash, "fi") share its origin; OFD draws
    each character with its own glyph, so they are spread evenly over the cluster's advance."""
    out: list[Glyph] = []
    start = 0
    while start < len(glyphs):
        end = start + 1
        while end < len(glyphs) and (glyphs[end].x, glyphs[end].y) == (glyphs[start].x, glyphs[start].y):
            end += 1
        first = glyphs[start]
        if end - start == 1:
            out.append(first)
        else:
            following = glyphs[end] if end < len(glyphs) and glyphs[end].y == first.y else None
            step = ((following.x if following else max(ends[start:end])) - first.x) / (end - start)
            cluster = glyphs[start:end]
            out += [Glyph(g.char, first.x + k * step, g.y, end - start if k == 0 else 0) for k, g in enumerate(cluster)]
        start = end
    return out


def ligatures(glyphs: list[Glyph]) -> set[str]:
    """The texts of the run's ligatures."""
    return {"".join(g.char for g in glyphs[k : k + g.joined]) for k, g in enumerate(glyphs) if g.joined}
