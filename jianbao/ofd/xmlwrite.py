"""Values → OFD XML text: escaped elements with the `ofd:` prefix, numbers, and TextCode runs.

Written as text rather than through an XML library: the files are flat and
many (one element per glyph run), and the text form is fast and byte-stable.
Characters XML 1.0 cannot carry (control characters, lone surrogates,
U+FFFE/U+FFFF) are dropped; `&`, `<`, `>` and `"` are escaped, so any Unicode in
a title, a file name or the text is written correctly.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence

from jianbao.ofd.drawn import Glyph

_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_ATTR = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\n": "&#10;", "\t": "&#9;", "\r": "&#13;"}
)
PRECISION = 3  # decimals of a millimetre: one micrometre


def escape_text(value: str) -> str:
    return _INVALID.sub("", value).translate(_TEXT)


def escape_attr(value: str) -> str:
    return _INVALID.sub("", value).translate(_ATTR)


def attrs(fields: dict[str, object]) -> str:
    """` Name="value"` for each field, in the order given."""
    return "".join(f' {name}="{escape_attr(str(value))}"' for name, value in fields.items())


def element(name: str, fields: dict[str, object] | None = None, *, text: str = "", children: Iterable[str] = ()) -> str:
    """`<ofd:name …>text or children</ofd:name>`, or `<ofd:name …/>` when empty."""
    inner = escape_text(text) + "".join(children)
    opening = f"ofd:{name}{attrs(fields or {})}"
    return f"<{opening}>{inner}</ofd:{name}>" if inner else f"<{opening}/>"


def number(value: float) -> str:
    """A coordinate in mm: three decimals at most, no trailing zeros, no `-0`."""
    text = f"{value:.{PRECISION}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def text_codes(glyphs: Sequence[Glyph], left: float, top: float, ligatures: dict[str, int] | None = None) -> list[str]:
    """TextCode elements placing every glyph at its origin, relative to (left, top), each after the
    CGTransforms that draw its ligatures (text → glyph in `ligatures`) with one glyph.

    A new TextCode starts where the baseline moves by more than DeltaY should
    carry (a new line) and around a character beyond the BMP: ofd.js steps
    through a TextCode by UTF-16 units, so such a character gets its own.
    """
    codes = []
    for run in _runs(glyphs):
        codes += cg_transforms(run, ligatures or {})
        xs = [round(g.x - left, PRECISION) for g in run]
        ys = [round(g.y - top, PRECISION) for g in run]
        fields: dict[str, object] = {"X": number(xs[0]), "Y": number(ys[0])}
        if len(run) > 1:
            fields["DeltaX"] = deltas([b - a for a, b in itertools.pairwise(xs)])
            if any(b != a for a, b in itertools.pairwise(ys)):
                fields["DeltaY"] = deltas([b - a for a, b in itertools.pairwise(ys)])
        codes.append(element("TextCode", fields, text="".join(g.char for g in run)))
    return codes


def cg_transforms(run: list[Glyph], ligatures: dict[str, int]) -> list[str]:
    """A CGTransform for each ligature of the run whose glyph the font has."""
    found = []
    for position, glyph in enumerate(run):
        text = "".join(g.char for g in run[position : position + glyph.joined])
        if glyph.joined > 1 and len(text) == glyph.joined and text in ligatures:
            fields: dict[str, object] = {"CodePosition": position, "CodeCount": glyph.joined, "GlyphCount": 1}
            found.append(element("CGTransform", fields, children=[element("Glyphs", text=str(ligatures[text]))]))
    return found


def _runs(glyphs: Sequence[Glyph]) -> list[list[Glyph]]:
    runs: list[list[Glyph]] = []
    for glyph in glyphs:
        wide = ord(glyph.char) > 0xFFFF
        last = runs[-1][-1] if runs else None
        if last is None or wide or ord(last.char) > 0xFFFF or abs(glyph.y - last.y) > 0.01:
            runs.append([])
        runs[-1].append(glyph)
    return runs


def deltas(values: list[float]) -> str:
    """A DeltaX/DeltaY array, a repeated value written `g N value` (three or more in a row)."""
    parts: list[str] = []
    index = 0
    while index < len(values):
        value = number(values[index])
        end = index
        while end + 1 < len(values) and number(values[end + 1]) == value:
            end += 1
        count = end - index + 1
        parts += ["g", str(count), value] if count >= 3 else [value] * count
        index = end + 1
    return " ".join(parts)
