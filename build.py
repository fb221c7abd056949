#!/usr/bin/env python3
"""jianbao entry point: ``python build.py [命令] [选项]``."""

import sys

from jianbao.cli import main

if __name__ == "__main__":
    sys.exit(main())
