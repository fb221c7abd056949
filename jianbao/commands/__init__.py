"""One module per command of `python build.py`, each with `run(args) -> exit code`:
build, check, new, init, import (importer), publish, serve (jianbao/preview/ does the serving).
"""
