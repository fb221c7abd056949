"""The web site: the model → HTML pages for the intranet.

pages     Jinja environment (strict, autoescaping); the issue page and the print HTML
archive   the archive of all issues and the Atom feed
search    the Pagefind index over the published issue pages
"""
