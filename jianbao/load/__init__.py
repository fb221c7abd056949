"""Load and validate: content/ → the frozen model (jianbao/model.py), every problem with file:line.

yamlfile   YAML text → data plus the line of every key
schema     what editors may write (pydantic), messages: its errors in Chinese
safety     names and paths confined before anything is opened; image and SVG checks
content    files → Bulletin, Issue, Article (with problems.py collecting what is wrong)
numbering  第 N 期 / 总第 N 期 / dates across the archive
"""
