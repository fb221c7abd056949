"""Launching Debian's Chromium for the browser tests (never a browser Playwright downloads)."""

from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
# Headless as root on a machine with no network: no sandbox, no GPU, and none of the
# background connections (updates, safe browsing) that would be refused here.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]

# Every browser test carries this mark: without Debian's chromium it is skipped, not failed.
needs_chromium = pytest.mark.skipif(not Path(CHROMIUM).is_file(), reason="Debian chromium not installed")
