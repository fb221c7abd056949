"""One module per command of `python build.py` (or the `jianbao` console script), each with
`run(args) -> exit code`: build, check, new, init, import (importer), approve, publish, serve
(jianbao/preview/ does the serving), ofd-info.
"""
