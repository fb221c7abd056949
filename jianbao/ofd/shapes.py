"""A PDF path as drawn → the ink it makes, in a form every OFD reader fills the same way.

WeasyPrint draws a border as two rectangles filled even-odd (the outer box
minus the inner one) through a clip: the masthead's red rule is a 589 × 0 pt
box and a 589 × 2.7 pt box, the 报尾's bottom rule a 173 pt tall frame whose
clip leaves a 0.9 pt band. An OFD reader that ignores `Rule="Even-Odd"` or
clips (ofd.js does both) would paint the whole box. So a path made only of
axis-aligned rectangles is resolved here into the disjoint rectangles it
actually inks — fill rule and rectangular clips applied — and written with
the default non-zero rule and no clip. Any other path is kept as it is, with
its rule and its clips (which the standard defines and careful readers honour).
"""

from __future__ import annotations

import itertools
from dataclasses import replace

from jianbao.ofd.drawn import Command, Shape

Rect = tuple[float, float, float, float]  # left, top, right, bottom (mm)
EPSILON = 1e-4  # mm: edges closer than this are one edge


def resolved(shape: Shape) -> Shape | None:
    """`shape` with its ink as plain rectangles when it is made of rectangles; None when it inks nothing."""
    if shape.stroke is not None or shape.fill is None:
        return shape
    rects = [_rect(path) for path in subpaths(shape.commands)]
    if any(rect is None for rect in rects):
        return shape
    clips = [_rect(clip) for clip in shape.clips]
    if any(clip is None for clip in clips):
        return shape
    ink = _region([rect for rect in rects if rect is not None], shape.even_odd)
    for clip in clips:
        if clip is not None:
            ink = [cut for rect in ink if (cut := _intersect(rect, clip[0])) is not None]
    if not ink:
        return None
    return replace(shape, commands=tuple(_rect_commands(ink)), even_odd=False, clips=())


def subpaths(commands: tuple[Command, ...]) -> list[list[Command]]:
    """The path cut at each move."""
    paths: list[list[Command]] = []
    for command in commands:
        if command[0] == "M" or not paths:
            paths.append([])
        paths[-1].append(command)
    return paths


def bounds(commands: tuple[Command, ...]) -> Rect | None:
    """The box around every point of the path (control points included)."""
    xs = [v for _, values in commands for v in values[0::2]]
    ys = [v for _, values in commands for v in values[1::2]]
    return (min(xs), min(ys), max(xs), max(ys)) if xs else None


def _rect(path: list[Command] | tuple[Command, ...]) -> tuple[Rect, int] | None:
    """An axis-aligned rectangle subpath as (box, winding direction ±1); None for anything else."""
    points: list[tuple[float, float]] = []
    for kind, values in path:
        if kind == "B":
            return None
        if kind in ("M", "L"):
            point = (values[0], values[1])
            if not points or _far(point, points[-1]):
                points.append(point)
    if len(points) > 1 and not _far(points[0], points[-1]):
        points.pop()
    if len(points) in (1, 2):
        points += points[::-1]  # a rectangle of no height or width (WeasyPrint's frame of a one-side border)
    if len(points) != 4:
        return None
    for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1], strict=True):
        if abs(x1 - x2) > EPSILON and abs(y1 - y2) > EPSILON:
            return None  # a slanted edge
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    area = sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1], strict=True))
    return (min(xs), min(ys), max(xs), max(ys)), (1 if area >= 0 else -1)


def _far(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return abs(a[0] - b[0]) > EPSILON or abs(a[1] - b[1]) > EPSILON


def _region(rects: list[tuple[Rect, int]], even_odd: bool) -> list[Rect]:
    """The area the rectangles ink under the fill rule, as disjoint rectangles (row bands merged)."""
    xs = sorted({v for (left, _, right, _), _ in rects for v in (left, right)})
    ys = sorted({v for (_, top, _, bottom), _ in rects for v in (top, bottom)})
    out: list[Rect] = []
    for top, bottom in itertools.pairwise(ys):
        if bottom - top <= EPSILON:
            continue
        middle_y = (top + bottom) / 2
        start: float | None = None
        for left, right in itertools.pairwise(xs):
            middle_x = (left + right) / 2
            inside = [sign for (x0, y0, x1, y1), sign in rects if x0 < middle_x < x1 and y0 < middle_y < y1]
            inked = len(inside) % 2 == 1 if even_odd else sum(inside) != 0
            if inked and right - left > EPSILON and start is None:
                start = left
            if not inked and start is not None:
                out.append((start, top, left, bottom))
                start = None
        if start is not None:
            out.append((start, top, xs[-1], bottom))
    return out


def _intersect(a: Rect, b: Rect) -> Rect | None:
    left, top, right, bottom = max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])
    return (left, top, right, bottom) if right - left > EPSILON and bottom - top > EPSILON else None


def _rect_commands(rects: list[Rect]) -> list[Command]:
    commands: list[Command] = []
    for left, top, right, bottom in rects:
        commands += [("M", (left, top)), ("L", (right, top)), ("L", (right, bottom)), ("L", (left, bottom)), ("C", ())]
    return commands
