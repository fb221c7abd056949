"""What jianbao knows about Chinese text, in one place every stage asks.

    chars      character classes (Han, full-width, CJK ranges), punctuation classes, joiners
    numbers    heading numbers (一、（一）1.（1）), Chinese numerals, circled numbers ①
    captions   typed captions (`表1　…`, `图：…`)
    spacing    spaces between Chinese and Latin/digits, line breaks inside Chinese paragraphs
    words      word boundaries (ICU's dictionary), function words, words a line may start with
    breaking   the line-breaking service: where a line may break, balanced title lines,
               the web title's break points, the print rules Pango needs spelled out

Nothing here imports a later stage: the Markdown stage, the web pages, the print HTML,
the Word edition and `check` all import from here, so a title breaks the same way in
the contents list, the archive and the heading.
"""
