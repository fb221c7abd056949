"""jianbao — Chinese briefing bulletins (简报) from YAML and Markdown.

The pipeline, one module per stage:

    content   files in content/          → frozen model (model.py), problems
    markdown  an article's Markdown      → numbered, safe HTML fragment
    render    model + layouts/           → HTML pages (print and screen)
    pdf       print HTML                 → PDF bytes
    site      model + pages              → the output/ tree (archive, assets)
    build     the recipe that runs them; cli the command line around it.
"""

__version__ = "0.1.0"
