"""The Word edition (render stage, beside the PDF): an issue → `<id>.docx`, the same bulletin as Word builds it.

document.py is the recipe; layouts/word/ holds what an office restyles
(styles, page setup, footers, masthead, 本期要目, 报尾); blocks.py,
inline.py and tables.py write the articles from their trees; fonts.py and
harfbuzz.py embed the faces; notes.py, numbering.py and media.py make the
footnotes, lists and pictures; package.py zips the parts.
"""
