"""`check`'s rules over the loaded content: Chinese text, characters no font can draw, safe fixes.

rules     the text rules over one line or one unit of prose (GB/T 15834 punctuation, spacing)
units     the prose of an article: units found in its tree (the one the build renders), with the
          source lines they came from, so findings carry lines and fixes carry columns
glyphs    characters the fonts in use cannot draw
fixes     the safe fixes as a diff, and writing them
report    every finding of a site (or of articles that failed to load), for `check`, `build` and `serve`
"""
