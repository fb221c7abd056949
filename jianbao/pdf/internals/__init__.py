"""Every reach into a dependency's private internals, in one package, checked against the verified version.

WeasyPrint, Pango and cffi, ctypes, and the standard library's process pool:

    loading   start-up and per-PDF costs: cffi's array types, library names, whole font files
    colour    neutral colours as one ink, the sRGB profile, the shared colour-space resources
    boxes     the laid-out box tree: the box classes jianbao reads and moves, a page's boxes and
              footnote area, painting order, text runs drawn with other spacing
    relayout  edits to the parsed tree that the next `render()` of the same document picks up
    pool      the worker processes of a process pool

WeasyPrint has no public API for what jianbao does after layout (stretching
Chinese lines, moving the 报尾, keeping footnotes on their page), and its
start-up, per-PDF and memory costs have causes we can only remove from outside. Each
function says which private attribute or behaviour it relies on and why. They were
verified against `VERIFIED_WEASYPRINT`; `check_version()` refuses any other major
release with a clear message at start-up, and the canary tests (`pytest -m upgrade`,
tests/test_internals.py) exercise each one, so an upgrade fails loudly in one place
instead of printing wrong pages. No other module of jianbao imports WeasyPrint's
internals (its public `HTML`, `CSS`, `FontConfiguration` and `URLFetcher` are used
in jianbao/pdf/engine.py).

This package's own module imports nothing of WeasyPrint (`check_version` runs before it loads);
`boxes` imports WeasyPrint's box classes and is imported only by the modules that work on a layout.
"""

from __future__ import annotations

import re

from jianbao.errors import BuildError

# The WeasyPrint release whose internals this module was checked against (major.minor).
VERIFIED_WEASYPRINT = (70, 0)


def weasyprint_version() -> str:
    """The installed WeasyPrint's version, read without importing it."""
    from importlib import metadata

    try:
        return metadata.version("weasyprint")
    except metadata.PackageNotFoundError:
        return "0"


def check_version(installed: str | None = None) -> None:
    """Refuse a WeasyPrint whose major version differs from the verified one (a message, not a traceback)."""
    installed = installed or weasyprint_version()
    digits = re.match(r"\d+", installed)
    major = int(digits[0]) if digits else 0
    if major != VERIFIED_WEASYPRINT[0]:
        verified = ".".join(map(str, VERIFIED_WEASYPRINT))
        raise BuildError(
            f"已安装的 WeasyPrint 版本为 {installed}，jianbao 只在 {verified} 上核对过它的内部接口"
            "（jianbao/pdf/internals/）；请运行 bash scripts/setup.sh 安装锁定的版本"
        )


# --- ctypes: WeasyPrint's library loading -------------------------------------------------


def install() -> None:
    """Apply the process-wide changes every PDF relies on (each one once per process, guarded)."""
    from jianbao.pdf.internals.colour import neutral_colours_as_gray
    from jianbao.pdf.internals.loading import lazy_font_files, make_array_types_directly

    make_array_types_directly()
    neutral_colours_as_gray()  # black text and rules in one ink
    lazy_font_files()  # a font's whole file is never copied only to be subset
