"""A built PDF → what its document info records about the issue: how many corrections it carries.

The print HTML's `<meta name="corrections">` (layouts/issue.html) reaches the
PDF's document info through WeasyPrint's custom metadata, as the approval
record (`status`, `approver`, `approved`) does. A build reads it back from the
PDF it is about to replace, to know whether that PDF predates a correction
and must be kept (jianbao/plan.py `versions_after`). Read with PDFium.
"""

from __future__ import annotations

from pathlib import Path

# The document info keys the print layout's <meta> tags become (WeasyPrint keeps letters and digits of the name).
CORRECTIONS_KEY = "corrections"
STATUS_KEY, APPROVER_KEY, APPROVED_KEY = "status", "approver", "approved"


def document_info(path: Path, keys: tuple[str, ...]) -> dict[str, str] | None:
    """The values of `keys` in the PDF's document info ("" when absent); None when it cannot be read."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(path)
    except (pdfium.PdfiumError, OSError):
        return None
    try:
        return {key: document.get_metadata_value(key) for key in keys}
    finally:
        document.close()


def corrections_in(path: Path) -> int | None:
    """How many corrections the PDF at `path` was built with (0 for one built before any); None when it is no
    PDF that can be read."""
    info = document_info(path, (CORRECTIONS_KEY,))
    if info is None:
        return None
    value = info[CORRECTIONS_KEY]
    return int(value) if value.isdigit() else 0
