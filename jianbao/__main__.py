"""Allow ``python -m jianbao``."""

import sys

from jianbao.cli import main

sys.exit(main())
