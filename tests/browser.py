"""Launching Debian's Chromium for the browser tests (never a browser Playwright downloads)."""

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
