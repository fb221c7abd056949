"""jianbao — Chinese briefing bulletins (简报) from YAML and Markdown.

The pipeline is load → validate → render → write; each stage is a subpackage
whose modules say in their first line what goes in and what comes out:

    load/      content/ files → the frozen model (model.py), every problem with file:line
               yamlfile · schema + messages · sources · safety · content · numbering · memo · lint
    markup/    an article's Markdown → numbered, sanitized HTML (article.py; richtext.py: figures,
               tables, footnotes, lists)
    site/      model + layouts/ → pages: pages.py (Jinja, strict), archive.py (archive, feed),
               pagetext.py + search.py (the pages' text, in search/, for the search box)
    pdf/       print HTML → PDF: prepare.py (line rules before layout) → engine.py (WeasyPrint)
               → justify.py, footnotes.py (after layout); fonts.py, workers.py;
               weasy_internals.py holds every private reach into WeasyPrint, cffi and ctypes
    publish/   files → output/, staged and swapped atomically (staging.py); what is stale
               (manifest.py)
    build.py   the recipe that runs them, with options.py (what to build), digests.py and
               lifetime.py (workers and locks that never outlive their build)
    cli/       the command line (argparse in Chinese, console, progress); commands/ has one
               module per command; preview/ is `serve` (server.py + client.js)

Where to change …

    the masthead (报头)           layouts/_masthead.html, its rules in layouts/print.css
    heading numbering (一、（一）) jianbao/markup/article.py (heading_marker, _ChineseText)
    the PDF fonts                jianbao/pdf/fonts.py (ROLES: the one font table)
    a validation message         jianbao/load/messages.py (schema errors), load/content.py,
                                 load/numbering.py, load/yamlfile.py (YAML syntax)
    the archive page             layouts/archive.html, jianbao/site/archive.py
    the build cache key          jianbao/options.py (field metadata), jianbao/publish/manifest.py

jianbao runs on Linux (POSIX): render workers are forked, the output lock is an
fcntl lock, and the site is swapped in with renameat2(RENAME_EXCHANGE).
"""

__version__ = "0.1.0"
