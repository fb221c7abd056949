"""An OFD file → what in it breaks GB/T 33190's structure, as one line per problem (empty: none found).

The standard's annex defines the files with XML schemas; the public copy of
them carries no licence, so jianbao does not ship them. These checks cover
the same ground for every element jianbao writes, and what a schema cannot
say: the root elements and their fixed attributes, the order of the
children the schemas sequence, required attributes and their value types,
unique IDs not above MaxUnitID, references (fonts, images, pages) that
resolve, every file named present and inside the package, every embedded
font readable with a `cmap` covering the characters drawn with it, RGB
colours of three values 0–255, and the `ofd:` prefix on every element (the
one ofd.js reads).
"""

from __future__ import annotations

import io
import re
from xml.etree.ElementTree import Element

from jianbao.errors import BuildError
from jianbao.ofd.reader import Package, Q, child_text, children, doc_root, folder, numbers, page_chars, resolve

# Child order the schemas give as sequences (element → its children, in order).
ORDER = {
    "DocInfo": [
        "DocID",
        "Title",
        "Author",
        "Subject",
        "Abstract",
        "CreationDate",
        "ModDate",
        "DocUsage",
        "Cover",
        "Keywords",
        "Creator",
        "CreatorVersion",
        "CustomDatas",
    ],
    "DocBody": ["DocInfo", "DocRoot", "Versions", "Signatures"],
    "CommonData": ["MaxUnitID", "PageArea", "PublicRes", "DocumentRes", "TemplatePage", "DefaultCS"],
    "Document": [
        "CommonData",
        "Pages",
        "Outlines",
        "Permissions",
        "Actions",
        "VPreferences",
        "Bookmarks",
        "Annotations",
        "CustomTags",
        "Attachments",
        "Extensions",
    ],
    "PageArea": ["PhysicalBox", "ApplicationBox", "ContentBox", "BleedBox"],
    "OutlineElem": ["Actions", "OutlineElem"],
    "Page": ["Template", "PageRes", "Area", "Content", "Actions"],
    "TextObject": ["Actions", "Clips", "FillColor", "StrokeColor", "TextCode"],  # CGTransforms precede their TextCode
    "PathObject": ["Actions", "Clips", "StrokeColor", "FillColor", "AbbreviatedData"],
    "ImageObject": ["Actions", "Clips", "Border"],
    "Font": ["FontFile"],
    "MultiMedia": ["MediaFile"],
}
REQUIRED = {
    "Page": ["ID", "BaseLoc"],
    "Layer": ["ID"],
    "TextObject": ["ID", "Boundary", "Font", "Size"],
    "PathObject": ["ID", "Boundary"],
    "ImageObject": ["ID", "Boundary", "ResourceID"],
    "Font": ["ID", "FontName"],
    "ColorSpace": ["ID", "Type"],
    "MultiMedia": ["ID", "Type"],
    "OutlineElem": ["Title"],
    "Dest": ["Type", "PageID"],
    "Action": ["Event"],
    "CustomData": ["Name"],
}
ENUMS = {
    ("Layer", "Type"): {"Body", "Background", "Foreground", "Custom"},
    ("ColorSpace", "Type"): {"GRAY", "RGB", "CMYK"},
    ("MultiMedia", "Type"): {"Image", "Audio", "Video"},
    ("Action", "Event"): {"DO", "PO", "CLICK"},
    ("Dest", "Type"): {"XYZ", "Fit", "FitH", "FitV", "FitR"},
    ("PathObject", "Rule"): {"NonZero", "Even-Odd"},
    ("TextObject", "Weight"): {str(w) for w in range(0, 1001, 100)},
}
BOXES = {"Boundary", "PhysicalBox", "ApplicationBox", "ContentBox", "BleedBox"}
PATH_ARITY = {"S": 2, "M": 2, "L": 2, "Q": 4, "B": 6, "A": 7, "C": 0}
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
UNPREFIXED = re.compile(rb"<(?!\?|!|/?ofd:)/?[A-Za-z_]")


def problems(data: bytes) -> list[str]:
    """Every structural problem of the OFD file `data`."""
    try:
        package = Package(data)
        ofd, root = doc_root(package)
    except BuildError as exc:
        return [str(exc)]
    found: list[str] = []
    if ofd.get("Version") != "1.0" or ofd.get("DocType") != "OFD":
        found.append('OFD.xml：根元素须有 Version="1.0" DocType="OFD"')
    info = ofd.find(f"{Q}DocBody/{Q}DocInfo")
    if not child_text(info, "DocID"):
        found.append("OFD.xml：DocInfo 缺少 DocID")
    for name in ("CreationDate", "ModDate"):
        value = child_text(info, name)
        if value and not DATE.fullmatch(value):
            found.append(f"OFD.xml：{name} 应为 YYYY-MM-DD，而不是 {value}")
    files = {"OFD.xml": ofd}
    try:
        files.update(document_files(package, root))
    except BuildError as exc:
        return [*found, str(exc)]
    for path, element in files.items():
        found += [f"{path}：{p}" for p in element_problems(element)]
        if UNPREFIXED.search(package.read(path)):
            found.append(f"{path}：有元素没有写 ofd: 前缀")
    found += id_problems(files, root)
    found += reference_problems(package, files, root)
    return found


