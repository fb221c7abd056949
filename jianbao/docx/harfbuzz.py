"""A font file and a set of characters → the font cut down to them, by HarfBuzz's subsetter (ctypes).

libharfbuzz-subset (installed by scripts/setup.sh for WeasyPrint) cuts a
20 MB CJK face to the few hundred characters of an issue in milliseconds,
where fontTools' subsetter takes a second. Only its public C API is used:
blob from file → face → subset input (a set of code points) → subset face →
blob. `subset_font` returns None where the library is missing, and the
caller embeds nothing then.
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterable
from functools import cache
from pathlib import Path


@cache
def _library() -> ctypes.CDLL | None:
    """libharfbuzz-subset with the signatures used here, or None."""
    try:
        lib = ctypes.CDLL("libharfbuzz-subset.so.0")
    except OSError:
        return None
    pointer = ctypes.c_void_p
    signatures = {
        "hb_blob_create_from_file_or_fail": (pointer, [ctypes.c_char_p]),
        "hb_face_create": (pointer, [pointer, ctypes.c_uint]),
        "hb_subset_input_create_or_fail": (pointer, []),
        "hb_subset_input_unicode_set": (pointer, [pointer]),
        "hb_set_add": (None, [pointer, ctypes.c_uint32]),
        "hb_subset_or_fail": (pointer, [pointer, pointer]),
        "hb_face_reference_blob": (pointer, [pointer]),
        "hb_blob_get_data": (ctypes.POINTER(ctypes.c_char), [pointer, ctypes.POINTER(ctypes.c_uint)]),
        "hb_blob_destroy": (None, [pointer]),
        "hb_face_destroy": (None, [pointer]),
        "hb_subset_input_destroy": (None, [pointer]),
    }
    try:
        for name, (result, arguments) in signatures.items():
            function = getattr(lib, name)
            function.restype, function.argtypes = result, arguments
    except AttributeError:  # a HarfBuzz older than 2.8 (no hb_blob_create_from_file_or_fail)
        return None
    return lib


def available() -> bool:
    """Whether fonts can be subset here."""
    return _library() is not None


def subset_font(path: Path, index: int, characters: Iterable[str]) -> bytes | None:
    """The face `index` of the font file at `path`, with only the glyphs `characters` need
    (and their layout features); None when HarfBuzz is missing or cannot subset the face."""
    lib = _library()
    if lib is None:
        return None
    blob = lib.hb_blob_create_from_file_or_fail(str(path).encode())
    if not blob:
        return None
    face = lib.hb_face_create(blob, index)
    subset_input = lib.hb_subset_input_create_or_fail()
    try:
        if not subset_input:
            return None
        unicodes = lib.hb_subset_input_unicode_set(subset_input)
        for char in sorted(set(characters)):
            lib.hb_set_add(unicodes, ord(char))
        result = lib.hb_subset_or_fail(face, subset_input)
        if not result:
            return None
        out = lib.hb_face_reference_blob(result)
        length = ctypes.c_uint()
        data = lib.hb_blob_get_data(out, ctypes.byref(length))
        font = ctypes.string_at(data, length.value) if length.value else b""
        lib.hb_blob_destroy(out)
        lib.hb_face_destroy(result)
        return font or None
    finally:
        if subset_input:
            lib.hb_subset_input_destroy(subset_input)
        lib.hb_face_destroy(face)
        lib.hb_blob_destroy(blob)
