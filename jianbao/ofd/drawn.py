"""What a page draws, in OFD's terms: glyph runs, paths and images, in page millimetres.

The values pages.py reads out of a PDF and package.py writes: the origin at
the page's top left and y going down, as OFD counts. Colours are RGB 0–255.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MM = 25.4 / 72  # one PDF point in millimetres

RGB = tuple[int, int, int]
Matrix = tuple[float, float, float, float, float, float]
# A path as OFD's AbbreviatedData commands: ("M", (x, y)), ("L", (x, y)), ("B", (x1, y1, x2, y2, x3, y3)), ("C", ()).
Command = tuple[str, tuple[float, ...]]


@dataclass(frozen=True)
class Glyph:
    """One character and its origin on the baseline (page mm)."""

    char: str
    x: float
    y: float
    joined: int = 0  # on the first character of a ligature: how many characters its one glyph draws


@dataclass(frozen=True)
class Text:
    """A run of glyphs in one font, size (mm) and colour."""

    font: int  # index into Layout.fonts
    size: float
    colour: RGB
    alpha: int
    glyphs: tuple[Glyph, ...]


@dataclass(frozen=True)
class Shape:
    """A filled and/or stroked path (page mm), with the clip areas the PDF drew it through."""

    commands: tuple[Command, ...]
    fill: RGB | None
    stroke: RGB | None
    width: float = 0.0
    even_odd: bool = False
    cap: str = "Butt"
    join: str = "Miter"
    dash: tuple[float, ...] = ()
    alpha: int = 255
    clips: tuple[tuple[Command, ...], ...] = ()


@dataclass(frozen=True)
class Picture:
    """An image and the box it fills (page mm)."""

    data: bytes
    kind: str  # "PNG" or "JPEG"
    box: tuple[float, float, float, float]  # x, y, width, height
    flipped: bool = False  # drawn upside down (the PDF's matrix has a positive y scale after the page flip)


Item = Text | Shape | Picture


@dataclass(frozen=True)
class Page:
    width: float
    height: float
    items: tuple[Item, ...]


@dataclass
class Font:
    """A font the PDF embeds, and the characters drawn with it."""

    name: str  # PostScript name without the subset tag
    data: bytes  # the embedded font program (a TrueType or OpenType subset), b"" if not embedded
    chars: set[str] = field(default_factory=set)
    ligatures: set[str] = field(default_factory=set)  # texts one glyph draws ("——"), for CGTransform


@dataclass(frozen=True)
class Mark:
    """A bookmark: its title, page (0-based), position (mm) and children."""

    title: str
    page: int
    x: float
    y: float
    children: tuple[Mark, ...] = ()


@dataclass(frozen=True)
class Layout:
    pages: tuple[Page, ...]
    fonts: tuple[Font, ...]
    outline: tuple[Mark, ...]