def document_files(package: Package, root: str) -> dict[str, Element]:
    """Document.xml, the Res files and the pages, each parsed (BuildError when one is missing)."""
    files = {root: package.xml(root)}
    common = files[root].find(Q + "CommonData")
    for kind in ("PublicRes", "DocumentRes"):
        for loc in children(common, kind) if common is not None else []:
            path = resolve(folder(root), loc.text or "")
            if not path:
                raise BuildError(f"{root}：{kind} 指向包外：{loc.text}")
            files[path] = package.xml(path)
    for page in files[root].findall(f"{Q}Pages/{Q}Page"):
        path = resolve(folder(root), page.get("BaseLoc", ""))
        if not path:
            raise BuildError(f"{root}：页面 {page.get('ID')} 指向包外：{page.get('BaseLoc')}")
        files[path] = package.xml(path)
    return files


def element_problems(root: Element) -> list[str]:
    """Order of children, required attributes, enumerations, boxes, colours and path data."""
    found = []
    for element in root.iter():
        if not element.tag.startswith(Q):
            found.append(f"元素 {element.tag} 不在 OFD 命名空间中")
            continue
        name = element.tag.removeprefix(Q)
        order = ORDER.get(name)
        if order is not None:
            tags = [c.tag.removeprefix(Q).replace("CGTransform", "TextCode") for c in element]
            ranks = [order.index(tag) if tag in order else -1 for tag in tags]
            if -1 in ranks or ranks != sorted(ranks):
                found.append(f"{name} 的子元素顺序或名称不对：{[c.tag.removeprefix(Q) for c in element]}")
        if element is not root:  # a Content.xml's root Page has no ID; Document.xml's Pages/Page has
            found += [f"{name} 缺少属性 {a}" for a in REQUIRED.get(name, []) if not element.get(a)]
        for (owner, attribute), allowed in ENUMS.items():
            if owner == name and element.get(attribute) is not None and element.get(attribute) not in allowed:
                found.append(f"{name} 的 {attribute}={element.get(attribute)} 不是允许的值")
        found += value_problems(name, element)
    return found


def value_problems(name: str, element: Element) -> list[str]:
    """Numbers where the schema wants numbers: boxes, sizes, colours, DeltaX, path data."""
    found = []
    try:
        boxes = [element.get("Boundary")] if element.get("Boundary") is not None else []
        if name in BOXES:
            boxes.append(element.text)
        for box in boxes:
            values = numbers(box)
            if len(values) != 4 or values[2] < 0 or values[3] < 0:
                found.append(f"{name} 的区域“{box}”应为 4 个数（宽高不为负）")
        if name == "TextObject" and float(element.get("Size", "1")) <= 0:
            found.append("TextObject 的 Size 应为正数")
        if name in ("FillColor", "StrokeColor", "BorderColor") and element.get("Value") is not None:
            rgb = numbers(element.get("Value"))
            if len(rgb) != 3 or any(not 0 <= v <= 255 or v != int(v) for v in rgb):
                found.append(f"{name} 的 Value“{element.get('Value')}”应为 0–255 的三个整数（RGB）")
        if name == "TextCode":
            count = len(element.text or "")
            for delta in ("DeltaX", "DeltaY"):
                if len(numbers(element.get(delta))) > max(count - 1, 0):
                    found.append(f"TextCode 的 {delta} 多于字符间隔数：“{element.text}”")
        if name == "AbbreviatedData":
            found += path_data_problems(element.text or "")
    except ValueError as exc:
        found.append(f"{name} 有不是数字的值（{exc}）")
    return found


def path_data_problems(data: str) -> list[str]:
    tokens = data.split(" ")
    index = 0
    while index < len(tokens):
        arity = PATH_ARITY.get(tokens[index])
        if arity is None:
            return [f"AbbreviatedData 中有未知命令或多余的空格：“{tokens[index]}”"]
        for token in tokens[index + 1 : index + 1 + arity]:
            float(token)
        if index + 1 + arity > len(tokens):
            return [f"AbbreviatedData 的命令 {tokens[index]} 缺少坐标"]
        index += 1 + arity
    return []


