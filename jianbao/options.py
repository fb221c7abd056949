"""What a build is asked to do: the `Options` every command passes to the recipe (jianbao/recipe.py).

Each option says, in its field metadata, whether it changes what the output
looks like. Only those are part of the build cache's key
(write/manifest.py), so a new option that only chooses what, where or how
fast to build never invalidates every cached PDF by accident.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

Progress = Callable[[int, int], None]  # (issues done, issues to render)


def _shapes_output(default: Any) -> Any:
    """An option that changes the bytes of the output: part of the build cache's key."""
    return field(default=default, metadata={"in_cache_key": True})


@dataclass(frozen=True)
class Options:
    """What to build, from where, to where, and how."""

    content: Path = Path("content")
    layouts: Path = Path("layouts")
    output: Path = Path("output")
    ids: tuple[str, ...] = ()
    strict: bool = _shapes_output(False)  # warnings are errors
    drafts: bool = _shapes_output(False)  # drafts built too (and listed in the archive)
    pdf_variant: str | None = _shapes_output(None)  # e.g. "pdf/a-2b" for an archival copy
    ofd: bool = _shapes_output(True)  # the OFD edition (GB/T 33190) beside each PDF; --no-ofd: none
    docx: bool = _shapes_output(True)  # the Word edition <id>.docx beside each PDF
    jobs: int = 0  # PDF render processes; 0 means one per CPU
    force: bool = False  # ignore the build cache
    pages_only: bool = False  # web pages only, no PDF or search index (serve shows the page first)
    index: bool = True  # make the search index (serve makes it in a pass of its own, after the PDF)

    @property
    def fonts(self) -> Path:
        """Licensed fonts live beside content/."""
        return self.content.parent / "fonts"

    def cache_key_values(self) -> dict[str, Any]:
        """The options that shape the output, by name (what the build cache's key covers)."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.metadata.get("in_cache_key")}
