"""Break a good OFD on purpose, the three ways issue 24 names, to prove the checks catch each.

missing-font   the first embedded font file taken out of the package
wrong-deltax   the first multi-character TextCode of page 1 with one DeltaX value 3 mm off
missing-page   the last page gone: its Content.xml and its entry in Document.xml
"""

from __future__ import annotations

import io
import re
import zipfile

KINDS = ("missing-font", "wrong-deltax", "missing-page")


def broken(ofd: bytes, kind: str) -> bytes:
    """`ofd` broken in one way (see the module docstring)."""
    files = _files(ofd)
    if kind == "missing-font":
        del files[next(name for name in files if name.startswith("Doc_0/Res/font_"))]
    elif kind == "wrong-deltax":
        page = "Doc_0/Pages/Page_0/Content.xml"
        text = files[page].decode()
        match = re.search(r'DeltaX="(g \d+ )?([-\d.]+)', text)
        assert match is not None
        start, end = match.span(2)
        text = text[:start] + f"{float(match[2]) + 3:g}" + text[end:]
        files[page] = text.encode()
    elif kind == "missing-page":
        pages = sorted((n for n in files if n.endswith("/Content.xml")), key=_page_number)
        last = pages[-1]
        del files[last]
        document = files["Doc_0/Document.xml"].decode()
        loc = last.removeprefix("Doc_0/")
        files["Doc_0/Document.xml"] = re.sub(rf'<ofd:Page ID="\d+" BaseLoc="{re.escape(loc)}"/>', "", document).encode()
    else:
        raise ValueError(kind)
    return _zip(files)


def _page_number(name: str) -> int:
    return int(re.search(r"Page_(\d+)", name)[1])  # type: ignore[index]


def _files(ofd: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(ofd)) as package:
        return {name: package.read(name) for name in package.namelist()}


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in files.items():
            package.writestr(name, data)
    return buffer.getvalue()