def id_problems(files: dict[str, Element], root: str) -> list[str]:
    """IDs unique across the document and not above MaxUnitID."""
    seen: dict[str, str] = {}
    found = []
    for path, element in files.items():
        if path == "OFD.xml":
            continue
        for item in element.iter():
            value = item.get("ID")
            if value is None:
                continue
            if value in seen:
                found.append(f"{path}：ID {value} 重复（{seen[value]} 中已有）")
            seen[value] = path
    top = child_text(files[root].find(Q + "CommonData"), "MaxUnitID")
    if not top.isdigit():
        return [*found, f"{root}：缺少 MaxUnitID"]
    bad = [v for v in seen if not v.isdigit() or not 0 < int(v) <= int(top)]
    return found + [f"ID {v} 不是正整数或大于 MaxUnitID {top}" for v in bad[:5]]


def reference_problems(package: Package, files: dict[str, Element], root: str) -> list[str]:
    """Fonts, images, colour spaces and outline pages that resolve; embedded fonts that draw every character."""
    found = []
    fonts: dict[str, str] = {}  # ID → font file ("" if none)
    media: set[str] = set()
    spaces: set[str] = set()
    for path, element in files.items():
        res_base = resolve(folder(path), element.get("BaseLoc", "")) if element.tag == Q + "Res" else ""
        for font in element.iter(Q + "Font"):
            loc = child_text(font, "FontFile")
            fonts[font.get("ID", "")] = resolve(res_base or folder(path), loc) if loc else ""
            if not loc:
                found.append(f"{path}：字体 {font.get('FontName')} 没有嵌入（FontFile）")
        for item in element.iter(Q + "MultiMedia"):
            file = resolve(res_base or folder(path), child_text(item, "MediaFile"))
            found += (
                [] if file and package.has(file) else [f"{path}：图像文件 {child_text(item, 'MediaFile')} 不在包中"]
            )
            media.add(item.get("ID", ""))
        spaces |= {space.get("ID", "") for space in element.iter(Q + "ColorSpace") if space.get("Type") == "RGB"}
    default_cs = child_text(files[root].find(Q + "CommonData"), "DefaultCS")
    if default_cs not in spaces:
        found.append(f"{root}：DefaultCS 应指向声明的 RGB 颜色空间")
    drawn: dict[str, set[str]] = {}
    glyphs: dict[str, int] = {}  # font ID → the highest glyph a CGTransform names
    page_ids = {page.get("ID") for page in files[root].findall(f"{Q}Pages/{Q}Page")}
    for path, element in files.items():
        for text in element.iter(Q + "TextObject"):
            for listed in text.iter(Q + "Glyphs"):
                top = max(numbers(listed.text), default=0)
                glyphs[text.get("Font", "")] = max(glyphs.get(text.get("Font", ""), 0), int(top))
            if text.get("Font") not in fonts:
                found.append(f"{path}：TextObject {text.get('ID')} 的字体 {text.get('Font')} 未定义")
        for image in element.iter(Q + "ImageObject"):
            if image.get("ResourceID") not in media:
                found.append(f"{path}：ImageObject {image.get('ID')} 的图像 {image.get('ResourceID')} 未定义")
        for char in page_chars(element) if element.tag == Q + "Page" else ():
            drawn.setdefault(str(char.font), set()).add(char.char)
        for dest in element.iter(Q + "Dest"):
            if dest.get("PageID") not in page_ids:
                found.append(f"{path}：目录项指向不存在的页面 {dest.get('PageID')}")
    for font_id, file in fonts.items():
        if file:
            found += font_problems(package, file, drawn.get(font_id, set()), glyphs.get(font_id, 0))
    return found


def font_problems(package: Package, path: str, chars: set[str], top_glyph: int = 0) -> list[str]:
    """The font file is in the package, is TrueType/OpenType, maps every character drawn with it and has
    every glyph a CGTransform names."""
    from fontTools.ttLib import TTFont, TTLibError

    if not package.has(path):
        return [f"字体文件 {path} 不在包中"]
    try:
        face = TTFont(io.BytesIO(package.read(path)), lazy=True)
        cmap, count = face.getBestCmap() or {}, face["maxp"].numGlyphs
    except (TTLibError, AssertionError, KeyError, ValueError, EOFError, BuildError) as exc:
        return [f"字体文件 {path} 无法读取（{exc}）"]
    missing = sorted(char for char in chars if ord(char) not in cmap)
    found = [f"字体文件 {path} 缺少所画的字符：{''.join(missing[:10])}"] if missing else []
    return found + ([f"字体文件 {path} 没有 CGTransform 所用的字形 {top_glyph}"] if top_glyph >= count else [])
