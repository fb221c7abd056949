"""Word manuscripts for the import tests, written with python-docx.

python-docx cannot write footnotes, so `add_footnote` adds the footnotes
part and a reference run through its XML/OPC API, as Word itself lays them out.
"""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.text.paragraph import Paragraph


def png(width: int = 40, height: int = 20) -> bytes:
    """A small red PNG, written by hand so the tests need no imaging library."""
    raw = b"".join(b"\x00" + b"\xcc\x00\x00" * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def add_footnotes(doc: DocumentObject, notes: list[tuple[Paragraph, str]]) -> None:
    """Give `doc` a footnotes part with one note per (paragraph it is called from, text)."""
    bodies = "".join(
        f'<w:footnote w:id="{n}"><w:p><w:r><w:footnoteRef/></w:r>'
        f'<w:r><w:t xml:space="preserve"> {text}</w:t></w:r></w:p></w:footnote>'
        for n, (_, text) in enumerate(notes, 1)
    )
    xml = (
        f"<w:footnotes {nsdecls('w')}>"
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p>'
        f"</w:footnote>{bodies}</w:footnotes>"
    )
    part = Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, xml.encode(), doc.part.package)
    doc.part.relate_to(part, RT.FOOTNOTES)
    for n, (paragraph, _) in enumerate(notes, 1):
        paragraph._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:footnoteReference w:id="{n}"/></w:r>'))


def manuscript(path: Path, *, image: bool = True) -> Path:
    """A typical manuscript: title, headings, numbered paragraphs, bold, a table, an image, a footnote."""
    doc = Document()
    doc.core_properties.title = "文档属性里的标题"
    doc.add_heading("关于数据要素市场的调研报告", level=0)  # Word's "Title" style
    doc.add_paragraph("——基于长三角六个城市的调查")
    first = doc.add_paragraph("\u3000\u3000数据已成为新型生产要素，")
    first.add_run("授权运营").bold = True
    first.add_run("是")
    first.add_run("关键一环").italic = True
    first.add_run("。")
    doc.add_paragraph("")
    doc.add_heading("主要举措", level=1)
    doc.add_paragraph("（一）建立公共数据授权运营机制")
    broken = doc.add_paragraph("不少城市分级分类开放公共\u00ad数据，")
    broken.add_run().add_break()
    broken.add_run("通过授权运营引入专业机构。")
    doc.add_paragraph("1. 设立数据产业园")
    doc.add_paragraph("（1）租金补贴")
    doc.add_paragraph("（2）对数据标注企业给予算力补贴，期限三年。补贴标准另行制定。")
    table = doc.add_table(rows=3, cols=2)
    for row, cells in enumerate([("城市", "挂牌数据产品"), ("甲市", "120"), ("乙市", "85|90")]):
        for column, text in enumerate(cells):
            table.cell(row, column).text = text
    if image:
        doc.add_picture(io.BytesIO(png()))
    doc.add_heading("二、几点建议", level=1)
    doc.add_paragraph("1. 加快完善制度规则。建议制定公共数据授权运营管理办法。")
    add_footnotes(doc, [(first, "数据来源：国家数据局 2025 年统计公报。")])
    doc.save(str(path))
    return path


def merged_table(path: Path) -> Path:
    """A manuscript whose table has merged cells (too complex for a pipe table)."""
    doc = Document()
    doc.add_heading("合并单元格的表格", level=1)
    doc.add_paragraph("正文。")
    table = doc.add_table(rows=2, cols=3)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "合并的表头"
    table.cell(0, 2).text = "单独"
    for column, text in enumerate(("一", "二", "三")):
        table.cell(1, column).text = text
    doc.save(str(path))
    return path
