"""jianbao — Chinese briefing bulletins (简报) from YAML and Markdown.

The pipeline, load → validate → render → write, one module per stage:

    content    files in content/            → frozen model (model.py, yamlfile.py), problems with file:line
    markdown   an article's Markdown        → numbered, sanitized HTML fragment (richtext.py: figures,
                                              tables, footnotes, lists)
    render     model + layouts/             → HTML pages, print and screen (site.py: archive, feed, search)
    pdf        print HTML                   → PDF bytes (typeset.py: the 22 × 28 grid; footnote_pages.py)
    output     files                        → the output/ folder, staged and swapped atomically
    build      the recipe that runs them (cache.py decides what is stale, pool.py renders in parallel);
    cli        the command line around it, with serve.py, importer.py, scaffold.py, lint.py, safety.py.
"""

__version__ = "0.1.0"
