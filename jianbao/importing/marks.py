"""Characters the import's clean-up and Markdown writer share: invisible ones, indentation, placeholders.

The clean-up (cleanup.py) leaves placeholders from the Private Use Area in
the HTML where Markdown needs something markdownify would escape or drop;
the writer (writing.py) turns them into Markdown after markdownify ran.
"""

from __future__ import annotations

import re

INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")  # a regex: str.translate is slow
INDENT = " \t\u3000\u00a0"

# Placeholders that pass through markdownify untouched: a footnote call's start and end, a manual
# line break, a dot that must stay text (`1\.` is no list).
FN_OPEN, FN_CLOSE, BREAK, DOT = "\ue000", "\ue001", "\ue002", "\ue004"


def join_lines(text: str, glue: str, trailing: str | None) -> str:
    """Each line break, with the whitespace after it and the `trailing` characters before it (None: any
    whitespace), → `glue`. Linear in the length of `text`, unlike a regex that may start at every space
    of a long run of spaces (a .docx holding 64 MB of whitespace took minutes)."""
    parts = re.split(r"\n\s*", text)  # a match starts only at a line break: linear
    if len(parts) == 1:
        return text
    return glue.join([part.rstrip(trailing) for part in parts[:-1]] + [parts[-1]])
