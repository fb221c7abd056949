"""Load and validate: content/ → the frozen model (jianbao/model.py), every problem with file:line.

reading    files → text or YAML: confined, bounded, UTF-8 (problems.py collects what is wrong)
yamlfile   YAML text → data plus the line of every key
schema     what editors may write (pydantic); validate: checked at each key's line; messages: in Chinese
safety     names and paths confined before anything is opened; image and SVG checks
articles   an issue folder's .md files → articles (the Markdown stage handed in by the caller)
content    bulletin.yaml and issue folders → Bulletin, Issue, Site; the memo of problem-free parses
numbering  第 N 期 / 总第 N 期 / dates across the archive
"""
