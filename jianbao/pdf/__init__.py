"""The print PDF: an issue → its print HTML (in the build) → PDF bytes (in the render workers).

typeset          issue → print HTML: the layout's page as a tree, article trees grafted in, the Chinese
                 line rules applied (joiners, squeezes, balanced titles)
engine           WeasyPrint with a confined fetcher; runs the after-layout steps; PDF variants
justify          laid-out pages → flush, even lines on the 22-line grid
footnotes        laid-out pages → a forced break where a footnote left its call's page
fonts            the one font table (ROLES), licensed fonts from fonts/, CID-safety of font files
cover            a PDF → its first page as the archive's thumbnail
workers          the fork pool; PrintJob in, Rendered (PDF and cover, or a Failure) out
internals/       every private reach into WeasyPrint, cffi, ctypes and the process pool, version-checked:
                 the laid-out boxes (boxes), relayout edits, loading costs, colour, the pool
"""
