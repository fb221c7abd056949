"""jianbao — Chinese briefing bulletins (简报) from YAML and Markdown.

The pipeline is load → validate → render → write; each stage is a subpackage
whose modules say in their first line what goes in and what comes out. A stage
imports only earlier ones (and the leaves: text/, tree.py, model.py, files.py,
errors.py, digests.py):

    text/      what jianbao knows about Chinese text: character classes, heading numbers,
               captions, spacing, words (ICU), the one line-breaking service
    tree.py    the frozen element tree an article body travels in, from Markdown to the page
    load/      content/ files → the frozen model (model.py), every problem with file:line
               yamlfile · schema + messages · safety · content · numbering
    markup/    an article's Markdown → its tree: numbered headings, figures, tables, footnotes,
               source lines on every block, the HTML allowlist; memo.py keeps parsed issues
    check/     `check`: the text rules over the tree the build renders, glyphs, safe fixes
    site/      model + layouts/ → web pages: pages.py (Jinja, strict; the web variant of each
               article tree), archive.py (archive, feed),
               pagetext.py + search.py (the pages' text, in search/, for the search box)
    pdf/       issue → print HTML (typeset.py: the page as a tree, the line rules) → PDF
               (engine.py, WeasyPrint) → justify.py, footnotes.py (after layout); fonts.py,
               workers.py; internals/ holds every private reach into WeasyPrint, cffi and ctypes
    ofd/       the print PDF → the OFD edition (GB/T 33190), in the render worker: edition.py
               (make_ofd), pages.py (PDFium) → shapes.py, fonts.py → package.py; reader.py, check.py
    write/     files → output/: guard.py, lock.py, staging.py (staged beside the live site),
               mirror.py, swap.py (swapped in at once); what is stale (manifest.py)
    recipe.py  the recipe that runs them: plan.py (what is stale), steps.py (render and stage),
               indexing.py (the search text), options.py (what to build), lifetime.py
               (workers and locks that never outlive their build)
    cli/       the command line (argparse in Chinese, console, progress); commands/ has one
               module per command; preview/ is `serve` (live.py: watch → rebuild → events → server)

Where to change …

    the masthead (报头)           layouts/_masthead.html, its rules in layouts/print.css
    heading numbering (一、（一）) jianbao/text/numbers.py, jianbao/markup/headings.py
    where lines may break        jianbao/text/breaking.py (titles, contents, print line rules)
    the PDF fonts                jianbao/pdf/fonts.py (ROLES: the one font table)
    a validation message         jianbao/load/messages.py (schema errors), load/content.py,
                                 load/numbering.py, load/yamlfile.py (YAML syntax)
    a `check` rule               jianbao/check/rules.py
    the archive page             layouts/archive.html, jianbao/site/archive.py
    the build cache key          jianbao/options.py (field metadata), jianbao/write/manifest.py

jianbao runs on Linux (POSIX): render workers are forked, the output lock is an
fcntl lock, and the site is swapped in with renameat2(RENAME_EXCHANGE).
"""

__version__ = "0.1.0"
