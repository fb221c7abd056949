"""Parts and relationships → the bytes of a .docx (an OPC zip package).

`Package` collects parts (name, bytes, content type) and the relationships
between them, then writes `[Content_Types].xml`, every `_rels/*.rels` and
the parts into a zip whose bytes depend on nothing but its content (fixed
timestamps, fixed order), so the same issue always gives the same file.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from posixpath import basename, dirname, relpath

from jianbao.docx.xml import escape_attribute

RELS_TYPE = "application/vnd.openxmlformats-package.relationships+xml"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
# ZIP's DOS timestamps start in 1980; Word writes this date too.
EPOCH = (1980, 1, 1, 0, 0, 0)


@dataclass
class Package:
    """A .docx being assembled: parts by name (no leading slash) and each part's relationships."""

    parts: dict[str, tuple[bytes, str]] = field(default_factory=dict)  # name → (data, content type)
    rels: dict[str, list[tuple[str, str, str, bool]]] = field(
        default_factory=dict
    )  # source → [(id, type, target, external)]

    def add(self, name: str, data: bytes, content_type: str) -> None:
        """Add (or replace) the part `name`."""
        self.parts[name] = (data, content_type)

    def relate(self, source: str, kind: str, target: str, rel_id: str | None = None, external: bool = False) -> str:
        """Relate `source` ("" for the package) to the part `target` (or, `external`, a URL); returns the
        relationship id. `kind` is a relationship type, short for the officeDocument ones."""
        links = self.rels.setdefault(source, [])
        rel_id = rel_id or f"rId{len(links) + 1}"
        start = dirname(source) if source else ""
        where = target if external else relpath(target, start or ".")
        links.append((rel_id, kind if "/" in kind else f"{REL}/{kind}", where, external))
        return rel_id

    def to_bytes(self) -> bytes:
        """The zip: content types first (as Word writes it), then the relationships and the parts."""
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            _write(archive, "[Content_Types].xml", self.content_types())
            for source in sorted(self.rels):
                _write(archive, rels_name(source), self.relationships(source))
            for name, (data, _) in self.parts.items():
                _write(archive, name, data, stored=name.endswith((".png", ".jpg", ".jpeg", ".gif")))
        return out.getvalue()

    def content_types(self) -> bytes:
        """`[Content_Types].xml`: a default for .rels and .xml, an override for every other typed part."""
        overrides = "".join(
            f'<Override PartName="/{escape_attribute(name)}" ContentType="{kind}"/>'
            for name, (_, kind) in self.parts.items()
            if kind != "application/xml"
        )
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            f'<Default Extension="rels" ContentType="{RELS_TYPE}"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f"{overrides}</Types>"
        ).encode()

    def relationships(self, source: str) -> bytes:
        """The .rels part of `source`."""
        links = "".join(
            f'<Relationship Id="{rel_id}" Type="{kind}" Target="{escape_attribute(target)}"'
            + (' TargetMode="External"/>' if external else "/>")
            for rel_id, kind, target, external in self.rels[source]
        )
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{links}</Relationships>'
        ).encode()


def rels_name(source: str) -> str:
    """`word/document.xml` → `word/_rels/document.xml.rels`; the package's own: `_rels/.rels`."""
    if not source:
        return "_rels/.rels"
    folder = dirname(source)
    return f"{folder}/_rels/{basename(source)}.rels" if folder else f"_rels/{source}.rels"


def _write(archive: zipfile.ZipFile, name: str, data: bytes, stored: bool = False) -> None:
    info = zipfile.ZipInfo(name, EPOCH)
    info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    archive.writestr(info, data, compresslevel=6)
