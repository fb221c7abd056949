"""Start-up, per-PDF and memory costs removed from outside: library names, cffi's array types, whole font files.

Each change is applied once per process, and says which private behaviour it relies on.
"""

from __future__ import annotations

import ctypes.util
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def fast_library_load() -> Iterator[None]:
    """Let cffi try WeasyPrint's library names without `ctypes.util.find_library` (patched process-wide, briefly).

    WeasyPrint 70 tries names such as "libgobject-2.0-0" before the real sonames,
    and for every miss cffi calls find_library, which runs ldconfig, gcc and ld:
    a large part of each start-up. The sonames it tries next ("libgobject-2.0.so.0")
    are opened by dlopen directly, so skipping the search changes nothing else.
    """
    original = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        yield
    finally:
        ctypes.util.find_library = original


# --- cffi: array types for HarfBuzz ------------------------------------------------------


class _ArrayTypes(dict[str, Any]):
    """cffi's parsed-type cache (`ffi._parsed_types`) that makes array types of a known item type directly.

    WeasyPrint asks cffi for a `hb_codepoint_t[N]` of a new length N for each
    font of each PDF, and cffi parses every new type string with pycparser,
    declaring all ~120 typedefs of WeasyPrint's cdef again first. The backend
    (`ffi._backend`) builds the same, unique, type without a parser.
    """

    _ARRAY = re.compile(r"([A-Za-z_]\w*)\[(\d+)\]")

    def __init__(self, ffi: Any, known: dict[str, Any]):
        super().__init__(known)
        self.ffi = ffi

    def __missing__(self, cdecl: str) -> tuple[Any, bool]:
        match = self._ARRAY.fullmatch(cdecl) if isinstance(cdecl, str) else None
        if match is None:
            raise KeyError(cdecl)  # cffi parses it, as usual
        pointer = self.ffi.typeof(f"{match[1]} *")  # parsed once per item type
        entry = (self.ffi._backend.new_array_type(pointer, int(match[2])), False)  # (type, is a function)
        self[cdecl] = entry
        return entry


def make_array_types_directly() -> None:
    """Give WeasyPrint's cffi instance the `_ArrayTypes` cache (once; a no-op for an unknown cffi)."""
    from weasyprint.text.ffi import ffi

    known = getattr(ffi, "_parsed_types", None)
    if type(known) is dict and hasattr(ffi, "_backend"):
        ffi._parsed_types = _ArrayTypes(ffi, known)


class _FaceData:
    """A HarfBuzz face's bytes, copied out only when read (`lazy_font_files`); keeps the face alive."""

    def __init__(self, face: Any, read: Callable[[Any], bytes | None]):
        self.face = face
        self.read = read

    def __bool__(self) -> bool:  # WeasyPrint tests the subset's data for emptiness before keeping it
        from weasyprint.text.ffi import harfbuzz

        blob = harfbuzz.hb_face_reference_blob(self.face)
        try:
            return bool(harfbuzz.hb_blob_get_length(blob))
        finally:
            harfbuzz.hb_blob_destroy(blob)


class _LazyFileContent:
    """`Font.file_content` that turns a `_FaceData` into bytes on first read."""

    def __get__(self, font: Any, owner: type | None = None) -> Any:
        if font is None:
            return self
        data = font.__dict__.get("_file_content")
        if isinstance(data, _FaceData):
            data = font.__dict__["_file_content"] = data.read(data.face)
        return data

    def __set__(self, font: Any, value: Any) -> None:
        font.__dict__["_file_content"] = value


def lazy_font_files() -> None:
    """Copy a font's whole file into memory only if it is read, once per process.

    WeasyPrint 70 (pdf/fonts.py, `Font.__init__`) copies the whole file of
    every font a PDF uses into a Python bytes object, then subsets with
    HarfBuzz from the face Pango has mapped and replaces the copy by the
    subset: the copy is never read. For an issue's CJK fonts (Fandol, Noto
    CJK, LXGW WenKai) that is 60 MB per PDF, the largest part of a render
    worker's peak. Here `get_hb_object_data` of a face (no colour glyph)
    returns a `_FaceData`, read on first use (a failed subset, a variable
    font), so the subset is the only copy ever made.
    """
    from weasyprint.pdf import fonts

    if isinstance(fonts.Font.__dict__.get("file_content"), _LazyFileContent):
        return
    read = fonts.get_hb_object_data

    def face_data(hb_object: Any, ot_color: str | None = None, glyph: Any = None) -> Any:
        if ot_color is None and glyph is None:
            return _FaceData(hb_object, read)
        return read(hb_object, ot_color, glyph)

    fonts.get_hb_object_data = face_data
    fonts.Font.file_content = _LazyFileContent()  # type: ignore[attr-defined]
