"""Colour in WeasyPrint's PDFs: neutral colours as one ink, the sRGB profile, the shared colour-space resources."""

from __future__ import annotations

from typing import Any


def neutral_colours_as_gray() -> None:
    """Write an sRGB neutral (black, grays) as DeviceGray, once per process.

    WeasyPrint 70 (pdf/stream.py, `Stream.set_color`) writes every sRGB colour
    with `rg`/`RG` (pydyf's `set_color_rgb`), so black text is `0 0 0 rg` and a
    print shop separates it into four inks. A neutral r = g = b carries no hue:
    `0 g` is the same colour in one (K) ink, and DeviceGray is allowed in PDF/A
    and PDF/X alike. No public option does this; CSS could only say
    `device-cmyk(0 0 0 1)`, element by element, and not in PDF/A.
    """
    import pydyf
    from weasyprint.pdf.stream import Stream

    if getattr(Stream.set_color_rgb, "jianbao_gray", False):
        return
    rgb = pydyf.Stream.set_color_rgb

    def set_color_rgb(self: Any, r: float, g: float, b: float, stroke: bool = False) -> None:
        if r == g == b:
            level = f"{float(r):.4f}".rstrip("0").rstrip(".") or "0"  # no exponent: PDF has none
            self.stream.append(f"{level} {'G' if stroke else 'g'}".encode())
        else:
            rgb(self, r, g, b, stroke)

    set_color_rgb.jianbao_gray = True  # type: ignore[attr-defined]
    Stream.set_color_rgb = set_color_rgb


def srgb_profile_bytes() -> bytes:
    """The sRGB ICC profile WeasyPrint ships for PDF/A (weasyprint/pdf/sRGB2014.icc, package data)."""
    from importlib.resources import files

    return (files("weasyprint.pdf") / "sRGB2014.icc").read_bytes()


def is_colour_space_resources(item: Any) -> bool:
    """Whether a PDF object is WeasyPrint's shared /ColorSpace resource dictionary.

    WeasyPrint 70 (pdf/__init__.py, generate_pdf) makes one for all pages, holding
    its `lab-d50` and `lab-d65` spaces; the `finisher` hook sees only the object list.
    """
    import pydyf

    return isinstance(item, pydyf.Dictionary) and "lab-d50" in item and "lab-d65" in item
