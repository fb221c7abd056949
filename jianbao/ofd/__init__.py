"""The OFD edition (GB/T 33190-2016): a print PDF → the same pages as an OFD package.

drawn     what a page draws, in OFD's terms (glyph runs, paths, images; page mm)
pages     a PDF → its pages as drawn things (glyphs, paths, images), fonts and bookmarks (PDFium)
clusters  ligatures (one glyph, several characters) spread, for CGTransform
bookmarks a PDF's bookmarks → the OFD outline (articles and their 一、 headings)
shapes    a path → the ink it makes (WeasyPrint's even-odd, clipped borders as plain rectangles)
fonts     an embedded PDF font → the font file the OFD embeds (fontTools), and its family name
xmlwrite  values → escaped OFD XML, numbers, TextCode runs
package   pages + fonts + document info → the OFD zip
edition   the one call the render worker makes: PDF bytes + `Edition` → OFD bytes
reader    an OFD file → its info, pages and text (for `ofd-info` and the tests)
check     an OFD file → what breaks GB/T 33190's structure (the schemas' ground, and references)
"""
