"""The web site: the model → HTML pages for the intranet.

pages     Jinja environment (strict, autoescaping); the issue page and the print HTML
archive   the archive of all issues and the Atom feed
pagetext  an issue page → what a reader reads on it, block by block, with where each block is
search    the pages' text, gzipped in volumes under search/, for the search box (assets/search.js)
"""
