"""The command line: arguments in, a command run, Chinese messages out."""

from jianbao.cli.main import main

__all__ = ["main"]
